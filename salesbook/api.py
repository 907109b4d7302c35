"""One function per command: a workbook file in, an Outcome out. Nothing is written here.

Every command runs the same pipeline (read → validate → usable rows → engines), so
校验结果 and the highlights always show every finding, whichever button was pressed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import contract as K
from .reader import Book, load
from .errors import WorkbookError
from .findings import ERROR, WARNING, Finding, sort_findings
from .outcome import Highlight, Outcome
from .settings import Settings, read_settings

# A workbook with tens of thousands of warnings would get a comment on every one;
# past this many cells only the first ones (errors first) are marked.
MAX_HIGHLIGHTS = 5000


@dataclass
class Run:
    """Everything the engines share for one command on one workbook."""

    book: Book
    settings: Settings
    tables: dict[str, pd.DataFrame]   # usable rows only (错误 rows and their dependants left out)
    findings: list[Finding]
    today: dt.date


def prepare(path: Path | str, *, today: dt.date | None = None, month: str | None = None) -> Run:
    from . import validation as V

    today = today or dt.date.today()
    book = load(path)
    settings, setting_findings = read_settings(book.tables["settings"])
    findings = list(book.findings) + setting_findings
    findings += V.check(book.tables, settings, today=today, month=month, already=book.findings)
    tables, cascaded = V.usable(book.tables, findings)
    return Run(book, settings, tables, findings + cascaded, today)


def _ownership(run: Run, as_of: dt.date):
    from . import ownership
    from .credit import signer_findings

    result = ownership.compute(run.tables, run.settings, as_of)
    t = run.tables
    signers = signer_findings(t["contracts"], t["staff"], t["visits"], run.settings.protection_days, as_of,
                              result.owners_on, label=result.person_label)
    return result, list(result.findings) + signers


def validate(book: Path | str, *, lang: str = "zh", today: dt.date | None = None,
             month: str | None = None) -> Outcome:
    today = today or dt.date.today()
    month = month or today.strftime("%Y-%m")
    run = prepare(book, today=today, month=month)
    _, extra = _ownership(run, today)
    findings = run.findings + extra
    out = _base_outcome("validate", run, findings, lang)
    out.summary = _findings_summary(run, findings, lang)
    return out


def assign(book: Path | str, *, as_of: dt.date | None = None, lang: str = "zh",
           today: dt.date | None = None) -> Outcome:
    today = today or dt.date.today()
    as_of = as_of or today
    run = prepare(book, today=max(today, as_of), month=as_of.strftime("%Y-%m"))
    result, extra = _ownership(run, as_of)
    findings = run.findings + extra
    out = _base_outcome("assign", run, findings, lang)
    out.sheets[_out_name(run.book, K.OWNERSHIP, lang)] = display(result.state, K.OWNERSHIP, lang)
    out.sheets[_out_name(run.book, K.OWNERSHIP_LOG, lang)] = display(result.log, K.OWNERSHIP_LOG, lang)
    out.summary = result.summary_lines(lang) + _findings_summary(run, findings, lang)
    return out


def last_full_month(today: dt.date) -> str:
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def month_end(month: str) -> dt.date:
    y, m = (int(x) for x in month.split("-"))
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


@dataclass
class MonthResults:
    """The engines' answers for one month: ownership as of its last day and its pay."""

    month: str
    ownership: object           # ownership.Ownership, as of the month's last day
    pay: object                 # commission.Pay
    findings: list[Finding]     # ownership + signer findings (pay findings are in pay.findings)


def month_results(run: Run, month: str) -> MonthResults:
    """Ownership as of the month's end and the month's pay, reconciled (pure, on a Run)."""
    from . import commission as C

    ownership, extra = _ownership(run, month_end(month))
    pay = C.compute(run.tables, run.settings, month, ownership)
    pay.check()
    return MonthResults(month, ownership, pay, extra)


def commission(book: Path | str, *, month: str | None = None, lang: str = "zh",
               today: dt.date | None = None, plan: Path | str | None = None,
               explain: str | None = None) -> Outcome:
    from . import commission as C

    today = today or dt.date.today()
    month = month or last_full_month(today)
    run = prepare(book, today=today, month=month)
    res = month_results(run, month)
    ownership, pay, extra = res.ownership, res.pay, res.findings
    findings = run.findings + extra + list(pay.findings)
    out = _base_outcome("commission", run, findings, lang)
    out.sheets[_out_name(run.book, K.PAYROLL, lang)] = display(pay.payroll, K.PAYROLL, lang)
    out.sheets[_out_name(run.book, K.COMMISSION_LINES, lang)] = display(pay.lines, K.COMMISSION_LINES, lang)
    if plan is not None:
        comparison = C.compare_plans(run.tables, run.settings, month, ownership, _plan_tables(plan), lang=lang)
        out.sheets[_out_name(run.book, K.PLAN_COMPARISON, lang)] = display(comparison, K.PLAN_COMPARISON, lang)
    out.summary = pay.summary_lines(lang) if hasattr(pay, "summary_lines") else []
    if explain:
        out.summary = [pay.explain(explain, lang)] + out.summary
    out.summary += _findings_summary(run, findings, lang)
    return out


PLAN_SHEETS = ("settings", "commission_plan", "performance_factors")


