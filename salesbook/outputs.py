"""Results as the sheets and marks people see (pure): output frames with headers, 校验结果,
the cell marks, and the summary lines of the findings.

Language rule: everything written INTO the workbook (output sheet names, headers, the
texts of 校验结果 and of the cell notes) follows the workbook's own language — English
only when its input sheets carry the English names —; `--lang` is for the messages a
command prints or shows (the summary), so one workbook never mixes two languages.
"""
from __future__ import annotations

import pandas as pd

from . import contract as K
from .findings import ERROR, WARNING, Finding, sort_findings
from .marks import MAX_MARKED_CELLS
from .outcome import Highlight, Outcome
from .tables.book import Book


def book_language(book: Book) -> str:
    """"en" when most input sheets present carry their English names, else "zh"."""
    en = sum(1 for key, name in book.sheet_names.items() if name != K.SHEETS[key].zh)
    return "en" if en * 2 > len(book.sheet_names) else "zh"


def sheet_name(book: Book, sheet: K.Sheet) -> str:
    """The name an output sheet has in this workbook (an existing one is reused)."""
    for name in book.all_sheet_names:
        if name in (sheet.zh, sheet.en):
            return name
    return sheet.name(book_language(book))


def display(book: Book, frame: pd.DataFrame, sheet: K.Sheet) -> pd.DataFrame:
    """An engine frame (contract keys) as the sheet people see (headers in the book's language)."""
    out = frame.reindex(columns=sheet.keys()).copy()
    out.columns = sheet.headers(book_language(book))
    return out.reset_index(drop=True)


def issues_frame(book: Book, findings: list[Finding]) -> pd.DataFrame:
    lang = book_language(book)
    rows = []
    for f in findings:
        sheet = K.SHEETS.get(f.sheet)
        problem, suggestion = f.text(lang)
        level = f.level if lang != "en" else {"错误": "Error", "警告": "Warning"}[f.level]
        col = sheet.col(f.column).header(lang) if sheet and f.column in sheet.by_key else (f.column or "")
        rows.append((level, book.sheet_name(f.sheet) if sheet else f.sheet, f.row, col, f.value,
                     problem, suggestion))
    # object dtype: 行号 stays a whole number (a sheet-level finding has none)
    return pd.DataFrame(rows, columns=K.ISSUES.headers(lang), dtype=object)


def highlights(book: Book, findings: list[Finding]) -> list[Highlight]:
    """One mark per cell a finding points at (errors first: an error's colour wins on a shared
    cell), the findings of the cell in its note, at most MAX_MARKED_CELLS cells."""
    lang = book_language(book)
    marks: dict[tuple[str, int, int], Highlight] = {}
    for f in findings:
        if f.row is None or f.sheet not in book.sheet_names:
            continue
        colpos = book.column_index.get(f.sheet, {})
        col = colpos.get(f.column) if f.column else min(colpos.values(), default=1)
        if col is None:
            continue
        key = (book.sheet_names[f.sheet], f.row, col)
        problem, suggestion = f.text(lang)
        level = f.level if lang != "en" else {"错误": "Error", "警告": "Warning"}[f.level]
        note = f"[{level} {f.rule}] {problem}\n{suggestion}" if f.rule else f"[{level}] {problem}\n{suggestion}"
        if key in marks:
            old = marks[key]
            marks[key] = Highlight(old.sheet, old.row, old.column, old.level, old.note + "\n" + note)
        elif len(marks) < MAX_MARKED_CELLS:
            marks[key] = Highlight(key[0], f.row, col, f.level, note)
    return list(marks.values())


def base_outcome(command: str, book: Book, findings: list[Finding], lang: str) -> Outcome:
    """校验结果 and the marks (every command shows every finding), the exit code, the summary."""
    findings = sort_findings(findings)
    out = Outcome(command)
    out.sheets[sheet_name(book, K.ISSUES)] = issues_frame(book, findings)
    out.highlights = highlights(book, findings)
    out.exit_code = 1 if any(f.level == ERROR for f in findings) else 0
    out.summary = findings_summary(book, findings, lang)
    return out


def error_lines(book: Book, findings: list[Finding], lang: str, limit: int = 10) -> list[str]:
    """The errors to fix, one line each (sheet, row, column, problem), at most `limit` of them:
    what a refusal (the month close) shows so the person knows where to go."""
    errors = [f for f in sort_findings(findings) if f.level == ERROR]
    lines = []
    for f in errors[:limit]:
        sheet = K.SHEETS.get(f.sheet)
        name = book.sheet_name(f.sheet) if sheet else f.sheet
        col = sheet.col(f.column).header(lang) if sheet and f.column in sheet.by_key else (f.column or "")
        problem, suggestion = f.text(lang)
        if lang == "en":
            where = name + (f" row {f.row}" if f.row is not None else "") + (f", {col}" if col else "")
        else:
            where = name + (f" 第 {f.row} 行" if f.row is not None else "") + (f"「{col}」" if col else "")
        sep = ". " if lang == "en" else "。"
        text = problem.rstrip("。. ") + (sep + suggestion if suggestion else "")
        lines.append(f"  · {where}: {text}")
    if len(errors) > limit:
        lines.append(f"  …… and {len(errors) - limit} more" if lang == "en" else f"  ……还有 {len(errors) - limit} 个错误")
    return lines


def findings_summary(book: Book, findings: list[Finding], lang: str) -> list[str]:
    errors = [f for f in findings if f.level == ERROR]
    warnings = [f for f in findings if f.level == WARNING]
    by_sheet: dict[str, int] = {}
    for f in errors:
        name = book.sheet_name(f.sheet) if f.sheet in K.SHEETS else f.sheet
        by_sheet[name] = by_sheet.get(name, 0) + 1
    issues = sheet_name(book, K.ISSUES)
    located = len([f for f in findings if f.row is not None])
    if lang == "en":
        lines = [f"{len(errors)} errors, {len(warnings)} warnings (see sheet {issues})."]
        if by_sheet:
            lines.append("Errors by sheet: " + ", ".join(f"{k} {v}" for k, v in by_sheet.items())
                         + ". Rows with errors are left out of every computation; fix them and run again.")
        if located > MAX_MARKED_CELLS:
            lines.append(f"Many problems: only the first {MAX_MARKED_CELLS} cells are marked (errors first).")
        return lines
    lines = [f"发现 {len(errors)} 个错误、{len(warnings)} 个警告, 详见「{issues}」工作表"
             + (", 有问题的单元格已标色并加批注" if located else "") + "。"]
    if by_sheet:
        lines.append("错误分布: " + "、".join(f"{k} {v} 处" for k, v in by_sheet.items())
                     + "。有错误的行不参与归属和提成计算, 改正后重新运行即可。")
    if located > MAX_MARKED_CELLS:
        lines.append(f"问题较多, 只标出了前 {MAX_MARKED_CELLS} 个单元格(错误优先), 全部问题见「{issues}」。")
    return lines
