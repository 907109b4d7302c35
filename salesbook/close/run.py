"""The month close on a workbook file (the edge): check → compute → reports → lock.

    close_book("台账.xlsx", month="2026-10", operator="张三")
    reopen_book("台账.xlsx", month="2026-10", reason="回款录错", operator="张三")

Order of a close, so that an interruption at any moment (even kill -9) leaves the
workbook either as it was or completely closed:
1. read, validate (any 错误: 校验结果 and the marks are written, nothing is locked, exit 1);
2. compute the month (with its 追溯调整) and write the reports into the report folder
   (the workbook is only read);
3. meanwhile (in this process, while the render processes write the reports): write the
   closed workbook — 校验结果, 业绩提成, 提成明细, 月结记录 and the hidden snapshot sheets,
   in one write — as the audit copy in the report folder;
4. once every report is written, swap that file in for the workbook with one atomic
   replace (the previous file stays as BOOK.bak.xlsx). Before step 4 the workbook is untouched; after it, it is closed.
A month already closed whose data has not changed is not written at all (byte-identical).
"""
from __future__ import annotations

import datetime as dt
import getpass
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import contract as K
from .. import outputs as O
from ..domain.calendar import Month, last_full_month
from ..errors import UsageError
from . import diff as D
from . import fingerprint as FP
from . import log as LG
from .state import CLOSED

HIDDEN = (K.CLOSE_PAYROLL, K.CLOSE_LINES, K.CLOSE_PRINTS)


@dataclass
class CloseResult:
    exit_code: int                  # 0 closed / unchanged / reopened; 1 refused (错误s, changed data)
    summary: list[str]
    month: str
    wrote: bool = False             # the workbook was written
    report_dir: Path | None = None
    audit_copy: Path | None = None
    changes: list = field(default_factory=list)


def operator_name(operator: str | None) -> str:
    if operator and operator.strip():
        return operator.strip()
    try:
        return getpass.getuser()
    except Exception:   # no login name (some service accounts): say so rather than guess
        return "未知"


def _say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def close_book(book: Path | str, *, month: str | None = None, operator: str | None = None, lang: str = "zh",
               today: dt.date | None = None, now: dt.datetime | None = None,
               progress: Callable[[str], None] | None = None,
               before_write: Callable[[], None] | None = None) -> CloseResult:
    """Close `month` (default: the last full month). progress(text) is told each step;
    before_write() runs just before the workbook is replaced (the ribbon closes the open
    workbook there)."""
    from .. import api
    from ..reports import default_out_dir, generate_many
    from ..xlsx import check_writable, write_outcome
    from ..xlsx.checks import check_target

    book = Path(book)
    today = today or dt.date.today()
    now = now or dt.datetime.now()
    operator = operator_name(operator)
    M = Month.parse(month) if month else last_full_month(today)
    step = progress or (lambda text: None)

    step(_say(lang, "正在读取并检查数据……", "Reading and checking the data…"))
    run = api.prepare(book, today=today, month=M.label)
    state = run.closed
    LG.check_close(state, M, today)
    if state.is_closed(M):
        return _closed_again(run, M, lang)

    _, extra = api._ownership(run, M.last)
    checked = O.base_outcome("close", run.book, run.findings + extra, lang)
    if checked.exit_code:
        check_writable(book, open_by_caller=before_write is not None)
        if before_write:
            before_write()
        write_outcome(book, checked.sheets, checked.highlights)
        return CloseResult(1, [_say(lang, f"{M.label} 未结账: 数据里有错误, 改正后再月结。没有锁定任何内容。",
                                    f"{M.label} was not closed: the data has errors; fix them and close again. "
                                    f"Nothing was locked.")] + checked.summary
                           + [_say(lang, "要改正的地方:", "To fix:")] + O.error_lines(run.book, run.findings + extra, lang),
                           M.label, wrote=True)

    step(_say(lang, "正在计算提成和工资……", "Computing pay…"))
    res = api.month_results(run, M.label)
    check_writable(book, open_by_caller=before_write is not None)
    folder = default_out_dir(book, M.label)
    audit = folder / f"{book.stem}-{M.label}-已结账{book.suffix}"
    requests = [("monthly", M.label), ("statement", M.label)] + [("weekly", w.label) for w in M.weeks()]

    def lock():
        """While the reports render: the closed workbook, written as the audit copy."""
        step(_say(lang, "正在锁定(报表同时生成中)……", "Locking (the reports are being written)…"))
        prints = run.prints if run.prints is not None else FP.table_rows(run.book.tables)
        new = LG.lock(state, M, res.pay, res.plan.restated if res.plan else {}, prints, now=now,
                      operator=operator, report_dir=str(folder))
        findings = run.findings + res.findings + list(res.pay.findings)
        out = O.base_outcome("close", run.book, findings, lang)
        out.sheets[O.sheet_name(run.book, K.PAYROLL)] = O.display(run.book, res.pay.payroll, K.PAYROLL)
        out.sheets[O.sheet_name(run.book, K.COMMISSION_LINES)] = O.display(run.book, res.pay.lines, K.COMMISSION_LINES)
        sheets, hidden = _state_sheets(run.book, new)
        out.sheets.update(sheets)
        write_outcome(book, out.sheets, out.highlights, out=audit, hidden=hidden)
        return new, out

    def told(done: int, total: int) -> None:
        step(_say(lang, f"正在生成报表 {done}/{total}……", f"Writing reports {done}/{total}…"))

    _, (new, out) = generate_many(book, requests, out=folder, today=today, lang=lang, run=run, progress=told,
                                  meanwhile=lock)
    if before_write:
        before_write()
    check_target(book)     # again: minutes may have passed, and from the ribbon the book is closed only now
    _swap_in(audit, book)
    pay = res.pay
    adjusted = sum(p.adjustment for p in pay.persons.values())
    lines = [_say(lang, f"{M.label} 已结账: {len(pay.persons)} 人, 应发合计 {_money(sum(p.total for p in pay.persons.values()))} 元"
                        + (f", 其中追溯调整 {_money(adjusted)} 元" if adjusted or len(pay.retro_lines) else "") + "。",
                  f"{M.label} closed: {len(pay.persons)} people, total pay {_money(sum(p.total for p in pay.persons.values()))}"
                  + (f", retro adjustments {_money(adjusted)}" if adjusted or len(pay.retro_lines) else "") + "."),
             _say(lang, f"报表和结账时的工作簿副本在: {folder}", f"Reports and the workbook as closed: {folder}"),
             _say(lang, f"月结记录已追加一行(操作人 {operator}, 数据指纹 {new.log_row(M)['fingerprint']})。",
                  f"A row was added to 月结记录 (operator {operator}, fingerprint {new.log_row(M)['fingerprint']}).")]
    return CloseResult(0, lines + out.summary, M.label, wrote=True, report_dir=folder, audit_copy=audit)


