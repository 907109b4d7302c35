"""compute(): the pay of every active person for one month (domain.md §6).

Pure: tables + settings + month + the ownership lookup in, a Pay out. All money is
integer fen; see the package docstring for the rules and the decisions taken where
domain.md is silent.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..domain.documents import contract_counts, payment_counts
from ..findings import ERROR, WARNING, Finding, rule

M_NO_TIERS = rule("M-NO-TIERS", ERROR, "岗位没有提成方案", "no commission tiers for the role")
M_NO_TARGET = rule("M-NO-TARGET", WARNING, "发工资的人没有当月销售目标", "paid person without a sales target")
M_RETRO_UNPAID = rule("M-RETRO-UNPAID", WARNING, "追溯调整的人不在本月工资表", "retro adjustment for a person not on the payroll")
M_NOT_EMPLOYED = rule("M-NOT-EMPLOYED", WARNING, "不在职人员名下有业绩", "credit of a person not employed this month")
from . import history as H
from . import tiers as T
from .basis import line_basis
from ..credit import contract_shares, credit_rows, non_owner_signers, owners_from
from ..domain.calendar import Month, month_index
from ..domain.org import REP_ROLES, employed_in
from ..tables.arrays import obj
from ..domain.money import PPM, fen_of, money_text, mul_ppm, factor_text, ppm_of, to_fen
from .pay import Attendance, Award, Factor, Pay, PersonPay

COLLECTED = "回款"   # 提成基数 = 回款 (else 签约)
CONTRACT_LINE, PAYMENT_LINE, CARRY_LINE = "合同", "回款", "扣回结转"
LINE_ORDER = {CONTRACT_LINE: 0, PAYMENT_LINE: 1, CARRY_LINE: 2}




def compute(tables: dict[str, pd.DataFrame], settings, month: str, owner_on, *,
            locked: "H.Locked | None" = None, retro: tuple = (), basis: bool = True) -> Pay:
    """Pay for `month` (YYYY-MM). tables: usable rows only; owner_on(customer_id, date)
    → None (pool) or an object with .owner_id (the ownership engine's lookup).
    locked: closed months read from their snapshots (carry-forward, streaks); retro: the
    追溯调整 lines (salesbook.close.retro.RetroLine) this month pays, into 调整; basis=False
    leaves the lines' 依据 blank (a closed month recomputed only for its figures: the retro
    check compares amounts, and the texts cost a quarter of the engine)."""
    M = Month.parse(month)
    owners = owners_from(owner_on)
    findings: list[Finding] = []
    staff_t = tables["staff"].drop_duplicates("staff_id", keep="first")
    staff = {r["staff_id"]: r for r in staff_t.to_dict("records")}
    mode = settings.commission_base
    method = settings.commission_method
    protection_days = settings.protection_days

    # --- shares of every contract that counts, signed up to the month's end
    contracts = tables["contracts"]
    counted = contracts[contract_counts(contracts) & (contracts["signed_on"] <= M.end).to_numpy()]
    shares, share_findings = contract_shares(counted, staff_t, tables["visits"], protection_days,
                                             settings.split_ratio, owners)
    findings += share_findings

    # --- documents of every month up to this one, credited to people
    sig_pos = np.arange(len(counted))
    sig = _Docs(ids=shares.contract_id, pos=sig_pos, date=shares.signed_on,
                amount=to_fen(counted["amount"].to_numpy()))
    pays = tables["payments"]
    pays = pays[payment_counts(pays, contracts) & (pays["paid_on"] <= M.end).to_numpy()]
    pay_pos = shares.positions(obj(pays["contract_id"]))
    keep = pay_pos >= 0     # the contract was signed by the month's end
    pay = _Docs(ids=obj(pays["payment_id"])[keep], pos=pay_pos[keep],
                date=pays["paid_on"].to_numpy(dtype="datetime64[ns]")[keep],
                amount=to_fen(pays["amount"].to_numpy()[keep]))
    sig_cr, pay_cr = sig.credit(shares), pay.credit(shares)

    # --- people × months matrices for carry-forward and streaks
    targets = _targets(tables["targets"])
    first = min([M.index] + [int(x.min()) for x in (sig.month, pay.month) if len(x)]
                + ([int(targets["month"].min())] if len(targets) else []))
    months = list(range(first, M.index + 1))
    people = pd.Index(sorted(set(staff) | set(sig_cr["staff_id"]) | set(pay_cr["staff_id"])), dtype=object)
    locked = locked or H.Locked()
    signed_m = H.matrix(sig_cr, people, months)
    collected_m = H.matrix(pay_cr, people, months)
    target_m = H.matrix(targets, people, months, "target_fen")
    base_m = collected_m if mode == COLLECTED else signed_m
    carry_now = _col(H.carry_in(base_m, locked.carry_frame(people, months)), M.index)
    signed_m, target_m = locked.overlay(signed_m, "signed"), locked.overlay(target_m, "target")
    team = pd.Series([staff[p]["team"] if p in staff else None for p in people], index=people, dtype=object)
    team = team.where(team.notna(), None)
    streak_team = dict(zip(people, H.trailing_streak(H.top_of(signed_m, team)).to_numpy()))
    streak_dept = dict(zip(people, H.trailing_streak(H.top_of(signed_m, None)).to_numpy()))
    streak_below = dict(zip(people, H.trailing_streak((target_m > 0) & (signed_m < target_m)).to_numpy()))
    signed_now, collected_now, target_now = (_col(x, M.index) for x in (signed_m, collected_m, target_m))

    # --- who is paid this month; 部门最高业绩奖 among those who met their target
    active = _active(staff_t, M)
    winners = [sid for sid in active if target_now[sid] > 0 and signed_now[sid] >= target_now[sid]]
    best = max((signed_now[sid] for sid in winners), default=0)
    dept_best = {sid for sid in winners if best > 0 and signed_now[sid] == best}

    # --- this month's lines and the signers who kept credit on another owner's customer
    lines = _month_lines(M, sig, sig_cr, pay, pay_cr, shares)
    non_owner = non_owner_signers(shares, lines["contract_pos"].to_numpy(dtype="int64"), owners)

    plan_rows = T.plans(tables["commission_plan"])
    factors = _factors(tables["performance_factors"])
    attendance = _attendance(tables["attendance"], M.label)
    amounts = {"全勤奖": fen_of(settings.attendance_bonus), "部门最高业绩奖": fen_of(settings.top_sales_award),
               "连续6个月组内第一奖励": fen_of(settings.team_streak_award),
               "连续12个月部门第一奖励": fen_of(settings.department_streak_award)}
    warn_months = settings.below_target_months

    persons: dict[str, PersonPay] = {}
    for sid in active:
        st = staff[sid]
        signed, collected, target, carry = signed_now[sid], collected_now[sid], target_now[sid], carry_now[sid]
        raw = collected if mode == COLLECTED else signed
        base = raw - carry
        plan = T.plan_for(st["role"], plan_rows)
        comm, parts = T.commission(base, plan.tiers, method)
        if base > 0 and not plan.tiers:
            findings.append(M_NO_TIERS(
                "commission_plan", None, "role", st["role"],
                f"岗位「{st['role']}」没有提成方案, 也没有「默认」档位, {sid} 的提成无法计算(暂按 0)",
                "在「提成方案」中为该岗位或「默认」添加档位",
                f"No commission tiers for role {st['role']} nor 默认; commission of {sid} cannot be computed (0)",
                "Add tiers for the role or for 默认 in CommissionPlan"))
        factor = _factor(signed, target, factors, assessed=st["role"] in REP_ROLES)
        if target <= 0 and factor.why == "no_target":
            findings.append(M_NO_TARGET(
                "targets", None, "sales_target", sid,
                f"{sid}({_s(st['name'])}) 没有 {M.label} 的销售目标: 达成率留空, 绩效系数按最低档 "
                f"{factor_text(factor.factor_ppm)} 计",
                f"在「目标」中填写 {M.label} {sid} 的销售目标后重新计算",
                f"{sid} has no sales target for {M.label}: achievement blank, lowest performance factor used",
                f"Enter the {M.label} sales target of {sid} in Targets and recompute"))
        perf_base = fen_of(st["perf_base"])
        raise_k, below_k = int(streak_dept[sid]), int(streak_below[sid])
        persons[sid] = PersonPay(
            staff_id=sid, name=_s(st["name"]), role=_s(st["role"]), channel=_s(st["channel"]) or "内销",
            team=_s(st["team"]), month=M.label, mode=mode, method=method,
            signed=signed, collected=collected, target=target if target > 0 else None,
            raw_base=raw, carry_in=carry, carry_from=M.prev().label if carry else "",
            base=base, carry_out=-base if base < 0 else 0, plan=plan, parts=parts, commission=comm,
            base_salary=fen_of(st["base_salary"]), attendance=_attendance_of(attendance.get(sid), amounts["全勤奖"]),
            factor=factor, perf_base=perf_base, performance_pay=mul_ppm(perf_base, factor.factor_ppm),
            allowance=fen_of(st["allowance"]),
            awards=_awards(sid, dept_best, best, int(streak_team[sid]), raise_k, amounts, _s(st["team"])),
            adjustment=sum(x.fen for x in retro if x.staff_id == sid),
            raise_streak=raise_k if raise_k >= 3 else 0,
            below_streak=below_k if warn_months > 0 and below_k >= warn_months else 0,
        )

    lines = _with_carry_lines(lines, persons, M)
    lines = _allocate(lines, persons, mode)
    for sid in sorted(set(lines["staff_id"]) - set(persons)):
        n = int((lines["staff_id"] == sid).sum())
        findings.append(M_NOT_EMPLOYED(
            "staff", int(staff[sid]["_row"]) if sid in staff else None, "status", sid,
            f"{sid} 在 {M.label} 不在职, 但有 {n} 笔单据计入其业绩; 离职后的业绩不计提成",
            "如需发放, 请经理决定后通过工资调整处理",
            f"{sid} is not employed in {M.label} but {n} documents credit them; no commission is paid",
            "If it must be paid, the manager handles it as an adjustment"))
    lines["basis"] = line_basis(lines, shares, persons, non_owner, mode, protection_days) if basis else ""
    lines, unpaid = _with_retro_lines(lines, persons, retro)
    for sid in unpaid:
        total = sum(x.fen for x in retro if x.staff_id == sid)
        findings.append(M_RETRO_UNPAID(
            "staff", int(staff[sid]["_row"]) if sid in staff else None, "status", sid,
            f"{sid} 不在 {M.label} 的工资表中, 但已结账月份的数据变动使其应调整 {money_text(total)} 元(追溯调整), 本月无法发放或扣回",
            "请经理决定如何结算(如离职结算), 或反结账后重新计算",
            f"{sid} is not on the {M.label} payroll but closed-month changes owe them {money_text(total)} (retro adjustment)",
            "The manager settles it by hand (e.g. a leaver's final pay), or reopen the month and recompute"))
    return Pay.build(M.label, persons, lines, findings)


@dataclass(frozen=True)
class _Docs:
    """Documents of one kind (contracts or payments), parallel arrays."""
    ids: np.ndarray       # 合同编号 / 回款编号
    pos: np.ndarray       # position of the contract in Shares
    date: np.ndarray      # datetime64
    amount: np.ndarray    # fen

    @property
    def month(self) -> np.ndarray:
        return month_index(self.date)

    def credit(self, shares) -> pd.DataFrame:
        cr = credit_rows(self.pos, self.amount, shares)
        cr["month"] = self.month[cr["doc"].to_numpy()]
        return cr


def _col(matrix: pd.DataFrame, month: int) -> dict:
    return dict(zip(matrix.index, (int(x) for x in matrix[month].to_numpy())))


# --- inputs of the month -------------------------------------------------------

def _s(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)



def _active(staff: pd.DataFrame, M: Month) -> list[str]:
    """Employed any day of the month (domain.org.employed_in), sorted by 工号 for stable output."""
    return sorted(obj(staff["staff_id"])[employed_in(staff, M.start, M.end)])


def _targets(table: pd.DataFrame) -> pd.DataFrame:
    """(staff_id, month index, target_fen); the last row wins when a month is typed twice."""
    t = table[table["month"].notna() & table["staff_id"].notna()]
    t = t.drop_duplicates(["staff_id", "month"], keep="last")
    idx = np.array([Month.parse(m).index for m in t["month"]], dtype="int64")
    return pd.DataFrame({"staff_id": t["staff_id"].to_numpy(), "month": idx,
                         "target_fen": to_fen(t["sales_target"].to_numpy())})


def _factors(table: pd.DataFrame) -> tuple[tuple[int, int], ...]:
    rows = [(ppm_of(lo), ppm_of(f)) for lo, f in zip(table["min_achievement"], table["factor"])
            if pd.notna(lo) and pd.notna(f)]
    return tuple(sorted(rows))


def _factor(signed: int, target: int, factors, assessed: bool = True) -> Factor:
    """绩效系数 (§6.5): the row with the largest 达成率下限 ≤ 达成率, compared exactly
    (signed × 10⁶ ≥ 下限 × target). No target → the lowest row for a rep (who should have
    one: a 警告 asks for it), factor 1 for a role that carries no sales target (managers,
    内勤 …: our decision, their 绩效 is not measured by 达成率). An empty 绩效系数 sheet →
    factor 1 (the company does not use factors). 达成率 below every row → 0."""
    if not factors:
        return Factor(PPM, None, None, "empty")
    if target <= 0 and not assessed:
        return Factor(PPM, None, None, "not_assessed")
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


def _awards(sid, dept_best, best, team_streak, dept_streak, amounts, team) -> tuple[Award, ...]:
    out = []
    if sid in dept_best:
        ties = len(dept_best)
        out.append(Award("部门最高业绩奖", amounts["部门最高业绩奖"],
                         f"达成目标者中本月签约业绩最高 ({money_text(best)})" + (f", 与另 {ties - 1} 人并列" if ties > 1 else ""),
                         f"highest signed sales among those who met their target ({money_text(best)})"
                         + (f", tied with {ties - 1} other(s)" if ties > 1 else "")))
    if team_streak >= 6 and team_streak % 6 == 0:
        out.append(Award("连续6个月组内第一奖励", amounts["连续6个月组内第一奖励"],
                         f"连续 {team_streak} 个月小组「{team}」签约业绩第一",
                         f"top of team {team} for {team_streak} months running"))
    if dept_streak >= 12 and dept_streak % 12 == 0:
        out.append(Award("连续12个月部门第一奖励", amounts["连续12个月部门第一奖励"],
                         f"连续 {dept_streak} 个月部门签约业绩第一", f"top of the department for {dept_streak} months running"))
    return tuple(out)


# --- lines ----------------------------------------------------------------------

def _month_lines(M, sig: _Docs, sig_cr, pay: _Docs, pay_cr, shares) -> pd.DataFrame:
    """This month's credited document shares, one row each, before commission."""
    parts = []
    for kind, docs, cr in ((CONTRACT_LINE, sig, sig_cr), (PAYMENT_LINE, pay, pay_cr)):
        cr = cr[(cr["month"] == M.index).to_numpy()]
        if not len(cr):
            continue
        d = cr["doc"].to_numpy()
        cpos = docs.pos[d]
        parts.append(pd.DataFrame({
            "staff_id": cr["staff_id"].to_numpy(dtype=object), "source_type": kind,
            "document_id": pd.Series(docs.ids[d], dtype=object), "contract_pos": cpos,
            "customer_id": pd.Series(shares.customer_id[cpos], dtype=object), "date": docs.date[d],
            "amount_fen": docs.amount[d], "share_ppm": cr["share_ppm"].to_numpy(),
            "credited_fen": cr["credited_fen"].to_numpy(), "part": cr["part"].to_numpy(dtype=object)}))
    if not parts:
        return _empty_lines()
    out = pd.concat(parts, ignore_index=True)
    for c in ("staff_id", "source_type", "document_id", "customer_id", "part"):
        out[c] = out[c].astype(object)
    return out


