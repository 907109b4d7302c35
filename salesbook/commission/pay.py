"""Pay: the result of one month's computation, its reconciliation and its explanation."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from .. import contract as K
from ..errors import Defect
from ..findings import Finding
from ..domain.money import PPM, money_text, ratio_text, factor_text, yuan
from .tiers import Plan, TierPart


RETRO = "追溯调整"     # 提成明细 来源类型 of a retro adjustment line (salesbook.close)


def _credited(lines: pd.DataFrame):
    """计入金额: the line's part of 提成, or of 调整 for a 追溯调整 line."""
    if "adjust_fen" not in lines:
        return lines["commission_fen"]
    return lines["commission_fen"] + lines["adjust_fen"].fillna(0).astype("int64")


class ReconciliationError(Defect):
    """提成明细 does not add up to 提成 (or 应发合计 to its parts): a bug, never written."""


@dataclass(frozen=True)
class Attendance:
    bonus: int                 # fen
    due: float | None
    present: float | None
    late: int | None
    leave: float | None
    why: str                   # full / short / late / leave / no_row


@dataclass(frozen=True)
class Factor:
    factor_ppm: int
    min_ppm: int | None        # the 达成率下限 of the row used
    achievement: float | None  # 签约业绩 / 销售目标
    why: str                   # row / no_target / not_assessed / below / empty


@dataclass(frozen=True)
class Award:
    name: str
    fen: int
    why: str
    why_en: str


@dataclass(frozen=True)
class PersonPay:
    staff_id: str
    name: str
    role: str
    channel: str
    team: str
    month: str
    mode: str                  # 提成基数: 回款 / 签约
    method: str                # 提成计算方式: 累进 / 全额
    signed: int                # 签约业绩, fen
    collected: int             # 回款业绩, fen
    target: int | None         # 销售目标, fen (None = no target)
    raw_base: int              # 回款业绩 or 签约业绩
    carry_in: int              # deficit of earlier months deducted now (≥ 0)
    carry_from: str            # the month the deficit was last carried from
    base: int                  # 提成基数 = raw_base − carry_in (may be < 0)
    carry_out: int             # deficit handed to next month (≥ 0)
    plan: Plan
    parts: tuple[TierPart, ...]
    commission: int
    base_salary: int
    attendance: Attendance
    factor: Factor
    perf_base: int
    performance_pay: int
    allowance: int
    awards: tuple[Award, ...]
    adjustment: int
    raise_streak: int          # > 0: months running top of the department (≥ 3) → 建议调薪
    below_streak: int          # > 0: months running below target (≥ N) → 降级预警

    @property
    def awards_fen(self) -> int:
        return sum(a.fen for a in self.awards)

    @property
    def total(self) -> int:
        return (self.base_salary + self.attendance.bonus + self.performance_pay + self.allowance
                + self.commission + self.awards_fen + self.adjustment)

    def remarks(self) -> str:
        out = []
        if self.parts:
            out.append(f"提成{self.method}({self.plan.role}): "
                       + " + ".join(f"{money_text(p.portion)}×{ratio_text(p.tier.rate)}" for p in self.parts)
                       + f" = {money_text(self.commission)}")
        elif self.base > 0 and not self.plan.tiers:
            out.append(f"岗位「{self.role}」无提成方案, 提成按 0")
        if self.carry_in:
            out.append(f"扣回结转: 扣除以前月份负基数 {money_text(self.carry_in)}")
        if self.carry_out:
            out.append(f"提成基数为负, {money_text(self.carry_out)} 结转下月扣回")
        a = self.attendance
        if a.why == "no_row":
            out.append("无考勤记录, 不发全勤奖")
        elif a.why == "short":
            out.append(f"实际出勤 {a.present:g}/{a.due:g} 天, 无全勤奖")
        elif a.why == "late":
            out.append(f"迟到 {a.late} 次, 无全勤奖")
        elif a.why == "leave":
            out.append(f"请假 {a.leave:g} 天, 无全勤奖")
        f = self.factor
        if f.why == "no_target":
            out.append(f"无销售目标, 达成率留空, 绩效系数按最低档 {factor_text(f.factor_ppm)}")
        elif f.why == "not_assessed":
            out.append(f"岗位「{self.role}」不考核销售目标, 绩效系数按 1")
        elif f.why == "below":
            out.append("达成率低于绩效系数表最低下限, 系数 0")
        elif f.why == "empty":
            out.append("绩效系数表为空, 系数按 1")
        for w in self.awards:
            out.append(f"{w.name} {money_text(w.fen)}: {w.why}")
        if self.adjustment:
            out.append(f"追溯调整 {money_text(self.adjustment)}: 已结账月份的数据有变动, 明细见提成明细(来源类型 {RETRO})")
        if self.raise_streak:
            out.append(f"建议调薪(连续 {self.raise_streak} 个月部门第一)")
        if self.below_streak:
            out.append(f"降级预警(连续 {self.below_streak} 个月未完成销售目标)")
        return "; ".join(out)