def _money(fen: int) -> str:
    from ..domain.money import money_text
    return money_text(fen)


def _closed_again(run, M: Month, lang: str) -> CloseResult:
    touching = [c for c in run.changes if c.month <= M]
    if not touching:
        return CloseResult(0, [_say(lang, f"{M.label} 已结账, 数据未变。", f"{M.label} is closed; its data has not changed.")],
                           M.label)
    nxt = run.closed.latest.next()
    head = _say(lang, f"{M.label} 已结账, 但结账后有 {len(touching)} 行数据变动, 不能再次结账:",
                f"{M.label} is closed, but {len(touching)} rows changed since; it cannot be closed again:")
    rows = ["  · " + D.describe(c, run.book.sheet_name if lang != "en" else (lambda k: K.SHEETS[k].en), lang)
            for c in touching[:20]]
    if len(touching) > 20:
        rows.append(_say(lang, f"  …… 共 {len(touching)} 行, 全部见「校验结果」(运行 validate)",
                         f"  … {len(touching)} rows in all: run validate to see them in 校验结果"))
    ways = _say(lang,
                f"两种处理办法: ① 改动无误就不用处理: 计算或月结 {nxt.label} 时, 差额会作为「追溯调整」计入「调整」, 逐项写在提成明细里; "
                f"② 反结账后重新月结: salesbook close 台账.xlsx --month {run.closed.latest.label} --reopen --reason \"原因\""
                + (f"(从最后结账的月份 {run.closed.latest.label} 开始, 逐月反结账到 {M.label})" if run.closed.latest != M else "") + "。",
                f"Two ways on: (1) if the change is right, do nothing: computing or closing {nxt.label} pays the difference "
                f"as a retro adjustment; (2) reopen and close again: salesbook close BOOK --month {run.closed.latest.label} "
                f"--reopen --reason TEXT" + (f" (from the latest closed month back to {M.label})" if run.closed.latest != M else "") + ".")
    return CloseResult(1, [head] + rows + [ways], M.label, changes=touching)


def _state_sheets(book, state) -> tuple[dict, frozenset]:
    frames = state.frames()
    sheets, hidden = {}, set()
    for sheet in (K.CLOSE_LOG,) + HIDDEN:
        name = O.sheet_name(book, sheet)
        sheets[name] = O.display(book, frames[sheet.key], sheet)
        if sheet in HIDDEN:
            hidden.add(name)
    return sheets, frozenset(hidden)


def _swap_in(source: Path, book: Path) -> None:
    """Replace the workbook by `source` atomically, keeping BOOK.bak.xlsx (the writer's replace)."""
    from ..xlsx.atomic import replace_atomically

    def write(fp):
        with open(source, "rb") as src:
            shutil.copyfileobj(src, fp, 1 << 20)

    replace_atomically(book, write, backup=True)


def reopen_book(book: Path | str, *, month: str, reason: str, operator: str | None = None, lang: str = "zh",
                today: dt.date | None = None, now: dt.datetime | None = None,
                before_write: Callable[[], None] | None = None) -> CloseResult:
    """反结账: a 已反结账 row in 月结记录 (reason, operator) and the month's snapshot dropped."""
    from ..reader import load, load_close_sheets
    from ..xlsx import check_writable, write_outcome
    from .state import CloseState

    book = Path(book)
    now = now or dt.datetime.now()
    operator = operator_name(operator)
    if not month:
        raise UsageError("反结账要指定月份: --month YYYY-MM。", "A reopen needs --month YYYY-MM.")
    M = Month.parse(month)
    b = load(book, sheets=("settings",))
    state = CloseState.from_sheets(load_close_sheets(book, b.all_sheet_names))
    LG.check_reopen(state, M, reason)
    new = LG.reopen(state, M, now=now, operator=operator, reason=reason.strip())
    sheets, hidden = _state_sheets(b, new)
    check_writable(book, open_by_caller=before_write is not None)
    if before_write:
        before_write()
    write_outcome(book, sheets, None, hidden=hidden)
    return CloseResult(0, [_say(lang, f"{M.label} 已反结账(原因: {reason.strip()}; 操作人 {operator})。该月的锁定数字已撤销, "
                                      f"可以修改数据后重新月结; 月结记录保留了每一步。",
                                f"{M.label} reopened (reason: {reason.strip()}; operator {operator}). Its locked figures "
                                f"are dropped; correct the data and close it again. 月结记录 keeps every step.")],
                       M.label, wrote=True)
