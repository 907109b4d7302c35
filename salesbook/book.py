"""Reading a workbook file into typed tables, following the contract.

Every cell is read as text by fastexcel (Rust/calamine, the fastest reader measured
here) and parsed by the contract's column type in pandas, vectorised. A cell that
does not parse becomes a finding (text in a number cell is reported, never coerced).

A table has one column per contract column (named by Column.key) plus `_row`, the
Excel row number, so every finding can point at a cell.
"""
from __future__ import annotations

import difflib
import re
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import contract as K
from .errors import WorkbookError
from .findings import Finding, error

ROW = "_row"

# Arrow-backed strings with NaN for blanks: vectorised string ops, and a missing value
# behaves like NaN everywhere (pd.NA would raise in plain `if` tests in the engines).
TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)

# Sheets a workbook cannot do without; the others may be absent (then empty / defaults).
REQUIRED_SHEETS = ("staff", "customers", "visits", "contracts", "payments")


@dataclass
class Book:
    path: Path
    tables: dict[str, pd.DataFrame]            # contract sheet key -> parsed table
    sheet_names: dict[str, str]                # contract sheet key -> name in this workbook
    column_index: dict[str, dict[str, int]]    # sheet key -> column key -> 1-based Excel column
    all_sheet_names: list[str]                 # every sheet of the workbook, in order
    findings: list[Finding] = field(default_factory=list)  # parse + structure findings

    def sheet_name(self, key: str) -> str:
        return self.sheet_names.get(key) or K.SHEETS[key].zh


def load(path: Path | str, sheets: tuple[str, ...] | None = None) -> Book:
    """Read the input sheets of the workbook at `path` (all, or the given contract keys)."""
    path = Path(path)
    fx = _open(path)
    present = {}
    for name in fx.sheet_names:
        s = K.sheet_for_name(name)
        if s is not None and not s.output and s.key not in present:
            present[s.key] = name
    wanted = [s for s in K.INPUT_SHEETS if sheets is None or s.key in sheets]
    missing = [K.SHEETS[k] for k in REQUIRED_SHEETS if k not in present and any(w.key == k for w in wanted)]
    if missing:
        names = "、".join(s.zh for s in missing)
        raise WorkbookError(
            f"工作簿「{path.name}」缺少工作表: {names}。请按模板补上这些工作表(名称要一字不差), "
            f"或用 `salesbook init 新文件.xlsx` 生成一个空白模板对照。",
            f"Workbook '{path.name}' has no sheet {', '.join(s.en + '/' + s.zh for s in missing)}. "
            f"Add it with the exact name (see `salesbook init`).",
        )
    book = Book(path, {}, {}, {}, list(fx.sheet_names))
    for s in wanted:
        if s.key not in present:
            book.tables[s.key] = empty_table(s)
            book.column_index[s.key] = {c.key: i + 1 for i, c in enumerate(s.columns)}
    todo = sorted((s for s in wanted if s.key in present), key=lambda s: BIG_FIRST.get(s.key, 9))
    results = _read_parallel(path, [(present[s.key], s) for s in todo])
    for s in wanted:  # contract order, so the first broken sheet is the one reported
        if s.key not in present:
            continue
        result = results[s.key]
        if isinstance(result, BaseException):
            raise result
        table, problems, colpos = result
        book.sheet_names[s.key] = present[s.key]
        book.column_index[s.key] = colpos
        book.tables[s.key] = table
        book.findings.extend(problems)
    return book


# Largest sheets first so the two workers finish together.
BIG_FIRST = {"visits": 0, "customers": 1, "payments": 2, "contracts": 3}
WORKERS = 2


def _read_parallel(path: Path, jobs: list[tuple[str, K.Sheet]]) -> dict:
    """Read and parse sheets on two threads: calamine and Arrow release the GIL, so a
    2-core machine reads a large workbook ~1.5x faster. A reader is not shareable
    between threads, so each worker opens its own."""
    local = threading.local()

    def job(item):
        name, sheet = item
        try:
            if not hasattr(local, "fx"):
                local.fx = _open(path)
            raw, colpos = _read_sheet(local.fx, name, sheet, path)
            table, problems = parse_table(sheet, raw)
            return sheet.key, (table, problems, colpos)
        except Exception as exc:  # re-raised by the caller in contract order
            return sheet.key, exc

    with ThreadPoolExecutor(WORKERS) as pool:
        return dict(pool.map(job, jobs))


