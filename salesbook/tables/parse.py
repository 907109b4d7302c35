"""Typed tables from the text of a sheet, following the contract (pure: no file, no clock).

The reader hands over every cell as text; here each contract column is parsed by its type,
vectorised. A cell that does not parse becomes a 错误 finding (text in a number cell is
reported, never coerced) and is blank in the table.

A table has one column per contract column (named by Column.key) plus `_row`, the Excel
row number, so every finding can point at a cell. Text/code columns hold `str` or missing
(test with `pd.isna`), numbers `float64` (NaN blank), dates `datetime64[ns]` (NaT blank;
`date` columns normalised to midnight, `datetime` columns keep the time), months
`"YYYY-MM"` strings, enums the exact Chinese choice.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import contract as K
from ..findings import ERROR, WARNING, Finding, rule

CELL_TYPE = rule("T-TYPE", ERROR, "单元格的值不是该列的类型(文字填进数字/日期列)", "a cell is not of its column's type")
CELL_SEPARATOR = rule("T-SEPARATOR", WARNING, "数字带千位分隔符, 是以文字形式录入的", "a number typed as text with separators")
CELL_CHOICE = rule("T-CHOICE", ERROR, "值不在下拉选项中", "value outside its enumeration")

ROW = "_row"

# Arrow-backed strings with NaN for blanks: vectorised string ops, and a missing value
# behaves like NaN everywhere (pd.NA would raise in plain `if` tests in the engines).
TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)

def empty_table(sheet: K.Sheet) -> pd.DataFrame:
    cols = {ROW: pd.Series([], dtype="int64")}
    cols.update({c.key: pd.Series([], dtype=_dtype(c)) for c in sheet.columns})
    return pd.DataFrame(cols)


def _dtype(c: K.Column):
    if c.type in K.NUMERIC_TYPES:
        return "float64"
    if c.type in K.DATE_TYPES:
        return "datetime64[ns]"
    return TEXT_DTYPE


_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")
_MONTH_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_NUM_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


_SEPARATED_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?%?$")
# What an input method types beside digits: full-width signs, point, comma, percent, separators.
_WIDE_MARKS = {"＋": "+", "－": "-", "−": "-", "．": ".", "。": ".", "，": ",", "％": "%", "／": "/", "：": ":",
               "ｅ": "e", "Ｅ": "E", "\u3000": " ", "年": "年", "月": "月", "日": "日"}


@lru_cache(maxsize=1)
def _digit_table() -> dict[int, str]:
    """Every Unicode decimal digit (full-width ２, Arabic-Indic ٢, Devanagari २ …) → 0-9, and
    the full-width marks. Built on first need: most workbooks never have such a cell."""
    table = {ord(k): v for k, v in _WIDE_MARKS.items() if k != v}
    cp = 0x80
    while cp < 0x110000:
        ch = chr(cp)
        if unicodedata.category(ch) == "Nd" and unicodedata.decimal(ch, None) == 0:
            for d in range(10):        # decimal digits come in runs of ten from a zero
                if unicodedata.decimal(chr(cp + d), None) == d:
                    table[cp + d] = str(d)
            cp += 10
            continue
        cp += 1
    return table


def ascii_digits(s: pd.Series) -> pd.Series:
    """Text with every decimal digit and full-width mark as its ASCII form (the number the
    cell shows: ２０ → 20, １，０００ → 1,000, ١٢٣ → 123). Vectorised check first."""
    arr = pa.array(s, type=pa.large_string(), from_pandas=True)
    wide = np.asarray(pc.match_substring_regex(arr, "[^\\x00-\\x7F]").fill_null(False), dtype=bool)
    if not wide.any():
        return s
    table = _digit_table()
    out = s.copy()
    out[wide] = [v.translate(table) for v in s[wide]]
    return out


def parse_table(sheet: K.Sheet, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Finding]]:
    """Parse a sheet's text cells by type; report cells that do not parse."""
    rows = np.arange(len(raw), dtype="int64") + 2
    stripped = {}
    for c in sheet.columns:
        s = raw[c.key].astype(TEXT_DTYPE).str.strip()
        stripped[c.key] = s.mask(s == "")
    blank = pd.DataFrame(stripped).isna().all(axis=1).to_numpy() if len(raw) else np.zeros(0, bool)
    keep = ~blank
    rows = rows[keep]
    out = {ROW: rows}
    findings: list[Finding] = []
    for c in sheet.columns:
        s = stripped[c.key][keep].reset_index(drop=True)
        parsed, bad = parse_column(c, s)
        out[c.key] = parsed.reset_index(drop=True)
        if bad.any():
            findings.extend(_cell_findings(sheet, c, rows[bad.to_numpy()], s[bad]))
        if c.type in K.NUMERIC_TYPES:
            findings.extend(_separator_findings(sheet, c, rows, s, bad))
    table = pd.DataFrame(out, columns=[ROW] + [c.key for c in sheet.columns])
    return table, findings


def _cell_findings(sheet: K.Sheet, c: K.Column, rows, values) -> list[Finding]:
    what_zh, what_en = K.TYPE_WORDS[c.type]
    found = []
    for r, v in zip(rows, values):
        if c.type == K.ENUM:
            found.append(CELL_CHOICE(
                sheet.key, int(r), c.key, v,
                f"「{c.zh}」只能填: {'、'.join(c.choices)}",
                f"请从下拉列表中选择, 把「{v}」改成 {'/'.join(c.choices)} 之一",
                f"'{c.en}' must be one of {', '.join(c.choices)}",
                f"Pick a value from the dropdown instead of '{v}'"))
        else:
            kind = "" if _NUM_RE.match(v.rstrip("%")) else "文字"
            found.append(CELL_TYPE(
                sheet.key, int(r), c.key, v,
                f"「{c.zh}」应为{what_zh}, 但填的是{kind}「{v}」",
                _fix_hint(c),
                f"'{c.en}' must be {what_en}, found '{v}'",
                "Type the value as " + what_en))
    return found


