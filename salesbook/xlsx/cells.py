"""DataFrame columns -> SpreadsheetML cell XML, one column at a time (vectorised where it pays).

Conventions for output sheets:
- str -> inline string (t="inlineStr"): never a formula, never touches sharedStrings.xml;
- int/float/Decimal -> number; NaN/None/NaT -> no cell; bool -> 是/否 text;
- date -> serial with the date style, datetime with a time part -> the date-time style.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

MAX_ROWS = 1_048_576
MAX_COLS = 16_384
_DAY_NS = 86_400 * 10**9
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_EDGE_SPACE = re.compile(r"^\s|\s$")


def letter(col: int) -> str:
    """1-based column index -> Excel letters (1 -> A, 27 -> AA)."""
    s = ""
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch.upper()) - 64
    return n


def split_ref(ref: str) -> tuple[int, int]:
    """'AB12' -> (row 12, column 28)."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref)
    if not m:
        raise ValueError(f"bad cell reference {ref!r}")
    return int(m.group(2)), column_index(m.group(1))


def _bad_char(m: re.Match) -> str:
    c = m.group(0)
    return "_x005F_" if c == "_" else f"_x{ord(c):04X}_"   # ST_Xstring escaping, as Excel does


def xml_text(v: str) -> str:
    """Escaped <t> element for a text value."""
    if _BAD_XML.search(v):
        v = _BAD_XML.sub(_bad_char, v)
    v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _EDGE_SPACE.search(v):
        return f'<t xml:space="preserve">{v}</t>'
    return f"<t>{v}</t>"


def text_cell(ref: str, v: str, s: str = "") -> str:
    return f'<c r="{ref}"{s} t="inlineStr"><is>{xml_text(v)}</is></c>'


class Styles:
    """xf indices (as ` s="n"` attribute text, "" for the default) the cell writers use."""

    def __init__(self, date: str, datetime: str, default: str = "", epoch: dt.datetime = dt.datetime(1899, 12, 30)):
        self.default = default
        self.date = date
        self.datetime = datetime
        self.epoch = epoch


def _serial(ts: dt.datetime, epoch: dt.datetime) -> float:
    return (ts - epoch) / dt.timedelta(days=1)


def _scalar(ref: str, v, st: Styles) -> str:
    """Cell for one Python value (object columns)."""
    if v is None or v is pd.NaT or v is pd.NA:
        return ""
    t = type(v)
    if t is str:
        return text_cell(ref, v, st.default)
    if t is bool or t is np.bool_:
        return text_cell(ref, "是" if v else "否", st.default)
    if t is float or isinstance(v, (float, np.floating)):
        v = float(v)
        if v != v:
            return ""
        if math.isinf(v):
            return text_cell(ref, str(v), st.default)
        return f'<c r="{ref}"{st.default}><v>{v!r}</v></c>'
    if isinstance(v, (int, np.integer)):
        return f'<c r="{ref}"{st.default}><v>{int(v)}</v></c>'
    if isinstance(v, Decimal):
        if not v.is_finite():
            return "" if v.is_nan() else text_cell(ref, str(v), st.default)
        return f'<c r="{ref}"{st.default}><v>{format(v, "f")}</v></c>'
    if isinstance(v, np.datetime64):
        v = pd.Timestamp(v)
        if v is pd.NaT:
            return ""
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            v = v.replace(tzinfo=None)   # wall time, as the user saw it
        return _date_cell(ref, _serial(v, st.epoch), v.time() != dt.time(0), v, st)
    if isinstance(v, dt.date):
        return _date_cell(ref, _serial(dt.datetime(v.year, v.month, v.day), st.epoch), False, v, st)
    return text_cell(ref, str(v), st.default)


def _date_cell(ref: str, serial: float, has_time: bool, v, st: Styles) -> str:
    if serial < 61:  # before 1900-03-01: Excel's calendar is wrong there (1900 leap bug)
        return text_cell(ref, v.isoformat(sep=" ") if has_time else v.strftime("%Y-%m-%d"), st.default)
    if has_time:
        return f'<c r="{ref}"{st.datetime}><v>{serial!r}</v></c>'
    return f'<c r="{ref}"{st.date}><v>{int(serial)}</v></c>'