def _open(path: Path):
    import fastexcel

    if not path.exists():
        raise WorkbookError(f"找不到文件「{path}」。请检查路径和文件名。", f"File not found: {path}")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(
            f"「{path.name}」不是 .xlsx/.xlsm 工作簿。请在 Excel 里「另存为」Excel 工作簿(*.xlsx)后再试。",
            f"'{path.name}' is not an .xlsx/.xlsm workbook; save it as .xlsx in Excel and retry.",
        )
    if not zipfile.is_zipfile(path):
        raise WorkbookError(
            f"「{path.name}」已损坏或不是 Excel 工作簿(无法按 xlsx 格式打开)。请用备份文件(如 *.bak.xlsx)恢复, "
            f"或在 Excel 中打开后重新保存。",
            f"'{path.name}' is corrupt or not an Excel workbook; restore the backup or re-save it in Excel.",
        )
    try:
        return fastexcel.read_excel(str(path))
    except Exception as exc:  # calamine reports corrupt parts with its own texts
        raise WorkbookError(
            f"无法读取「{path.name}」: {exc}。请在 Excel 中打开并重新保存, 或用备份文件恢复。",
            f"Cannot read '{path.name}': {exc}. Re-save it in Excel or restore the backup.",
        ) from exc


def _norm_header(h: str) -> str:
    return re.sub(r"\s+", "", str(h)).replace("（", "(").replace("）", ")").lower()


def _read_sheet(fx, name: str, sheet: K.Sheet, path: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    # One parse per sheet: calamine reads the whole sheet even for the header alone.
    loaded = fx.load_sheet(name, dtypes="string")
    infos = loaded.available_columns()
    found = [c.name for c in infos]
    by_norm = {}
    for info in infos:  # absolute_index: the Excel column even when column A is empty
        by_norm.setdefault(_norm_header(info.name), (info.absolute_index, info.name))
    use, colpos, missing = [], {}, []
    for c in sheet.columns:
        hit = by_norm.get(_norm_header(c.zh)) or by_norm.get(_norm_header(c.en))
        if hit is None:
            missing.append(c)
            continue
        use.append(hit[1])
        colpos[c.key] = hit[0] + 1
    if missing:
        lines_zh, lines_en = [], []
        for c in missing:
            near = difflib.get_close_matches(c.zh, found, n=1, cutoff=0.4)
            hint = f"(表中有「{near[0]}」, 是否被改名了?)" if near else ""
            lines_zh.append(f"「{c.zh}」{hint}")
            lines_en.append(f"'{c.en}'/'{c.zh}'" + (f" (found '{near[0]}': renamed?)" if near else ""))
        raise WorkbookError(
            f"工作表「{name}」第 1 行缺少列标题: {'、'.join(lines_zh)}。"
            f"请把第 1 行的标题改回模板里的名称(一字不差), 多出的列可以保留。",
            f"Sheet '{name}' row 1 lacks the header(s) {', '.join(lines_en)}. "
            f"Restore the template's header text; extra columns may stay.",
        )
    batch = loaded.to_arrow()
    frame = batch.select(use).to_pandas(types_mapper={pa.string(): TEXT_DTYPE, pa.large_string(): TEXT_DTYPE}.get) \
        if len(use) else pd.DataFrame()
    frame.columns = [c.key for c in sheet.columns]
    return frame, colpos


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


# --- parsing -----------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")
_MONTH_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_NUM_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")

TYPE_WORDS = {
    K.INT: ("整数", "a whole number"), K.NUMBER: ("数字", "a number"), K.MONEY: ("金额数字", "an amount"),
    K.RATIO: ("比例(如 0.7 或 70%)", "a ratio (0.7 or 70%)"), K.DATE: ("日期", "a date"),
    K.DATETIME: ("日期", "a date"), K.MONTH: ("月份(YYYY-MM)", "a month (YYYY-MM)"),
}


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
    table = pd.DataFrame(out, columns=[ROW] + [c.key for c in sheet.columns])
    return table, findings


def _cell_findings(sheet: K.Sheet, c: K.Column, rows, values) -> list[Finding]:
    what_zh, what_en = TYPE_WORDS.get(c.type, ("", ""))
    found = []
    for r, v in zip(rows, values):
        if c.type == K.ENUM:
            found.append(error(
                sheet.key, int(r), c.key, v,
                f"「{c.zh}」只能填: {'、'.join(c.choices)}",
                f"请从下拉列表中选择, 把「{v}」改成 {'/'.join(c.choices)} 之一",
                f"'{c.en}' must be one of {', '.join(c.choices)}",
                f"Pick a value from the dropdown instead of '{v}'"))
        else:
            kind = "" if _NUM_RE.match(v.rstrip("%")) else "文字"
            found.append(error(
                sheet.key, int(r), c.key, v,
                f"「{c.zh}」应为{what_zh}, 但填的是{kind}「{v}」",
                _fix_hint(c),
                f"'{c.en}' must be {what_en}, found '{v}'",
                "Type the value as " + what_en))
    return found


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
        text = s.where(present, "")
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
        return _parse_dates(s, present, keep_time=c.type == K.DATETIME)
    if c.type == K.MONTH:
        text = s.where(present, "")
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
