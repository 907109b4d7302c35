"""The orchestrator: one function per command, a workbook file in, an Outcome out.

The only module that reads the file (through reader) and hands tables to the pure rules;
nothing is written here (the CLI and the ribbon give the Outcome to salesbook.xlsx).
Every command runs the same pipeline (read → validate → usable rows → engines), so
校验结果 and the highlights always show every finding, whichever button was pressed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import contract as K
from . import outputs as O
from .domain.calendar import Month, last_full_month
from .errors import UsageError, WorkbookError
from .findings import ERROR, Finding
from .outcome import Outcome
from .reader import Book, load
from .settings import Settings, read_settings


@dataclass
class Run:
    """Everything the engines share for one command on one workbook."""

    book: Book
    settings: Settings
    tables: dict[str, pd.DataFrame]   # usable rows only (错误 rows and their dependants left out)
    findings: list[Finding]
    today: dt.date
    closed: object = None             # salesbook.close.CloseState: what the closed months locked
    prints: object = None             # fingerprint rows of the input as read (None: never closed)
    changes: list = field(default_factory=list)   # close.diff.Change since the last lock
    # Engine answers already computed on this Run (pure functions of it): the month close
    # and its reports ask for the same month's ownership and pay several times.
    memo: dict = field(default_factory=dict, repr=False, compare=False)


def prepare(path: Path | str, *, today: dt.date | None = None, month: str | None = None) -> Run:
    from . import validation as V
    from .close import diff, fingerprint
    from .close.state import CloseState
    from .reader import load_with_close

    today = today or dt.date.today()
    book, close_tables = load_with_close(path)
    state = CloseState.from_sheets(close_tables)
    prints, changes = None, []
    if state.closed:   # the retro check: the input rows against their last lock
        prints = fingerprint.table_rows(book.tables)
        changes = diff.changes(state.locked_prints(), prints, state.closed)
    settings, setting_findings = read_settings(book.tables["settings"])
    findings = list(book.findings) + setting_findings
    findings += V.check(book.tables, settings, today=today, month=month, already=book.findings,
                        closed=tuple(changes))
    tables, cascaded = V.usable(book.tables, findings)
    return Run(book, settings, tables, findings + cascaded, today, state, prints, changes)


def _ownership(run: Run, as_of: dt.date):
    key = ("ownership", as_of)
    if key not in run.memo:
        run.memo[key] = _compute_ownership(run, as_of)
    result, findings = run.memo[key]
    return result, list(findings)


def _compute_ownership(run: Run, as_of: dt.date):
    from . import ownership
    from .credit import signer_findings

    result = ownership.compute(run.tables, run.settings, as_of)
    t = run.tables
    signers = signer_findings(t["contracts"], t["staff"], t["visits"], run.settings.protection_days, as_of,
                              result.owners_on, label=result.person_label)
    return result, list(result.findings) + signers


def validate(book: Path | str, *, lang: str = "zh", today: dt.date | None = None,
             month: str | None = None) -> Outcome:
    """校验数据: every finding, written to 校验结果 and marked on the cells. `month` (default:
    the last full month, as for pay) is the month whose targets are checked."""
    today = today or dt.date.today()
    month = _month(month, today)
    run = prepare(book, today=today, month=month.label)
    _, extra = _ownership(run, today)
    return O.base_outcome("validate", run.book, run.findings + extra, lang)


def assign(book: Path | str, *, as_of: dt.date | None = None, lang: str = "zh",
           today: dt.date | None = None) -> Outcome:
    """客户归属 as of a day (default today); a day after today is computed with a warning."""
    today = today or dt.date.today()
    as_of = as_of or today
    run = prepare(book, today=max(today, as_of), month=Month.of(as_of).label)
    result, extra = _ownership(run, as_of)
    out = O.base_outcome("assign", run.book, run.findings + extra, lang)
    out.sheets[O.sheet_name(run.book, K.OWNERSHIP)] = O.display(run.book, result.state, K.OWNERSHIP)
    out.sheets[O.sheet_name(run.book, K.OWNERSHIP_LOG)] = O.display(run.book, result.log, K.OWNERSHIP_LOG)
    ahead = []
    if as_of > today:
        ahead = [f"注意: {as_of} 在今天({today})之后, 结果假定到那天为止没有新的拜访和合同, "
                 f"保护期届满的客户都已掉入公海。" if lang != "en" else
                 f"Note: {as_of} is after today ({today}); the result assumes no new visits or contracts "
                 f"until then, so every customer whose protection ends by then is in the pool."]
    out.summary = ahead + result.summary_lines(lang) + out.summary
    return out


def _month(month: str | None, today: dt.date) -> Month:
    """The month a command processes: the last full month by default; one that has not
    started yet is refused (nothing can be computed for it)."""
    m = Month.parse(month) if month else last_full_month(today)
    if m.first > today:
        raise UsageError(f"{m.label} 还没有开始(今天是 {today}), 无法计算。请选择 {Month.of(today).label} 或更早的月份。",
                         f"{m.label} has not started yet (today is {today}); choose {Month.of(today).label} or earlier.")
    return m


@dataclass
class MonthResults:
    """The engines' answers for one month: ownership as of its last day and its pay."""

    month: str
    ownership: object           # ownership.Ownership, as of the month's last day
    pay: object                 # commission.Pay
    findings: list[Finding]     # ownership + signer findings (pay findings are in pay.findings)
    plan: object = None         # close.ledger.Plan: closed history read, retro adjustments paid


