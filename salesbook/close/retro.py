"""Retro adjustments (追溯调整): what a closed month owes now that its data changed (pure).

For a closed month M recomputed with today's data, per person and component:

    调整 = recomputed − locked − already adjusted for M by later closes

Components: 提成, 全勤奖, 绩效工资, 奖励 — the parts of pay the month's documents and
attendance decide. 绩效工资 is recomputed on the LOCKED 绩效工资基数: 人员 keeps no salary
history, so a raise typed into 人员 applies from the next open month and never re-prices a
closed one; for the same reason 底薪 and 津贴 move only when a person appears in (or
disappears from) a closed month's payroll. Every line names the closed month, the
component, locked → recomputed, what was already adjusted, and the changed rows behind it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..domain.calendar import Month
from ..domain.money import money_text, mul_ppm
from .state import COMPONENT_KEYS, RETRO


@dataclass(frozen=True)
class RetroLine:
    staff_id: str
    month: Month          # the closed month adjusted
    component: str        # 提成 / 全勤奖 / 绩效工资 / 奖励 / 底薪 / 津贴
    locked: int           # fen, as paid with the month
    recomputed: int       # fen, with today's data
    already: int          # fen, adjusted for the month by later closes
    fen: int              # this adjustment = recomputed − locked − already
    basis: str


def recomputed_parts(p, perf_base: int | None) -> dict[str, int]:
    """A recomputed PersonPay's components; 绩效工资 on the locked base when there is one."""
    perf = p.performance_pay if perf_base is None else mul_ppm(perf_base, p.factor.factor_ppm)
    return {"提成": p.commission, "全勤奖": p.attendance.bonus, "绩效工资": perf, "奖励": p.awards_fen,
            "底薪": p.base_salary, "津贴": p.allowance}


def adjustments(month: Month, locked: pd.DataFrame, already: dict[tuple[str, str], int], recomputed,
                evidence: dict[str, list[str]] | None = None, fallback: list[str] = ()) -> list[RetroLine]:
    """Lines for one closed month. locked: state.locked_payroll(month) (fen); already:
    state.adjusted(month); recomputed: the month's Pay with today's data; evidence: 工号 →
    the changed rows behind that person's figures, in words; fallback: the month's changes,
    named when none of them is one of the person's own documents (a contract cancelled
    under 提成基数 = 回款 moves its payments' lines, a 参数 edit moves everyone's)."""
    evidence = evidence or {}
    rows = {r["staff_id"]: r for r in locked.to_dict("records")}
    people = sorted(set(rows) | set(recomputed.persons))
    out = []
    for sid in people:
        lock = rows.get(sid)
        p = recomputed.persons.get(sid)
        was = {c: int(lock[k]) for c, k in COMPONENT_KEYS.items()} if lock is not None else dict.fromkeys(COMPONENT_KEYS, 0)
        now = recomputed_parts(p, int(lock["perf_base"]) if lock is not None else None) if p is not None \
            else dict.fromkeys(COMPONENT_KEYS, 0)
        if lock is not None and p is not None:   # no salary history: base pay stays as locked
            now["底薪"], now["津贴"] = was["底薪"], was["津贴"]
        for comp in COMPONENT_KEYS:
            before = already.get((sid, comp), 0)
            fen = now[comp] - was[comp] - before
            if fen == 0:
                continue
            out.append(RetroLine(sid, month, comp, was[comp], now[comp], before, fen,
                                 basis_text(month, comp, was[comp], now[comp], before, fen,
                                            evidence.get(sid) or list(fallback), lock is None, p is None)))
    return out


def basis_text(month: Month, comp: str, was: int, now: int, before: int, fen: int, evidence: list[str],
               absent_then: bool, absent_now: bool) -> str:
    head = f"{RETRO} {month.label}(已结账) {comp}: "
    if absent_then:
        head += f"结账时不在工资表, 按现有数据应为 {money_text(now)}"
    elif absent_now:
        head += f"按现有数据已不在当月工资表, 结账时为 {money_text(was)}"
    else:
        head += f"结账时 {money_text(was)} → 按现有数据重算 {money_text(now)}"
    if before:
        head += f", 以后月份已调整 {money_text(before)}"
    head += f", 本次调整 {money_text(fen)}"
    if evidence:
        head += "; 变动: " + "; ".join(evidence[:5]) + (f" 等 {len(evidence)} 处" if len(evidence) > 5 else "")
    return head


def lines_frame(lines: list[RetroLine]) -> pd.DataFrame:
    """The 提成明细 rows of the adjustments (engine line columns + component)."""
    return pd.DataFrame({
        "staff_id": [x.staff_id for x in lines], "source_type": RETRO,
        "document_id": [x.month.label for x in lines], "contract_pos": -1, "customer_id": None,
        "date": pd.NaT, "amount_fen": [x.recomputed - x.locked for x in lines], "share_ppm": 0,
        "credited_fen": 0, "part": "retro", "commission_fen": 0, "in_base": False,
        "adjust_fen": [x.fen for x in lines], "component": [x.component for x in lines],
        "basis": [x.basis for x in lines]})
