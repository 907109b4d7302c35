"""compute(): the pay of every active person for one month (domain.md §6).

Pure: tables + settings + month + the ownership lookup in, a Pay out. All money is
integer fen; see the package docstring for the rules and the decisions taken where
domain.md is silent.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..contract import ACTIVE_STATUSES
from ..findings import Finding, error, warning
from . import history as H
from . import tiers as T
from .basis import line_basis
from .credit import (COLLAB, SOLO, SPLIT, OwnerSeen, channel_of, contract_shares, credit_rows,
                     month_index, month_label, month_number, owner_lookup)
from .money import PPM, fen_of, fmt, fmt_ratio, mul_ppm, num, ppm_of, to_fen
from .pay import Attendance, Award, Factor, Pay, PersonPay

SIGNED, COLLECTED = "签约", "回款"
CONTRACT_LINE, PAYMENT_LINE, CARRY_LINE = "合同", "回款", "扣回结转"
LINE_ORDER = {CONTRACT_LINE: 0, PAYMENT_LINE: 1, CARRY_LINE: 2}


@dataclass(frozen=True)
class _Month:
    label: str
    index: int
    start: pd.Timestamp
    end: pd.Timestamp   # last day, midnight


def _month(month: str) -> _Month:
    idx = month_number(month)
    start = pd.Timestamp(idx // 12, idx % 12 + 1, 1)
    end = start + pd.offsets.MonthEnd(0)
    return _Month(month_label(idx), idx, start, end)


def compute(tables: dict[str, pd.DataFrame], settings, month: str, owner_on) -> Pay:
    """Pay for `month` (YYYY-MM). tables: usable rows only; owner_on(customer_id, date)
    → None (pool) or an object with .owner_id (the ownership engine's lookup)."""
    M = _month(month)
    seen = owner_lookup(owner_on)
    findings: list[Finding] = []
    staff = tables["staff"].drop_duplicates("staff_id", keep="first").set_index("staff_id", drop=False)
    channel = channel_of(tables["staff"].drop_duplicates("staff_id", keep="first"))
    mode = settings["提成基数"]
    method = settings["提成计算方式"]
    protection_days = int(settings["客户保护期天数"])

    # --- shares of every approved contract signed up to the month's end
    contracts = tables["contracts"]
    approved = contracts[(contracts["approval"] == "已批准") & (contracts["signed_on"] <= M.end)]
    shares, share_findings = contract_shares(approved, tables["staff"], tables["visits"], protection_days,
                                             settings["内外销分成比例"], seen)
    findings += share_findings

    # --- documents of every month up to this one, credited to people
    sig = approved[approved["status"] != "已取消"]
    sig_docs = pd.DataFrame({
        "doc_pos": np.arange(len(sig)), "contract_id": sig["contract_id"].to_numpy(),
        "amount_fen": to_fen(sig["amount"].to_numpy()), "month": month_index(sig["signed_on"].to_numpy()),
    })
    pays = tables["payments"]
    pays = pays[(pays["remitted"] == "是") & pays["contract_id"].isin(shares.index)
                & (pays["paid_on"] <= M.end)]
    pay_docs = pd.DataFrame({
        "doc_pos": np.arange(len(pays)), "contract_id": pays["contract_id"].to_numpy(),
        "amount_fen": to_fen(pays["amount"].to_numpy()), "month": month_index(pays["paid_on"].to_numpy()),
    })
    sig_cr = credit_rows(sig_docs, shares)
    sig_cr["month"] = sig_docs["month"].to_numpy()[sig_cr["doc_pos"].to_numpy()]
    pay_cr = credit_rows(pay_docs, shares)
    pay_cr["month"] = pay_docs["month"].to_numpy()[pay_cr["doc_pos"].to_numpy()]

    # --- people × months matrices for carry-forward and streaks
    targets = _targets(tables["targets"])
    first = min([M.index] + [int(x.min()) for x in (sig_docs["month"], pay_docs["month"]) if len(x)]
                + ([int(targets["month"].min())] if len(targets) else []))
    months = list(range(first, M.index + 1))
    people = pd.Index(staff.index).union(pd.Index(sig_cr["staff_id"].unique())).union(
        pd.Index(pay_cr["staff_id"].unique()))
    signed_m = H.matrix(sig_cr, people, months)
    collected_m = H.matrix(pay_cr, people, months)
    target_m = H.matrix(targets, people, months, "target_fen")
    base_m = collected_m if mode == COLLECTED else signed_m
    carry_m = H.carry_in(base_m)
    team = staff["team"].reindex(people)
    streak_team = H.trailing_streak(H.top_of(signed_m, team))
    streak_dept = H.trailing_streak(H.top_of(signed_m, None))
    streak_below = H.trailing_streak((target_m > 0) & (signed_m < target_m))

    # --- who is paid this month
    active = _active(staff, M)
    ach_ok = {}  # staff_id -> signed ≥ target > 0
    for sid in active:
        t, s = int(target_m.at[sid, M.index]), int(signed_m.at[sid, M.index])
        ach_ok[sid] = t > 0 and s >= t
    winners = [sid for sid in active if ach_ok[sid]]
    best = max((int(signed_m.at[sid, M.index]) for sid in winners), default=0)
    dept_best = {sid for sid in winners if best > 0 and int(signed_m.at[sid, M.index]) == best}

    # --- this month's lines
    lines = _month_lines(M, sig, sig_docs, sig_cr, pays, pay_docs, pay_cr, shares)
    non_owner = _non_owner(lines, shares, seen)
    for cid in sorted(non_owner):
        sh = shares.loc[cid]
        if sh["signed_on"] < M.start:
            continue  # warned in the month it was signed
        owner = non_owner[cid]
        findings.append(warning(
            "contracts", int(sh["_row"]), "signer_id", sh["signer_id"],
            f"合同 {cid} 的签约人 {sh['signer_id']} 不是客户 {sh['customer_id']} 在签约日 "
            f"{_d(sh['signed_on'])} 的归属人(归属人 {owner}); 按「以付款为准」业绩仍计给签约人",
            "请经理复核: 如业绩应分给归属人, 在合同上填写协作人工号和协作比例; 如客户应换归属, 在「归属调整」登记",
            f"Contract {cid}: signer {sh['signer_id']} is not the owner of customer {sh['customer_id']} on "
            f"{_d(sh['signed_on'])} (owner {owner}); the signer keeps the credit (paid-deal rule)",
            "Manager to review: add a collaborator and share, or record an ownership override"))

    plan_rows = T.plans(tables["commission_plan"])
    factors = _factors(tables["performance_factors"])
    attendance = _attendance(tables["attendance"], M.label)
    amounts = {k: fen_of(settings[k]) for k in ("全勤奖", "部门最高业绩奖", "连续6个月组内第一奖励", "连续12个月部门第一奖励")}
    warn_months = int(settings["连续未达标预警月数"])

    persons: dict[str, PersonPay] = {}
    for sid in active:
        st = staff.loc[sid]
        signed = int(signed_m.at[sid, M.index])
        collected = int(collected_m.at[sid, M.index])
        raw = collected if mode == COLLECTED else signed
        carry = int(carry_m.at[sid, M.index])
        base = raw - carry
        plan = T.plan_for(st["role"], plan_rows)
        comm, parts = T.commission(base, plan.tiers, method)
        if base > 0 and not plan.tiers:
            findings.append(error(
                "commission_plan", None, "role", st["role"],
                f"岗位「{st['role']}」没有提成方案, 也没有「默认」档位, {sid} 的提成无法计算(暂按 0)",
                "在「提成方案」中为该岗位或「默认」添加档位",
                f"No commission tiers for role {st['role']} nor 默认; commission of {sid} cannot be computed (0)",
                "Add tiers for the role or for 默认 in CommissionPlan"))
        target = int(target_m.at[sid, M.index])
        factor = _factor(signed, target, factors)
        perf_base = fen_of(st["perf_base"])
        att = _attendance_of(attendance.get(sid), amounts["全勤奖"])
        awards = _awards(sid, st, M, dept_best, best, streak_team, streak_dept, amounts, team)
        raise_k = int(streak_dept.at[sid])
        below_k = int(streak_below.at[sid])
        if target <= 0:
            findings.append(warning(
                "targets", None, "sales_target", sid,
                f"{sid}({st['name']}) 没有 {M.label} 的销售目标: 达成率留空, 绩效系数按最低档 "
                f"{num(factor.factor_ppm)} 计",
                f"在「目标」中填写 {M.label} {sid} 的销售目标后重新计算",
                f"{sid} has no sales target for {M.label}: achievement blank, lowest performance factor used",
                f"Enter the {M.label} sales target of {sid} in Targets and recompute"))
        persons[sid] = PersonPay(
            staff_id=sid, name=_s(st["name"]), role=_s(st["role"]), channel=_s(channel.get(sid, "内销")),
            team=_s(st["team"]), month=M.label, mode=mode, method=method,
            signed=signed, collected=collected, target=target if target > 0 else None,
            raw_base=raw, carry_in=carry, carry_from=month_label(M.index - 1) if carry else "",
            base=base, carry_out=-base if base < 0 else 0, plan=plan, parts=parts, commission=comm,
            base_salary=fen_of(st["base_salary"]), attendance=att, factor=factor, perf_base=perf_base,
            performance_pay=mul_ppm(perf_base, factor.factor_ppm),
            allowance=fen_of(st["allowance"]), awards=awards, adjustment=0,
            raise_streak=raise_k if raise_k >= 3 else 0,
            below_streak=below_k if warn_months > 0 and below_k >= warn_months else 0,
        )

    lines = _with_carry_lines(lines, persons, M)
    lines = _allocate(lines, persons, mode)
    inactive = sorted(set(lines["staff_id"]) - set(persons))
    for sid in inactive:
        n = int((lines["staff_id"] == sid).sum())
        findings.append(warning(
            "staff", int(staff.at[sid, "_row"]) if sid in staff.index else None, "status", sid,
            f"{sid} 在 {M.label} 不在职, 但有 {n} 笔单据计入其业绩; 离职后的业绩不计提成",
            "如需发放, 请经理决定后通过工资调整处理",
            f"{sid} is not employed in {M.label} but {n} documents credit them; no commission is paid",
            "If it must be paid, the manager handles it as an adjustment"))
    lines["basis"] = line_basis(lines, shares, persons, non_owner, mode, protection_days)
    return Pay.build(M.label, persons, lines, findings)


# --- inputs of the month -------------------------------------------------------

def _s(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _d(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def _active(staff: pd.DataFrame, M: _Month) -> list[str]:
    """Employed any day of the month: hired by its end, and either left on/after its
    first day or (no 离职日期) still 在职/试用. Sorted by 工号 for stable output."""
    hired = staff["hire_date"].notna() & (staff["hire_date"] <= M.end)
    left = staff["leave_date"]
    stays = (left.notna() & (left >= M.start)) | (left.isna() & staff["status"].isin(ACTIVE_STATUSES))
    return sorted(staff.index[(hired & stays).to_numpy()])


def _targets(table: pd.DataFrame) -> pd.DataFrame:
    """(staff_id, month index, target_fen); the last row wins when a month is typed twice."""
    t = table[table["month"].notna() & table["staff_id"].notna()]
    t = t.drop_duplicates(["staff_id", "month"], keep="last")
    idx = np.array([month_number(m) for m in t["month"]], dtype="int64")
    return pd.DataFrame({"staff_id": t["staff_id"].to_numpy(), "month": idx,
                         "target_fen": to_fen(t["sales_target"].to_numpy())})


def _factors(table: pd.DataFrame) -> tuple[tuple[int, int], ...]:
    rows = [(ppm_of(lo), ppm_of(f)) for lo, f in zip(table["min_achievement"], table["factor"])
            if pd.notna(lo) and pd.notna(f)]
    return tuple(sorted(rows))


def _factor(signed: int, target: int, factors) -> Factor:
    """绩效系数 (§6.5): the row with the largest 达成率下限 ≤ 达成率, compared exactly
    (signed × 10⁶ ≥ 下限 × target). No target → the lowest row. An empty 绩效系数 sheet →
    factor 1 (the company does not use factors). 达成率 below every row → 0."""
    if not factors:
        return Factor(PPM, None, None, "empty")
    if target <= 0:
        lo, f = factors[0]
        return Factor(f, lo, None, "no_target")
    hit = [(lo, f) for lo, f in factors if signed * PPM >= lo * target]
    ach = signed / target
    if not hit:
        return Factor(0, None, ach, "below")
    lo, f = hit[-1]
    return Factor(f, lo, ach, "row")


def _attendance(table: pd.DataFrame, month: str) -> dict:
    t = table[table["month"] == month]
    return {sid: row for sid, row in zip(t["staff_id"], t.to_dict("records"))}  # last row wins


def _attendance_of(row, amount: int) -> Attendance:
    """全勤奖 (§6.4) iff 实际 ≥ 应出勤, no 迟到, no 请假 (blank = 0). No row → no bonus."""
    if row is None:
        return Attendance(0, None, None, None, None, "no_row")
    due, present = float(row["days_due"]), float(row["days_present"])
    late = 0 if pd.isna(row["late_count"]) else int(row["late_count"])
    leave = 0.0 if pd.isna(row["leave_days"]) else float(row["leave_days"])
    if present < due:
        why = "short"
    elif late > 0:
        why = "late"
    elif leave > 0:
        why = "leave"
    else:
        return Attendance(amount, due, present, late, leave, "full")
    return Attendance(0, due, present, late, leave, why)


def _awards(sid, st, M, dept_best, best, streak_team, streak_dept, amounts, team) -> tuple[Award, ...]:
    out = []
    if sid in dept_best:
        ties = len(dept_best)
        out.append(Award("部门最高业绩奖", amounts["部门最高业绩奖"],
                         f"达成目标者中本月签约业绩最高 ({fmt(best)})" + (f", 与另 {ties - 1} 人并列" if ties > 1 else ""),
                         f"highest signed sales among those who met their target ({fmt(best)})"
                         + (f", tied with {ties - 1} other(s)" if ties > 1 else "")))
    k = int(streak_team.at[sid])
    if k >= 6 and k % 6 == 0:
        out.append(Award("连续6个月组内第一奖励", amounts["连续6个月组内第一奖励"],
                         f"连续 {k} 个月小组「{_s(team.get(sid))}」签约业绩第一",
                         f"top of team {_s(team.get(sid))} for {k} months running"))
    k = int(streak_dept.at[sid])
    if k >= 12 and k % 12 == 0:
        out.append(Award("连续12个月部门第一奖励", amounts["连续12个月部门第一奖励"],
                         f"连续 {k} 个月部门签约业绩第一", f"top of the department for {k} months running"))
    return tuple(out)


# --- lines ----------------------------------------------------------------------

def _month_lines(M, sig, sig_docs, sig_cr, pays, pay_docs, pay_cr, shares) -> pd.DataFrame:
    """This month's credited document shares, one row each, before commission."""
    parts = []
    cr = sig_cr[sig_cr["month"] == M.index]
    if len(cr):
        pos = cr["doc_pos"].to_numpy()
        parts.append(pd.DataFrame({
            "staff_id": cr["staff_id"].to_numpy(), "source_type": CONTRACT_LINE,
            "document_id": sig["contract_id"].to_numpy()[pos], "contract_id": sig["contract_id"].to_numpy()[pos],
            "customer_id": sig["customer_id"].to_numpy()[pos], "date": sig["signed_on"].to_numpy()[pos],
            "amount_fen": sig_docs["amount_fen"].to_numpy()[pos], "share_ppm": cr["share_ppm"].to_numpy(),
            "credited_fen": cr["credited_fen"].to_numpy(), "part": cr["part"].to_numpy()}))
    cr = pay_cr[pay_cr["month"] == M.index]
    if len(cr):
        pos = cr["doc_pos"].to_numpy()
        cids = pays["contract_id"].to_numpy()[pos]
        parts.append(pd.DataFrame({
            "staff_id": cr["staff_id"].to_numpy(), "source_type": PAYMENT_LINE,
            "document_id": pays["payment_id"].to_numpy()[pos], "contract_id": cids,
            "customer_id": shares.loc[cids, "customer_id"].to_numpy(), "date": pays["paid_on"].to_numpy()[pos],
            "amount_fen": pay_docs["amount_fen"].to_numpy()[pos], "share_ppm": cr["share_ppm"].to_numpy(),
            "credited_fen": cr["credited_fen"].to_numpy(), "part": cr["part"].to_numpy()}))
    if not parts:
        return _empty_lines()
    return pd.concat(parts, ignore_index=True)


def _empty_lines() -> pd.DataFrame:
    return pd.DataFrame({"staff_id": pd.Series([], dtype=object), "source_type": pd.Series([], dtype=object),
                         "document_id": pd.Series([], dtype=object), "contract_id": pd.Series([], dtype=object),
                         "customer_id": pd.Series([], dtype=object), "date": pd.Series([], dtype="datetime64[ns]"),
                         "amount_fen": pd.Series([], dtype="int64"), "share_ppm": pd.Series([], dtype="int64"),
                         "credited_fen": pd.Series([], dtype="int64"), "part": pd.Series([], dtype=object)})


def _non_owner(lines: pd.DataFrame, shares: pd.DataFrame, seen) -> dict[str, str]:
    """Contracts behind this month's lines whose signer keeps the credit although the
    customer had another owner on the signing date (and that owner has no share)."""
    out = {}
    cids = pd.unique(lines["contract_id"]) if len(lines) else []
    sh = shares.loc[list(cids)]
    sh = sh[sh["rule"] != SPLIT]
    for cid, cust, signed_on, signer, other in zip(sh["contract_id"], sh["customer_id"], sh["signed_on"],
                                                   sh["signer_id"], sh["other_id"]):
        owner = seen(cust, pd.Timestamp(signed_on).date()).owner_id
        if owner is not None and owner != signer and owner != other:
            out[cid] = owner
    return out


def _with_carry_lines(lines: pd.DataFrame, persons: dict, M) -> pd.DataFrame:
    carry = [(p.staff_id, p.carry_in) for p in persons.values() if p.carry_in > 0]
    if not carry:
        return lines
    extra = pd.DataFrame({
        "staff_id": [s for s, _ in carry], "source_type": CARRY_LINE,
        "document_id": month_label(M.index - 1), "contract_id": None, "customer_id": None, "date": pd.NaT,
        "amount_fen": [-c for _, c in carry], "share_ppm": PPM, "credited_fen": [-c for _, c in carry],
        "part": "carry"})
    return pd.concat([lines, extra], ignore_index=True)


def _allocate(lines: pd.DataFrame, persons: dict, mode: str) -> pd.DataFrame:
    """Give every line its part of the person's 提成 (the line's 计入金额).

    The lines that make up the base (payments under 回款, contracts under 签约, and the
    carry-forward line) share the commission in proportion to their credited amounts:
    line = 提成 × credited / 提成基数, i.e. every yuan of base earns the person's average
    rate of the month. Parts are floored to the fen and the fen left over go to the lines
    with the largest remainders (ties: line order), so Σ lines = 提成 exactly. A refund
    line (negative credit) therefore carries a negative part. Lines outside the base, lines
    of people not employed this month, and every line of a month whose base is ≤ 0 get 0.
    """
    if not len(lines):
        out = lines.copy()
        out["commission_fen"] = pd.Series([], dtype="int64")
        return out
    base_type = PAYMENT_LINE if mode == COLLECTED else CONTRACT_LINE
    order = lines.assign(_o=lines["source_type"].map(LINE_ORDER))
    order = order.sort_values(["staff_id", "_o", "date", "document_id", "part"], kind="stable",
                              na_position="last").drop(columns="_o").reset_index(drop=True)
    alloc = np.zeros(len(order), dtype=object)
    in_base = order["source_type"].isin([base_type, CARRY_LINE]).to_numpy()
    credited = order["credited_fen"].to_numpy()
    for sid, idx in order.groupby("staff_id", sort=False).indices.items():
        p = persons.get(sid)
        if p is None or p.commission == 0 or p.base <= 0:
            continue
        idx = idx[in_base[idx]]
        total, B = p.commission, p.base
        w = [int(credited[i]) for i in idx]
        floors = [total * x // B for x in w]
        rems = [total * x - f * B for x, f in zip(w, floors)]
        short = total - sum(floors)
        for k in sorted(range(len(idx)), key=lambda k: (-rems[k], k))[:short]:
            floors[k] += 1
        for i, f in zip(idx, floors):
            alloc[i] = f
    order["commission_fen"] = alloc.astype("int64")
    order["in_base"] = in_base
    return order
