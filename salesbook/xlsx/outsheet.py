"""A whole output worksheet (header + rows), streamed as XML chunks."""
from __future__ import annotations

from typing import Iterator

import pandas as pd

from . import cells
from .opc import NS_MAIN, NS_R


def check_frame(name: str, df: pd.DataFrame) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"sheet {name!r}: expected a pandas DataFrame, got {type(df).__name__}")
    if len(df) + 1 > cells.MAX_ROWS or df.shape[1] > cells.MAX_COLS:
        raise ValueError(f"sheet {name!r}: {len(df)} rows x {df.shape[1]} columns exceeds Excel's limits")


def dimension(n_rows: int, n_cols: int) -> str:
    return f"A1:{cells.letter(max(n_cols, 1))}{n_rows + 1}"


def worksheet_xml(df: pd.DataFrame, st: cells.Styles, header_style: int) -> Iterator[bytes]:
    n, k = df.shape
    ref = dimension(n, k)
    widths = cells.column_widths(df)
    head = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">',
            f'<dimension ref="{ref}"/>',
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
            '<sheetFormatPr defaultRowHeight="15"/>']
    if k:
        head.append("<cols>" + "".join(f'<col min="{j}" max="{j}" width="{w:g}" customWidth="1"/>'
                                       for j, w in enumerate(widths, start=1)) + "</cols>")
    hs = f' s="{header_style}"' if header_style else ""
    header = "".join(cells.text_cell(f"{cells.letter(j)}1", str(c), hs) for j, c in enumerate(df.columns, start=1))
    head.append(f'<sheetData><row r="1">{header}</row>')
    yield "".join(head).encode("utf-8")
    yield from cells.rows_xml(df, 2, st)
    tail = ["</sheetData>"]
    if k:
        tail.append(f'<autoFilter ref="{ref}"/>')
    tail.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                "</worksheet>")
    yield "".join(tail).encode("utf-8")


def size_hint(df: pd.DataFrame) -> int:
    return 45 * df.shape[0] * max(df.shape[1], 1)
