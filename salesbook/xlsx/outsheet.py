"""A whole output worksheet (header + rows + print setup), streamed as XML chunks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
import pandas as pd

from . import cells
from .layout import HEADER_FILL_RGB, HEADER_FONT_RGB, ColumnLayout, DATE_FORMAT, DATETIME_FORMAT, \
    column_layouts, row_heights
from .opc import NS_MAIN, NS_R
from .styles import StyleBook

HEADER_HEIGHT = 20


def check_frame(name: str, df: pd.DataFrame) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"sheet {name!r}: expected a pandas DataFrame, got {type(df).__name__}")
    if len(df) + 1 > cells.MAX_ROWS or df.shape[1] > cells.MAX_COLS:
        raise ValueError(f"sheet {name!r}: {len(df)} rows x {df.shape[1]} columns exceeds Excel's limits")


def dimension(n_rows: int, n_cols: int) -> str:
    return f"A1:{cells.letter(max(n_cols, 1))}{n_rows + 1}"


@dataclass
class OutputSheet:
    """One output sheet ready to stream: its layout and the style indices it uses."""
    df: pd.DataFrame
    layouts: list[ColumnLayout]
    styles: list[cells.Styles]
    header_style: int
    heights: np.ndarray | None


def prepare(name: str, df: pd.DataFrame, book: StyleBook, epoch) -> OutputSheet:
    """Layout from the contract, and the cell formats it needs added to the styles part."""
    layouts = column_layouts(name, df)
    heights = row_heights(df, layouts)
    top = {"vertical": "top"} if heights is not None and (heights > 0).any() else None
    date = book.xf(numfmt=book.num_fmt(DATE_FORMAT), alignment=top)
    stamp = book.xf(numfmt=book.num_fmt(DATETIME_FORMAT), alignment=top)
    styles = []
    for lay in layouts:
        align = dict(top or {})
        if lay.wrap:
            align.update({"vertical": "top", "wrapText": "1"})
        fmt = book.num_fmt(lay.number_format) if lay.number_format else 0
        s = book.xf(numfmt=fmt, alignment=align or None) if (fmt or align) else 0
        styles.append(cells.Styles(f' s="{date}"', f' s="{stamp}"', default=f' s="{s}"' if s else "", epoch=epoch))
    font = book.font(bold=True, rgb=HEADER_FONT_RGB)
    fill = book.solid_fill(HEADER_FILL_RGB)
    header = book.xf(font=font, fill=fill, alignment={"horizontal": "center", "vertical": "center", "wrapText": "1"})
    return OutputSheet(df, layouts, styles, header, heights)


def worksheet_xml(out: OutputSheet) -> Iterator[bytes]:
    df = out.df
    n, k = df.shape
    ref = dimension(n, k)
    head = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">',
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
            f'<dimension ref="{ref}"/>',
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
            '<sheetFormatPr defaultRowHeight="15"/>']
    if k:
        head.append("<cols>" + "".join(f'<col min="{j}" max="{j}" width="{lay.width:g}" customWidth="1"/>'
                                       for j, lay in enumerate(out.layouts, start=1)) + "</cols>")
    hs = f' s="{out.header_style}"'
    header = "".join(cells.text_cell(f"{cells.letter(j)}1", str(c), hs) for j, c in enumerate(df.columns, start=1))
    head.append(f'<sheetData><row r="1" ht="{HEADER_HEIGHT}" customHeight="1">{header}</row>')
    yield "".join(head).encode("utf-8")
    yield from cells.rows_xml(df, 2, out.styles, out.heights)
    tail = ["</sheetData>"]
    if k:
        tail.append(f'<autoFilter ref="{ref}"/>')
    tail.append('<printOptions horizontalCentered="1"/>'
                '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
                '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
                "<headerFooter><oddFooter>&amp;C第 &amp;P 页, 共 &amp;N 页</oddFooter></headerFooter>"
                "</worksheet>")
    yield "".join(tail).encode("utf-8")


def size_hint(df: pd.DataFrame) -> int:
    return 45 * df.shape[0] * max(df.shape[1], 1)
