"""How an output sheet looks: number formats by contract column type, the input sheets'
header style, wrapped long text with widths and row heights that show it, print setup.

The layout of a sheet is derived from `salesbook.contract` (its columns' types and widths,
matched by header in either language); columns the contract does not know, and sheets it
does not know, get a layout from the values' types.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import contract as K

# The input sheets' header (template.py): bold white on the template's blue, centred.
HEADER_FONT_RGB = "FFFFFFFF"
HEADER_FILL_RGB = "FF2F6EB5"

NUMBER_FORMATS = {
    K.MONEY: "#,##0.00",
    K.RATIO: "0.0%",
    K.INT: "0",
    K.DATE: "yyyy-mm-dd",
    K.DATETIME: "yyyy-mm-dd hh:mm",
}
DATE_FORMAT = NUMBER_FORMATS[K.DATE]
DATETIME_FORMAT = NUMBER_FORMATS[K.DATETIME]

LONG_TEXT_WIDTH = 40    # a contract text column this wide holds sentences: wrapped
MAX_WIDTH = 40.0        # a column that is not wrapped grows with its content up to this
MIN_WIDTH = 6.0
LINE_HEIGHT = 16.0      # points per wrapped line of 11-point text (CJK fonts are ~1.45 em high)
ROW_PADDING = 3.0       # points above and below the lines of a wrapped row
MAX_LINES = 8           # a row taller than this is cut (the cell still holds all the text)
SAMPLE = 2000           # rows sampled for widths, plus the longest texts


@dataclass(frozen=True)
class ColumnLayout:
    header: str
    type: str | None          # contract type, or None for a column the contract does not know
    width: float
    wrap: bool
    number_format: str | None  # None = General


def display_width(s: pd.Series) -> np.ndarray:
    """Characters a text takes on screen, East Asian characters counting double (vectorised).

    A CJK character is 3 bytes in UTF-8 and ASCII 1, so (characters + bytes) / 2 counts
    ASCII once and CJK (and full-width forms) twice, with no per-character loop; the rare
    2-byte letters (é, ж) count 1.5."""
    arr = pa.array(s.astype("string"))
    chars = pc.fill_null(pc.utf8_length(arr), 0).to_numpy(zero_copy_only=False)
    size = pc.fill_null(pc.binary_length(arr), 0).to_numpy(zero_copy_only=False)
    return ((chars + size + 1) // 2).astype(np.int64)


def _content_width(s: pd.Series, kind: str | None) -> float:
    if not len(s):
        return 0.0
    if kind in (K.DATE,):
        return 10.0
    if kind in (K.DATETIME,):
        return 16.0
    dk = getattr(s.dtype, "kind", "O")
    if dk == "M":
        has_time = s.dropna().dt.normalize().ne(s.dropna()).any()
        return 16.0 if has_time else 10.0
    if dk in "iu" and isinstance(s.dtype, np.dtype):
        return float(len(str(int(s.abs().max()))) + 1) if s.notna().any() else 0.0
    if dk == "f" and isinstance(s.dtype, np.dtype):
        v = s.dropna()
        if not len(v):
            return 0.0
        if kind == K.MONEY:
            big = float(np.nanmax(np.abs(v.to_numpy())))
            digits = len(f"{big:,.2f}") if math.isfinite(big) else 10
            return float(digits + 1)
        if kind == K.RATIO:
            return 7.0
        return float(min(display_width(v.head(SAMPLE).astype(str)).max(initial=0), 20))
    txt = s.dropna()
    if not len(txt):
        return 0.0
    txt = txt.astype(str)
    lengths = txt.str.len()
    pick = pd.concat([txt.head(SAMPLE), txt.loc[lengths.nlargest(50).index]])
    # the longest line of each text (notes may hold several)
    lines = pick.str.split("\n").explode()
    return float(display_width(lines).max(initial=0))


def column_layouts(name: str, df: pd.DataFrame) -> list[ColumnLayout]:
    sheet = K.sheet_for_name(name)
    known = {}
    if sheet is not None:
        for c in sheet.columns:
            known[c.zh] = c
            known[c.en.lower()] = c
    out = []
    for j, header in enumerate(df.columns):
        header = str(header)
        col = known.get(header) or known.get(header.lower())
        s = df.iloc[:, j]
        kind = col.type if col is not None else _guess_type(s)
        head_w = float(display_width(pd.Series([header]))[0]) + 2.5   # room for the filter button
        content = _content_width(s, kind)
        long_text = col is not None and col.type == K.TEXT and col.width >= LONG_TEXT_WIDTH
        if col is None and kind is None and content > MAX_WIDTH:
            long_text = True
        if long_text:
            cap = float(col.width) if col is not None else 50.0
            width = min(max(head_w, content + 1.5, 10.0), cap)
        else:
            width = min(max(head_w, content + 1.5, MIN_WIDTH), MAX_WIDTH)
        out.append(ColumnLayout(header, kind, round(width, 1), long_text, NUMBER_FORMATS.get(kind)))
    return out


def _guess_type(s: pd.Series) -> str | None:
    dk = getattr(s.dtype, "kind", "O")
    if dk == "M":
        return None   # date or date-time: chosen per value by the cell writer
    if dk in "iu" and isinstance(s.dtype, np.dtype):
        return K.INT
    return None


def row_heights(df: pd.DataFrame, layouts: list[ColumnLayout]) -> np.ndarray | None:
    """Height in points each row needs to show its wrapped texts (0 = the default height),
    or None if no column wraps."""
    wrapped = [(j, lay) for j, lay in enumerate(layouts) if lay.wrap]
    if not wrapped or not len(df):
        return None
    lines = np.ones(len(df), dtype=np.int64)
    for j, lay in wrapped:
        s = df.iloc[:, j]
        per_line = max(lay.width - 1.0, 1.0)
        text = s.astype("string")
        multi = text.str.contains("\n", regex=False).fillna(False).to_numpy(dtype=bool)
        need = np.ceil(display_width(text) / per_line).astype(np.int64)
        if multi.any():
            for i in np.flatnonzero(multi):
                parts = pd.Series(str(text.iloc[i]).split("\n"))
                need[i] = int(np.maximum(np.ceil(display_width(parts) / per_line), 1).sum())
        lines = np.maximum(lines, need)
    lines = np.minimum(lines, MAX_LINES)
    return np.where(lines > 1, lines * LINE_HEIGHT + ROW_PADDING, 0).astype(np.int64)
