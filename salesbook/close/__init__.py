"""Month close (月结): lock a month's pay so that what was paid stays what was paid.

    salesbook close 台账.xlsx --month 2026-10 --operator 张三
    salesbook close 台账.xlsx --month 2026-10 --reopen --reason "回款录错"

Pure parts (no I/O, no clock: "now" and the operator are parameters):
- `fingerprint`  per-row fingerprints over cell VALUES (re-saving in Excel/WPS/LibreOffice
                 changes none), which rows feed a month, 数据指纹;
- `state`        the records a close leaves in the workbook (月结记录 + hidden 月结快照 /
                 月结明细 / 月结指纹) and what they say: closed months, locked figures,
                 history, what was already adjusted;
- `diff`         rows changed since their last lock (edited cell by cell, added, deleted);
- `retro`        the 追溯调整 of a closed month: recomputed − locked − already adjusted,
                 per person and component, each line naming its month, component and rows;
- `ledger`       an open month next to closed ones: history from snapshots, retro lines;
- `log`          which month may be closed / reopened, and the state after it.
The edge: `run` (close_book / reopen_book: reads the file, writes reports, the audit copy
and the workbook through the one writer, atomically).

Decisions (domain.md is silent):
- Everything lives in the workbook: the hidden sheets are written by the one writer in the
  same atomic replace as 月结记录 (append-only: old rows + the new one each time).
- A month whose data changed after its close stays closed; validate warns per row, and the
  next open month pays the difference in 调整 (or the month is reopened and closed again).
  A change settled by a later close is not reported again (fingerprints are compared with
  the LAST lock of each row).
- 底薪 / 津贴 / 绩效工资基数 of a closed month stay as locked (人员 has no salary history).
- A retro adjustment of someone not on the open month's payroll is a 警告, not paid.
- Reports and the audit copy are written before the workbook; re-closing after an
  interruption simply writes them again.
"""
from __future__ import annotations

import pandas as pd

from .. import contract as K
from .. import outputs as O
from ..domain.calendar import Month, last_full_month
from ..domain.money import money_text, yuan
from .run import CloseResult, close_book, operator_name, reopen_book
from .state import CLOSED, REOPENED, RETRO, CloseState

__all__ = ["close_book", "reopen_book", "CloseResult", "CloseState", "locked_outcome", "locked_explain",
           "preview_text", "reopen_preview_text", "result_text", "CLOSED", "REOPENED", "RETRO"]


def _display_payroll(state: CloseState, month: Month) -> pd.DataFrame:
    p = state.locked_payroll(month).copy()
    for k in ("signed", "collected", "sales_target", "commission_base", "commission", "base_salary",
              "attendance_bonus", "performance_pay", "allowance", "awards", "adjustment", "total"):
        p[k] = [yuan(int(x)) for x in p[k]]
    p["sales_target"] = [x if x else float("nan") for x in p["sales_target"]]
    return p.reindex(columns=K.PAYROLL.keys())


def _display_lines(state: CloseState, month: Month) -> pd.DataFrame:
    ln = state.locked_lines(month).copy()
    for k in ("amount", "credited"):
        ln[k] = [yuan(int(x)) for x in ln[k]]
    return ln.reindex(columns=K.COMMISSION_LINES.keys())


def _locked_head(run, month: Month, lang: str) -> list[str]:
    row = run.closed.log_row(month) or {}
    when = str(row.get("closed_at") or "")[:16]
    who = row.get("operator") or ""
    touching = [c for c in run.changes if c.month <= month]
    nxt = run.closed.latest.next()
    if lang == "en":
        out = [f"{month.label} is closed ({when}, {who}): these are the locked figures, not recomputed."]
        if touching:
            out.append(f"{len(touching)} rows changed since; the difference is paid in {nxt.label} as a retro adjustment "
                       f"(see validate).")
        return out
    out = [f"{month.label} 已结账({when}, 操作人 {who}): 以下是结账时锁定的数字, 没有重新计算。"]
    if touching:
        out.append(f"结账后有 {len(touching)} 行数据变动(见「校验结果」), 差额会在 {nxt.label} 作为「追溯调整」计入「调整」。")
    return out