def month_results(run: Run, month: str) -> MonthResults:
    """Ownership as of the month's end and the month's pay, reconciled (pure, on a Run).
    Next to closed months: their history is read from the snapshots and what their changed
    data owes is paid in 调整 (salesbook.close.ledger). Computed once per Run and month."""
    key = ("month", month)
    if key not in run.memo:
        run.memo[key] = _month_results(run, month)
    return run.memo[key]


def _month_results(run: Run, month: str) -> MonthResults:
    from . import commission as C
    from .close import ledger

    M = Month.parse(month)
    ownership, extra = _ownership(run, M.last)
    state = run.closed

    def recompute(m: Month, locked):
        # ownership as of M's end answers every earlier day too
        return C.compute(run.tables, run.settings, m.label, ownership, locked=locked, basis=False)

    plan = ledger.plan(state, run.changes, M, recompute, run.book.sheet_name) if state is not None \
        else ledger.Plan(None)
    pay = C.compute(run.tables, run.settings, month, ownership, locked=plan.locked, retro=plan.retro)
    pay.check()
    return MonthResults(month, ownership, pay, extra, plan)


def commission(book: Path | str, *, month: str | None = None, lang: str = "zh",
               today: dt.date | None = None, plan: Path | str | None = None) -> Outcome:
    """计算提成 for a month (default: the last full month): 业绩提成, 提成明细, and with `plan`
    a 方案对比 sheet."""
    from . import commission as C

    today = today or dt.date.today()
    month = _month(month, today).label
    run = prepare(book, today=today, month=month)
    if run.closed.is_closed(Month.parse(month)):
        from .close.view import locked_outcome
        M = Month.parse(month)
        return locked_outcome(run, M, _ownership(run, M.last)[1], lang)
    res = month_results(run, month)
    ownership, pay = res.ownership, res.pay
    out = O.base_outcome("commission", run.book, run.findings + res.findings + list(pay.findings), lang)
    out.sheets[O.sheet_name(run.book, K.PAYROLL)] = O.display(run.book, pay.payroll, K.PAYROLL)
    out.sheets[O.sheet_name(run.book, K.COMMISSION_LINES)] = O.display(run.book, pay.lines, K.COMMISSION_LINES)
    if plan is not None:
        comparison = C.compare_plans(run.tables, run.settings, month, ownership, _plan_tables(plan),
                                     lang=O.book_language(run.book))
        out.sheets[O.sheet_name(run.book, K.PLAN_COMPARISON)] = O.display(run.book, comparison, K.PLAN_COMPARISON)
    out.summary = pay.summary_lines(lang) + out.summary
    return out


def explain(book: Path | str, staff_id: str, *, month: str | None = None, lang: str = "zh",
            today: dt.date | None = None) -> str:
    """How one person's pay for the month was built, line by line (nothing is written)."""
    today = today or dt.date.today()
    month = _month(month, today).label
    run = prepare(book, today=today, month=month)
    if run.closed.is_closed(Month.parse(month)):
        from .close.view import locked_explain
        return locked_explain(run, Month.parse(month), staff_id, lang)
    return month_results(run, month).pay.explain(staff_id, lang)


def close(book: Path | str, *, month: str | None = None, operator: str | None = None, lang: str = "zh",
          today: dt.date | None = None, now: dt.datetime | None = None, progress=None, before_write=None):
    """月结: check → compute → reports → lock (salesbook.close.close_book; writes the workbook)."""
    from .close.run import close_book
    return close_book(book, month=month, operator=operator, lang=lang, today=today, now=now,
                      progress=progress, before_write=before_write)


def reopen(book: Path | str, *, month: str, reason: str, operator: str | None = None, lang: str = "zh",
           today: dt.date | None = None, now: dt.datetime | None = None, before_write=None):
    """反结账 of the latest closed month (salesbook.close.reopen_book; writes the workbook)."""
    from .close.run import reopen_book
    return reopen_book(book, month=month, reason=reason, operator=operator, lang=lang, today=today, now=now,
                       before_write=before_write)


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