@dataclass(frozen=True)
class Pay:
    """One month's pay.

    payroll: 业绩提成 rows (contract.PAYROLL keys), money in yuan with two decimals.
    lines:   提成明细 rows (contract.COMMISSION_LINES keys); 计入金额 (credited) is the
             line's part of the person's 提成, so Σ 计入金额 per person = 提成 exactly.
    findings: 警告 / 错误 raised while computing.
    persons: 工号 → PersonPay (every figure in fen, with the reasons behind it).
    """
    month: str
    payroll: pd.DataFrame
    lines: pd.DataFrame
    findings: tuple[Finding, ...]
    persons: MappingProxyType
    line_fen: pd.DataFrame = field(repr=False)   # lines with fen columns, for check/explain

    @classmethod
    def build(cls, month: str, persons: dict[str, PersonPay], lines: pd.DataFrame,
              findings: list[Finding]) -> "Pay":
        rows = []
        for p in persons.values():
            rows.append((p.month, p.staff_id, p.name, p.role, p.team, yuan(p.signed), yuan(p.collected),
                         yuan(p.target) if p.target is not None else float("nan"),
                         round(p.signed / p.target, 6) if p.target else float("nan"),
                         yuan(p.base), yuan(p.commission), yuan(p.base_salary), yuan(p.attendance.bonus),
                         yuan(p.performance_pay), yuan(p.allowance), yuan(p.awards_fen), yuan(p.adjustment),
                         yuan(p.total), p.remarks()))
        payroll = pd.DataFrame(rows, columns=K.PAYROLL.keys())
        out_lines = pd.DataFrame({
            "month": month, "staff_id": lines["staff_id"].to_numpy(),
            "source_type": lines["source_type"].to_numpy(), "document_id": lines["document_id"].to_numpy(),
            "customer_id": lines["customer_id"].to_numpy(),
            "amount": [yuan(x) for x in lines["amount_fen"]],
            "share": [None if t in ("扣回结转", RETRO) else s / PPM for t, s in zip(lines["source_type"], lines["share_ppm"])],
            "credited": [yuan(x) for x in _credited(lines)],
            "basis": lines["basis"].to_numpy() if "basis" in lines else "",
        }, columns=K.COMMISSION_LINES.keys())
        out_lines["share"] = out_lines["share"].astype("float64")
        return cls(month, payroll, out_lines, tuple(findings), MappingProxyType(dict(persons)), lines)

    @property
    def retro_lines(self) -> pd.DataFrame:
        """The 追溯调整 lines (engine columns, adjust_fen = the line's part of 调整)."""
        lf = self.line_fen
        return lf[lf["source_type"] == RETRO] if len(lf) else lf

    # --- reconciliation ---------------------------------------------------------

    def check(self) -> None:
        """Σ 提成明细 per person = 提成 (in fen, and in the written yuan), and 应发合计 =
        the sum of its parts, for every person; raises ReconciliationError naming them."""
        sums = self.line_fen.groupby("staff_id")["commission_fen"].sum() if len(self.line_fen) else pd.Series(dtype="int64")
        own = self.lines[self.lines["source_type"] != RETRO]
        written = (own.groupby("staff_id")["credited"].sum() * 100).round().astype("int64") \
            if len(own) else pd.Series(dtype="int64")
        retro = self.retro_lines
        adjusted = retro.groupby("staff_id")["adjust_fen"].sum() if len(retro) else pd.Series(dtype="int64")
        for sid, p in self.persons.items():
            got, shown = int(sums.get(sid, 0)), int(written.get(sid, 0))
            if got != p.commission or shown != p.commission:
                raise ReconciliationError(
                    f"对账失败: {sid}({p.name}) 的提成明细合计 {money_text(got)} 与提成 {money_text(p.commission)} 不符, "
                    f"未写入任何结果。请把工作簿发给技术支持。",
                    f"Reconciliation failed: commission lines of {sid} add up to {money_text(got)}, "
                    f"not the commission {money_text(p.commission)}; nothing was written.")
            if int(adjusted.get(sid, 0)) != p.adjustment:
                raise ReconciliationError(
                    f"对账失败: {sid}({p.name}) 的追溯调整明细合计 {money_text(int(adjusted.get(sid, 0)))} 与调整 "
                    f"{money_text(p.adjustment)} 不符, 未写入任何结果。请把工作簿发给技术支持。",
                    f"Reconciliation failed: retro lines of {sid} do not add up to the adjustment; nothing was written.")
            parts = (p.base_salary + p.attendance.bonus + p.performance_pay + p.allowance + p.commission
                     + p.awards_fen + p.adjustment)
            if parts != p.total:
                raise ReconciliationError(f"对账失败: {sid} 的应发合计与各项之和不符", f"Total of {sid} does not add up")
        for sid, got in sums.items():
            if sid not in self.persons and int(got) != 0:
                raise ReconciliationError(
                    f"对账失败: {sid} 不在本月工资表中, 却有提成明细 {money_text(int(got))}。请把工作簿发给技术支持。",
                    f"Reconciliation failed: {sid} is not on the payroll but has commission lines {money_text(int(got))}.")
        if len(self.payroll):
            comp = self.payroll[["base_salary", "attendance_bonus", "performance_pay", "allowance", "commission",
                                 "awards", "adjustment"]].sum(axis=1)
            bad = ((comp * 100).round() != (self.payroll["total"] * 100).round())
            if bad.any():
                sid = self.payroll.loc[bad, "staff_id"].iloc[0]
                raise ReconciliationError(f"对账失败: {sid} 的应发合计与各项之和不符", f"Total of {sid} does not add up")

    # --- people-facing text ------------------------------------------------------

    def summary_lines(self, lang: str = "zh") -> list[str]:
        n = len(self.persons)
        comm = sum(p.commission for p in self.persons.values())
        total = sum(p.total for p in self.persons.values())
        adjusted = [p for p in self.persons.values() if p.adjustment]
        adj = sum(p.adjustment for p in adjusted)
        if lang == "en":
            return [f"{self.month}: {n} people, commission {money_text(comm)}, total pay {money_text(total)}, "
                    f"{len(self.lines)} commission lines."] + (
                [f"Retro adjustments for closed months: {len(adjusted)} people, {money_text(adj)} "
                 f"(lines of type {RETRO} in 提成明细)."] if adjusted else [])
        return [f"{self.month} 业绩提成: {n} 人, 提成合计 {money_text(comm)} 元, 应发合计 {money_text(total)} 元, 提成明细 {len(self.lines)} 行。"] + (
            [f"其中已结账月份的追溯调整: {len(adjusted)} 人, 合计 {money_text(adj)} 元(提成明细中来源类型为「{RETRO}」的行)。"]
            if adjusted else [])

    def explain(self, staff_id: str, lang: str = "zh") -> str:
        from .explain import explain
        return explain(self, staff_id, lang)