def locked_outcome(run, month: Month, lang: str = "zh"):
    """`commission --month M` for a closed M: the locked 业绩提成 / 提成明细, said so."""
    from .. import api

    _, extra = api._ownership(run, month.last)
    out = O.base_outcome("commission", run.book, run.findings + extra, lang)
    payroll = _display_payroll(run.closed, month)
    out.sheets[O.sheet_name(run.book, K.PAYROLL)] = O.display(run.book, payroll, K.PAYROLL)
    out.sheets[O.sheet_name(run.book, K.COMMISSION_LINES)] = O.display(run.book, _display_lines(run.closed, month),
                                                                       K.COMMISSION_LINES)
    total = sum(int(x) for x in run.closed.locked_payroll(month)["total"])
    size = (f"{len(payroll)} 人, 应发合计 {money_text(total)} 元。" if lang != "en"
            else f"{len(payroll)} people, total pay {money_text(total)}.")
    out.summary = _locked_head(run, month, lang) + [size] + out.summary
    return out


def locked_explain(run, month: Month, staff_id: str, lang: str = "zh") -> str:
    """--explain for a closed month: the locked row and lines of the person."""
    state = run.closed
    p = state.locked_payroll(month)
    p = p[p["staff_id"] == staff_id]
    head = _locked_head(run, month, lang)
    if not len(p):
        return "\n".join(head + [f"工号 {staff_id} 不在 {month.label} 锁定的工资表中。" if lang != "en"
                                  else f"{staff_id} is not on the locked {month.label} payroll."])
    r = p.iloc[0]
    parts = [("底薪", "base_salary"), ("全勤奖", "attendance_bonus"), ("绩效工资", "performance_pay"),
             ("津贴", "allowance"), ("提成", "commission"), ("奖励", "awards"), ("调整", "adjustment")]
    out = head + [f"{r['name']}({staff_id}) {month.label}: " + ", ".join(f"{n} {money_text(int(r[k]))}" for n, k in parts)
                  + f"; 应发合计 {money_text(int(r['total']))}", f"备注: {r['remarks'] or ''}"]
    lines = state.locked_lines(month)
    for ln in lines[lines["staff_id"] == staff_id].itertuples(index=False):
        out.append(f"  · [{ln.source_type}] {ln.basis}")
    return "\n".join(out)


# --- the ribbon's boxes ------------------------------------------------------------

def preview_text(book, month: str | None = None, today=None) -> str:
    """What the 月结 confirmation box says (reads the file; nothing is written)."""
    import datetime as dt

    from ..reader import load, load_close_sheets
    from ..reports import default_out_dir

    today = today or dt.date.today()
    M = Month.parse(month) if month else last_full_month(today)
    b = load(book, sheets=("settings",))
    state = CloseState.from_sheets(load_close_sheets(book, b.all_sheet_names))
    if state.is_closed(M):
        return (f"{M.label} 已经结账。再次月结只会核对数据: 数据未变则什么都不改; "
                f"数据有变动会列出变动的行。是否继续?")
    last = f"最后结账的月份: {state.latest.label}。" if state.latest else "这是第一次月结。"
    return (f"即将对 {M.label} 月结:\n"
            f"1. 检查全部数据; 有错误就停下, 不锁定任何内容;\n"
            f"2. 计算 {M.label} 的提成和工资(含以前已结账月份的追溯调整), 生成月报、每人的工资条和 {len(M.weeks())} 份周报;\n"
            f"3. 锁定: 月结记录追加一行, 工资和明细的快照、每行数据的指纹保存在工作簿的隐藏工作表里;\n"
            f"4. 报表和结账时的工作簿副本保存在: {default_out_dir(book, M.label)}\n"
            f"结账后修改 {M.label} 的数据, 差额会在下个月作为「追溯调整」发放或扣回。{last}\n是否继续?")


def reopen_preview_text(book, month: str) -> str:
    M = Month.parse(month)
    return (f"即将反结账 {M.label}: 撤销该月锁定的工资快照和数据指纹, 月结记录追加一行「已反结账」"
            f"(写明原因和操作人)。报表文件夹里的报表和工作簿副本会保留。以后可以修改数据后重新月结。是否继续?")


def result_text(result: CloseResult) -> str:
    """What the result box shows after a close or a reopen."""
    return "\n".join(result.summary)
