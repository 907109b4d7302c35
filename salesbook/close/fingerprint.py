"""Per-row fingerprints of the input rows, over cell VALUES (pure).

A row's canonical text is its contract columns in sheet order, each written one way
whatever the program that last saved the file: text as typed (a tab inside a cell reads
as a space), numbers rounded to 6 decimals and written shortest (10000, 0.3), dates
YYYY-MM-DD, date-times to the second, months YYYY-MM, blanks empty; joined by tabs. Its
fingerprint is the first 8 bytes of BLAKE2b over that text. Excel, WPS and LibreOffice
re-save a value as the same value, so the fingerprints stay; an edited cell, an added or a
deleted row changes them. Extra columns a user adds feed no figure and are not read.

Which rows feed a month (the figures of month M read them):
- 参数, 提成方案, 绩效系数, 人员: every row, every month (`start` = ALWAYS);
- 目标, 考勤: 月份 ≤ M (carry-forward and streaks read earlier months);
- 值班, 客户, 拜访, 合同, 回款, 归属调整: dated on or before M's last day (ownership
  replays every event up to the month's end; credit reads the owner on the signing day).
`start` is the first month a row feeds (its date's month); a row with a blank date feeds
none (validation reports the blank). 折扣权限 only decides validation 错误s, and a month
with a 错误 is never closed, so it is not fingerprinted.

`key` pairs an edited row with its locked version: the sheet's primary key (合同编号 …),
else the natural key (月份+工号 for 目标/考勤, 日期+工号 for 值班 …); 拜访 has none and
pairs by row number.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import contract as K
from ..domain.calendar import Month, month_index

ALWAYS = -1          # start of a row that feeds every month
NEVER = -2           # start of a row whose date is blank: feeds no month
SEP = "\t"

# sheet key -> the column whose month is the row's start (None: every month)
FEEDS: dict[str, str | None] = {
    "settings": None, "commission_plan": None, "performance_factors": None, "staff": None,
    "targets": "month", "attendance": "month", "roster": "date", "customers": "registered_at",
    "visits": "date", "contracts": "signed_on", "payments": "paid_on", "overrides": "effective",
}
NATURAL_KEYS = {
    "targets": ("month", "staff_id"), "attendance": ("month", "staff_id"), "roster": ("date", "staff_id"),
    "commission_plan": ("role", "lower"), "performance_factors": ("min_achievement",),
    "overrides": ("customer_id", "effective"), "visits": (),
}
COLUMNS = ("sheet", "row", "key", "start", "hash", "text")


def key_columns(sheet: K.Sheet) -> tuple[str, ...]:
    if sheet.primary_key:
        return (sheet.primary_key,)
    return NATURAL_KEYS.get(sheet.key, ())


def column_text(values: pd.Series, col: K.Column) -> pa.Array:
    """One column as canonical text (null = blank)."""
    if col.type in K.NUMERIC_TYPES:
        v = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        v = np.round(v, 6) + 0.0                     # -0.0 → 0.0; 0.30000000000000004 → 0.3
        return pc.cast(pa.array(v, mask=np.isnan(v)), pa.string())
    if col.type in K.DATE_TYPES:
        ts = pd.to_datetime(values, errors="coerce")
        if col.type == K.DATETIME:
            ts = ts.dt.round("s")
        fmt = "%Y-%m-%d %H:%M:%S" if col.type == K.DATETIME else "%Y-%m-%d"
        return pc.strftime(pa.array(ts.to_numpy(dtype="datetime64[s]"), mask=ts.isna().to_numpy()), format=fmt)
    arr = pa.array(values.astype(object).where(values.notna(), None), type=pa.string(), from_pandas=True)
    return pc.replace_substring(arr, SEP, " ")


def _join(columns: list[pa.Array]) -> pa.Array:
    if len(columns) == 1:
        return pc.fill_null(columns[0], "")
    return pc.binary_join_element_wise(*columns, SEP, null_handling="replace", null_replacement="")


def digest(texts) -> np.ndarray:
    """Fingerprint of each text: int64 of the first 8 bytes of BLAKE2b."""
    b2 = hashlib.blake2b
    return np.fromiter((int.from_bytes(b2(t.encode("utf-8"), digest_size=8).digest(), "big", signed=True)
                        for t in texts), dtype="int64", count=len(texts))


def hex_of(h: int) -> str:
    return f"{int(h) & 0xFFFFFFFFFFFFFFFF:016x}"


def int_of(text: str) -> int:
    v = int(text, 16)
    return v - (1 << 64) if v >= 1 << 63 else v


def sheet_rows(sheet: K.Sheet, table: pd.DataFrame) -> pd.DataFrame:
    """The fingerprint rows of one parsed input table (COLUMNS)."""
    n = len(table)
    if n == 0:
        return empty()
    texts = _join([column_text(table[c.key], c) for c in sheet.columns]).to_pylist()
    keys = key_columns(sheet)
    if keys:
        key = _join([column_text(table[k], sheet.col(k)) for k in keys]).to_pylist()
    else:
        key = [""] * n
    feed = FEEDS[sheet.key]
    if feed is None:
        start = np.full(n, ALWAYS, dtype="int64")
    elif sheet.col(feed).type == K.MONTH:
        start = np.array([Month.parse(m).index if isinstance(m, str) else NEVER for m in table[feed]], dtype="int64")
    else:
        start = month_index(pd.to_datetime(table[feed], errors="coerce"))
        start[start < 0] = NEVER
    return pd.DataFrame({"sheet": sheet.key, "row": table["_row"].to_numpy(dtype="int64"), "key": key,
                         "start": start, "hash": digest(texts), "text": texts})


def table_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Fingerprint rows of every fed input sheet (all rows, parsed as read)."""
    parts = [sheet_rows(K.SHEETS[key], tables[key]) for key in FEEDS if key in tables]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else empty()


def empty() -> pd.DataFrame:
    return pd.DataFrame({"sheet": pd.Series([], dtype=object), "row": pd.Series([], dtype="int64"),
                         "key": pd.Series([], dtype=object), "start": pd.Series([], dtype="int64"),
                         "hash": pd.Series([], dtype="int64"), "text": pd.Series([], dtype=object)})


def fed(rows: pd.DataFrame, month: int) -> pd.DataFrame:
    """The rows that feed the month (index)."""
    s = rows["start"].to_numpy()
    return rows[(s == ALWAYS) | ((s >= 0) & (s <= month))]


def data_fingerprint(rows: pd.DataFrame) -> str:
    """数据指纹 of a set of rows: independent of row order (sorting a sheet changes nothing)."""
    h = hashlib.blake2b(digest_size=8)
    for sheet, hashes in sorted(rows.groupby("sheet")["hash"]):
        h.update(sheet.encode())
        h.update(np.sort(hashes.to_numpy(dtype="int64")).tobytes())
    return h.hexdigest()
