"""The locked figures of a closed month, as `commission` and `--explain` show them (pure)."""
from __future__ import annotations

import pandas as pd

from .. import contract as K
from .. import outputs as O
from ..domain.calendar import Month
from ..domain.money import money_text, yuan
from .state import CloseState


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


def locked_outcome(run, month: Month, extra: list, lang: str = "zh"):
    """`commission --month M` for a closed M: the locked 业绩提成 / 提成明细, said so.
    `extra`: the ownership findings of the month (computed by the caller)."""
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