def _separator_findings(sheet: K.Sheet, c: K.Column, rows, s: pd.Series, bad: pd.Series) -> list[Finding]:
    """A number pasted as text with thousands separators (20,000) is read as the number it
    shows, with a 警告: Excel cannot sum such a cell."""
    text = ascii_digits(s.where(s.notna(), ""))
    hit = text.str.match(_SEPARATED_RE.pattern).fillna(False).to_numpy(bool) & ~bad.to_numpy(bool)
    return [CELL_SEPARATOR(
        sheet.key, int(r), c.key, v,
        f"「{c.zh}」的「{v}」是以文字形式录入的数字(带千位分隔符), 已按 {n.replace(',', '')} 计算",
        "把单元格改成数字: 选中该列 → 数据 → 分列 → 完成(或删掉逗号重新输入), 否则 Excel 的求和会漏掉它",
        f"'{c.en}' {v} is a number typed as text with separators; read as {n.replace(',', '')}",
        "Convert the cell to a number (Data → Text to Columns), or retype it without commas")
        for r, v, n in zip(rows[hit], s[hit], text[hit])]


def _fix_hint(c: K.Column) -> str:
    if c.type in K.DATE_TYPES:
        return "请填写日期, 如 2026-03-15(单元格格式设为日期, 不要写成文字或数字)"
    if c.type == K.MONTH:
        return "请填写月份, 如 2026-03"
    if c.type == K.RATIO:
        return "请填写小数或百分数, 如 0.7 或 70%"
    if c.type == K.INT:
        return "请填写整数, 不要带单位或文字"
    return "请只填数字(不要带单位、逗号或文字), 单元格格式设为数值"


def parse_column(c: K.Column, s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse one column of stripped text (None = blank). Returns (values, bad mask)."""
    present = s.notna()
    if c.type in (K.TEXT, K.CODE):
        return s, pd.Series(False, index=s.index)
    if c.type == K.ENUM:
        return s, present & ~s.isin(c.choices)
    if c.type in K.NUMERIC_TYPES:
        text = ascii_digits(s.where(present, ""))
        text = text.where(~text.str.match(_SEPARATED_RE.pattern).fillna(False).astype(bool),
                          text.str.replace(",", "", regex=False))
        pct = text.str.endswith("%") if c.type == K.RATIO else pd.Series(False, index=s.index)
        body = text.where(~pct, text.str[:-1].str.strip())
        ok = body.str.match(_NUM_RE.pattern).fillna(False).astype(bool)
        # Arrow's cast is ~30x faster than pd.to_numeric; only well-formed numbers reach it.
        arr = pa.array(body.where(ok), type=pa.string(), from_pandas=True)
        num = pd.Series(pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False), index=s.index)
        num = num.where(~pct, num / 100.0)
        bad = present & ~ok
        if c.type == K.INT:
            bad |= present & ok & (num % 1 != 0)
        return num.where(~bad), bad
    if c.type in K.DATE_TYPES:
        return _parse_dates(ascii_digits(s.where(present, "")).where(present), present, keep_time=c.type == K.DATETIME)
    if c.type == K.MONTH:
        text = ascii_digits(s.where(present, ""))
        m = text.str.extract(_MONTH_RE)
        d = text.str.extract(_DATE_RE)
        year = m[0].fillna(d[0])
        month = m[1].fillna(d[1])
        ok = year.notna() & month.notna()
        mi = pd.to_numeric(month, errors="coerce")
        ok &= mi.between(1, 12)
        val = year.where(ok) + "-" + mi.where(ok).fillna(0).astype("int64").astype(TEXT_DTYPE).str.zfill(2)
        return val.where(ok).astype(TEXT_DTYPE), present & ~ok
    raise ValueError(f"unknown column type {c.type}")


def _parse_dates(s: pd.Series, present: pd.Series, keep_time: bool) -> tuple[pd.Series, pd.Series]:
    text = s.where(present, "")
    # Fast path: the shapes fastexcel produces for real date cells and ISO text.
    arr = pa.array(text, type=pa.string(), from_pandas=True)
    iso = pd.Series(pc.strptime(arr, format="%Y-%m-%d %H:%M:%S", unit="ns", error_is_null=True)
                    .to_numpy(zero_copy_only=False), index=s.index).astype("datetime64[ns]")
    rest = iso.isna() & present
    if rest.any():
        iso.loc[rest] = pd.to_datetime(text[rest], format="%Y-%m-%d", errors="coerce")
        rest = iso.isna() & present
    if rest.any():  # 2026/3/5, 2026年3月5日, 2026-03-05 09:30 ...
        p = text[rest].str.extract(_DATE_RE).apply(pd.to_numeric, errors="coerce")
        parts = pd.DataFrame({"year": p[0], "month": p[1], "day": p[2], "hour": p[3].fillna(0),
                              "minute": p[4].fillna(0), "second": p[5].fillna(0)})
        iso.loc[rest] = pd.to_datetime(parts, errors="coerce")
    bad = present & iso.isna()
    if not keep_time:
        iso = iso.dt.normalize()
    return iso.astype("datetime64[ns]"), bad