def _empty_lines() -> pd.DataFrame:
    return pd.DataFrame({"staff_id": pd.Series([], dtype=object), "source_type": pd.Series([], dtype=object),
                         "document_id": pd.Series([], dtype=object), "contract_pos": pd.Series([], dtype="int64"),
                         "customer_id": pd.Series([], dtype=object), "date": pd.Series([], dtype="datetime64[ns]"),
                         "amount_fen": pd.Series([], dtype="int64"), "share_ppm": pd.Series([], dtype="int64"),
                         "credited_fen": pd.Series([], dtype="int64"), "part": pd.Series([], dtype=object)})




def _with_carry_lines(lines: pd.DataFrame, persons: dict, M) -> pd.DataFrame:
    carry = [(p.staff_id, p.carry_in) for p in persons.values() if p.carry_in > 0]
    if not carry:
        return lines
    extra = pd.DataFrame({
        "staff_id": [s for s, _ in carry], "source_type": CARRY_LINE,
        "document_id": M.prev().label, "contract_pos": -1, "customer_id": None, "date": pd.NaT,
        "amount_fen": [-c for _, c in carry], "share_ppm": PPM, "credited_fen": [-c for _, c in carry],
        "part": "carry"})
    out = pd.concat([lines, extra], ignore_index=True)
    for c in ("staff_id", "source_type", "document_id", "customer_id", "part"):
        out[c] = out[c].astype(object)
    return out


def _with_retro_lines(lines: pd.DataFrame, persons: dict, retro) -> tuple[pd.DataFrame, list[str]]:
    """The 追溯调整 lines after each person's own lines (only people on this payroll)."""
    from ..close.retro import lines_frame

    paid = [x for x in retro if x.staff_id in persons]
    unpaid = sorted({x.staff_id for x in retro} - set(persons))
    if not paid:
        return lines, unpaid
    out = pd.concat([lines, lines_frame(paid)], ignore_index=True)
    for c in ("staff_id", "source_type", "document_id", "customer_id", "part"):
        out[c] = out[c].astype(object)
    out["adjust_fen"] = out["adjust_fen"].fillna(0).astype("int64")
    out["commission_fen"] = out["commission_fen"].fillna(0).astype("int64")
    out = out.sort_values("staff_id", kind="stable").reset_index(drop=True)
    return out, unpaid


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