_RARE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]|_x[0-9A-Fa-f]{4}_"
_EDGE = r"^\s|\s$"


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _text_cells(L: str, rows: pa.Array, vals: pa.Array, s: str) -> pa.Array:
    """Inline-string cells for a string array (nulls stay null)."""
    rare = pc.fill_null(pc.match_substring_regex(vals, _RARE), False)
    if pc.any(rare).as_py():   # control characters or literal _xHHHH_: Python escaping, rare
        py = vals.to_pylist()
        for i in np.flatnonzero(rare.to_numpy(zero_copy_only=False)).tolist():
            py[i] = "\0" + xml_text(py[i])   # marker: already a full <t> element
        vals = pa.array(py, pa.string())
        done = pc.fill_null(pc.starts_with(vals, "\0"), False)
    else:
        done = None
    esc = pc.replace_substring(pc.replace_substring(pc.replace_substring(vals, "&", "&amp;"), "<", "&lt;"), ">", "&gt;")
    edge = pc.fill_null(pc.match_substring_regex(vals, _EDGE), False)
    t = _join(pc.if_else(edge, '<t xml:space="preserve">', "<t>"), esc, "</t>")
    if done is not None:
        t = pc.if_else(done, pc.utf8_slice_codeunits(vals, 1), t)
    return _join('<c r="', L, rows, '"', s, ' t="inlineStr"><is>', t, "</is></c>")


def _num_cells(L: str, rows: pa.Array, text: pa.Array, s) -> pa.Array:
    return _join('<c r="', L, rows, '"', s, "><v>", text, "</v></c>")


def column_cells(s: pd.Series, col: int, rows: pa.Array, st: Styles) -> pa.Array:
    """Cell XML for every value of `s` ("" where the cell stays empty); `rows` = row numbers as text."""
    L = letter(col)
    dtype = s.dtype
    kind = getattr(dtype, "kind", "O")
    d = st.default
    out = None
    if kind in "iu" and isinstance(dtype, np.dtype):
        out = _num_cells(L, rows, pc.cast(pa.array(s.to_numpy()), pa.string()), d)
    elif kind == "f" and isinstance(dtype, np.dtype):
        v = s.to_numpy()
        if not np.isinf(v).any():
            out = _num_cells(L, rows, pc.cast(pa.array(v, from_pandas=True), pa.string()), d)
    elif kind == "b" and isinstance(dtype, np.dtype):
        out = _text_cells(L, rows, pc.if_else(pa.array(s.to_numpy()), "是", "否"), d)
    elif kind == "M":   # datetime64, naive or tz-aware (wall time kept)
        if getattr(dtype, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        nat = s.isna().to_numpy()
        rel = s.to_numpy().astype("datetime64[ns]").astype("int64") - np.datetime64(st.epoch, "ns").astype("int64")
        if not ((rel < 61 * _DAY_NS) & ~nat).any():
            has_time = pa.array((rel % _DAY_NS) != 0)
            days = pc.cast(pa.array(rel // _DAY_NS, mask=nat), pa.string())
            serial = pc.cast(pa.array(rel / _DAY_NS, mask=nat), pa.string())
            out = _num_cells(L, rows, pc.if_else(has_time, serial, days), pc.if_else(has_time, st.datetime, st.date))
    elif isinstance(dtype, pd.StringDtype) or (kind == "O" and pd.api.types.infer_dtype(s, skipna=True) == "string"):
        out = _text_cells(L, rows, pa.array(s.astype(object).tolist(), pa.string(), from_pandas=True), d)
    if out is None:   # mixed objects, Decimal, inf, dates before 1900: one value at a time
        refs = [f"{L}{r}" for r in rows.to_pylist()]
        out = pa.array([_scalar(ref, v, st) for ref, v in zip(refs, s.astype(object).tolist())], pa.string())
    return pc.fill_null(out, "")


def _buffer(arr: pa.Array) -> memoryview:
    """The concatenated UTF-8 of a string array without nulls (zero copy)."""
    off = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset:arr.offset + len(arr) + 1]
    return memoryview(arr.buffers()[2])[int(off[0]):int(off[-1])]


def rows_xml(df: pd.DataFrame, first_row: int, styles: list[Styles], heights: np.ndarray | None = None,
             chunk: int = 20000) -> Iterator[bytes]:
    """<row> elements for the frame's rows, starting at Excel row `first_row`, in chunks.
    `styles[j]` styles column j; `heights[i]` > 0 is row i's height in points."""
    for start in range(0, len(df), chunk):
        part = df.iloc[start:start + chunk]
        r0 = first_row + start
        rows = pc.cast(pa.array(np.arange(r0, r0 + len(part), dtype=np.int64)), pa.string())
        cells = [column_cells(part.iloc[:, j], j + 1, rows, styles[j]) for j in range(part.shape[1])]
        if heights is not None:
            h = heights[start:start + len(part)]
            tall = pa.array(h > 0)
            ht = pc.cast(pa.array(h.astype(np.int64)), pa.string())
            opening = pc.if_else(tall, _join('" ht="', ht, '" customHeight="1">'), '">')
        else:
            opening = '">'
        xml = _join('<row r="', rows, opening, *cells, "</row>")
        yield bytes(_buffer(xml))