def _plan_tables(path: Path | str) -> dict[str, pd.DataFrame]:
    """The alternative plan: only 提成方案 / 绩效系数 / 参数 are read, so a small file with
    just those sheets (or a copy of the whole workbook) will do."""
    from . import validation as V

    book = load(path, sheets=PLAN_SHEETS)
    if not any(k in book.sheet_names for k in PLAN_SHEETS[1:]):
        raise WorkbookError(
            f"方案文件「{Path(path).name}」里没有「提成方案」或「绩效系数」工作表, 无法对比。",
            f"Plan file '{Path(path).name}' has no CommissionPlan or PerformanceFactors sheet.")
    errors = [f for f in book.findings if f.level == ERROR]
    if errors:
        f = errors[0]
        raise WorkbookError(
            f"方案文件「{Path(path).name}」的「{book.sheet_name(f.sheet)}」第 {f.row} 行有错误: {f.problem}。{f.suggestion}",
            f"Plan file '{Path(path).name}', sheet {book.sheet_name(f.sheet)} row {f.row}: {f.text('en')[0]}")
    tables, _ = V.usable(book.tables, [])
    return {k: tables[k] for k in PLAN_SHEETS}


# --- rendering -----------------------------------------------------------------

def _out_name(book: Book, sheet: K.Sheet, lang: str) -> str:
    """Reuse the name the workbook already has for an output sheet, else the lang's name."""
    for name in book.all_sheet_names:
        if name in (sheet.zh, sheet.en):
            return name
    return sheet.name(lang)


def display(frame: pd.DataFrame, sheet: K.Sheet, lang: str) -> pd.DataFrame:
    """An engine frame (contract keys) as the sheet people see (headers in lang)."""
    cols = [c.key for c in sheet.columns]
    out = frame.reindex(columns=cols).copy()
    out.columns = sheet.headers(lang)
    return out.reset_index(drop=True)


def issues_frame(run: Run, findings: list[Finding], lang: str) -> pd.DataFrame:
    rows = []
    for f in findings:
        sheet = K.SHEETS.get(f.sheet)
        problem, suggestion = f.text(lang)
        level = f.level if lang != "en" else {"错误": "Error", "警告": "Warning"}[f.level]
        col = sheet.col(f.column).header(lang) if sheet and f.column in sheet.by_key else (f.column or "")
        rows.append((level, run.book.sheet_name(f.sheet) if sheet else f.sheet, f.row, col, f.value,
                     problem, suggestion))
    # object dtype: 行号 stays a whole number (a sheet-level finding has none)
    return pd.DataFrame(rows, columns=K.ISSUES.headers(lang), dtype=object)


def highlights(run: Run, findings: list[Finding], lang: str) -> list[Highlight]:
    marks: dict[tuple[str, int, int], Highlight] = {}
    for f in findings:  # sorted: errors first, so an error's colour wins on a shared cell
        if f.row is None or f.sheet not in run.book.sheet_names:
            continue
        colpos = run.book.column_index.get(f.sheet, {})
        col = colpos.get(f.column) if f.column else min(colpos.values(), default=1)
        if col is None:
            continue
        key = (run.book.sheet_names[f.sheet], f.row, col)
        problem, suggestion = f.text(lang)
        note = f"[{f.level}] {problem}\n{suggestion}"
        if key in marks:
            old = marks[key]
            marks[key] = Highlight(old.sheet, old.row, old.column, old.level, old.note + "\n" + note)
        elif len(marks) < MAX_HIGHLIGHTS:
            marks[key] = Highlight(key[0], f.row, col, f.level, note)
    return list(marks.values())


def _base_outcome(command: str, run: Run, findings: list[Finding], lang: str) -> Outcome:
    findings = sort_findings(findings)
    out = Outcome(command)
    out.sheets[_out_name(run.book, K.ISSUES, lang)] = issues_frame(run, findings, lang)
    out.highlights = highlights(run, findings, lang)
    out.exit_code = 1 if any(f.level == ERROR for f in findings) else 0
    return out


def _findings_summary(run: Run, findings: list[Finding], lang: str) -> list[str]:
    errors = [f for f in findings if f.level == ERROR]
    warnings = [f for f in findings if f.level == WARNING]
    by_sheet: dict[str, int] = {}
    for f in errors:
        name = run.book.sheet_name(f.sheet) if f.sheet in K.SHEETS else f.sheet
        by_sheet[name] = by_sheet.get(name, 0) + 1
    marked = min(MAX_HIGHLIGHTS, len([f for f in findings if f.row is not None]))
    if lang == "en":
        lines = [f"{len(errors)} errors, {len(warnings)} warnings (see sheet {K.ISSUES.en}/{K.ISSUES.zh})."]
        if by_sheet:
            lines.append("Errors by sheet: " + ", ".join(f"{k} {v}" for k, v in by_sheet.items())
                         + ". Rows with errors are left out of every computation.")
        return lines
    lines = [f"发现 {len(errors)} 个错误、{len(warnings)} 个警告, 详见「{K.ISSUES.zh}」工作表"
             + (", 有问题的单元格已标色并加批注" if marked else "") + "。"]
    if by_sheet:
        lines.append("错误分布: " + "、".join(f"{k} {v} 处" for k, v in by_sheet.items())
                     + "。有错误的行不参与归属和提成计算, 改正后重新运行即可。")
    if len([f for f in findings if f.row is not None]) > MAX_HIGHLIGHTS:
        lines.append(f"问题较多, 只标出了前 {MAX_HIGHLIGHTS} 个单元格(错误优先), 全部问题见「{K.ISSUES.zh}」。")
    return lines
