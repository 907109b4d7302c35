"""Reading a workbook file (the edge): fastexcel reads each input sheet as text, on two
threads, and `tables.parse` turns the text into typed tables by the contract.

fastexcel (Rust/calamine) is the fastest reader measured here. Every cell is read as text
so that a text typed into a number cell is reported, not coerced (see tables.parse).
"""
from __future__ import annotations

import difflib
import re
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa

from . import contract as K
from .errors import WorkbookError
from .tables.book import Book
from .tables.parse import TEXT_DTYPE, empty_table, parse_table

# Sheets a workbook cannot do without; the others may be absent (then empty / defaults).
REQUIRED_SHEETS = ("staff", "customers", "visits", "contracts", "payments")


def load(path: Path | str, sheets: tuple[str, ...] | None = None) -> Book:
    """Read the input sheets of the workbook at `path` (all, or the given contract keys)."""
    return _load(Path(path), sheets, with_close=False)[0]


def load_with_close(path: Path | str) -> tuple[Book, dict[str, pd.DataFrame]]:
    """Every input sheet and the month close's sheets (as load_close_sheets reads them), in
    one read: the close's sheets go to the worker that would otherwise wait for 拜访."""
    return _load(Path(path), None, with_close=True)


def _load(path: Path, sheets: tuple[str, ...] | None, with_close: bool) -> tuple[Book, dict[str, pd.DataFrame]]:
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
    todo = [(present[s.key], s) for s in sorted((s for s in wanted if s.key in present),
                                                 key=lambda s: BIG_FIRST.get(s.key, 9))]
    closing = _close_sheets_present(fx.sheet_names) if with_close else {}
    # the fingerprints (the largest close sheet) right after 拜访, so the other worker reads them
    close_jobs = sorted(((name, _CLOSE_WANTED[k]) for k, name in closing.items()),
                        key=lambda job: job[1].key != K.CLOSE_PRINTS.key)
    results = _read_parallel(path, todo[:1] + close_jobs[:1] + todo[1:] + close_jobs[1:])
    close_tables = {}
    for key in closing:
        result = results[key]
        if isinstance(result, BaseException):
            raise result
        close_tables[key] = result
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
    return book, close_tables


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
            if sheet.key in _CLOSE_WANTED:
                return sheet.key, _read_close_sheet(local.fx, name, sheet)
            raw, colpos = _read_sheet(local.fx, name, sheet, path)
            table, problems = parse_table(sheet, raw)
            return sheet.key, (table, problems, colpos)
        except Exception as exc:  # re-raised by the caller in contract order
            return sheet.key, exc

    with ThreadPoolExecutor(WORKERS) as pool:
        return dict(pool.map(job, jobs))


def _open(path: Path):
    import fastexcel

    from .xlsx.safety import check_package

    if not path.exists():
        raise WorkbookError(f"找不到文件「{path}」。请检查路径和文件名。", f"File not found: {path}")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(
            f"「{path.name}」不是 .xlsx/.xlsm 工作簿。请在 Excel 里「另存为」Excel 工作簿(*.xlsx)后再试。",
            f"'{path.name}' is not an .xlsx/.xlsm workbook; save it as .xlsx in Excel and retry.",
        )
    check_package(path)  # hostile or broken packages are refused before any part is parsed
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


_CLOSE_WANTED = {s.key: s for s in (K.CLOSE_LOG,) + K.CLOSE_SHEETS}


def _close_sheets_present(all_sheet_names: list[str]) -> dict[str, str]:
    present = {}
    for name in all_sheet_names:
        for s in _CLOSE_WANTED.values():
            if name.strip() in (s.zh, s.en) and s.key not in present:
                present[s.key] = name
    return present


def load_close_sheets(path: Path | str, all_sheet_names: list[str]) -> dict[str, pd.DataFrame]:
    """The month close's sheets (月结记录 and the hidden snapshot sheets), as text tables with
    contract keys for columns; only the sheets the workbook has (an empty dict: never closed).
    Missing columns read as blank (a hand-edited log still reads), extra ones are ignored."""
    present = _close_sheets_present(all_sheet_names)
    if not present:
        return {}
    fx = _open(Path(path))
    return {key: _read_close_sheet(fx, name, _CLOSE_WANTED[key]) for key, name in present.items()}


def _read_close_sheet(fx, name: str, sheet: K.Sheet) -> pd.DataFrame:
    loaded = fx.load_sheet(name, dtypes="string")
    names = {_norm_header(c.name): c.name for c in loaded.available_columns()}
    batch = loaded.to_arrow()
    cols = {}
    for c in sheet.columns:
        hit = names.get(_norm_header(c.zh)) or names.get(_norm_header(c.en))
        cols[c.key] = (batch.column(hit).to_pandas(types_mapper={pa.string(): TEXT_DTYPE,
                                                                 pa.large_string(): TEXT_DTYPE}.get)
                       if hit is not None else pd.Series([None] * batch.num_rows, dtype=TEXT_DTYPE))
    return pd.DataFrame(cols)
