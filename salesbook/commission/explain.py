"""--explain: how one person's pay for the month was built, line by line, in plain words."""
from __future__ import annotations

from ..domain.money import money_text, ratio_text, factor_text
from .tiers import WHOLE


def _tr(lang: str):
    return (lambda zh, en: en) if lang == "en" else (lambda zh, en: zh)


def explain(pay, staff_id: str, lang: str = "zh") -> str:
    t = _tr(lang)
    p = pay.persons.get(staff_id)
    if p is None:
        return t(f"工号 {staff_id} 不在 {pay.month} 的工资表中(本月不在职, 或工号不存在)。",
                 f"{staff_id} is not on the {pay.month} payroll (not employed this month, or unknown).")
    lines = pay.line_fen[pay.line_fen["staff_id"] == staff_id]
    out = [t(f"{p.name}({p.staff_id}, {p.role}, {p.channel}, {p.team or '未分组'}) {p.month} 工资计算",
             f"Pay of {p.name} ({p.staff_id}, {p.role}, {p.channel}, team {p.team or '-'}) for {p.month}")]

    out.append(t("一、签约业绩(当月签约、已批准、未取消的合同, 按分成比例计入)",
                 "1. Signed sales (approved, not cancelled contracts signed this month, by share)"))
    contracts = lines[lines["source_type"] == "合同"]
    for r in contracts.itertuples(index=False):
        out.append(f"  · {r.basis}")
    if not len(contracts):
        out.append(t("  · 本月没有计入的合同", "  · no contracts credited this month"))
    out.append(t(f"  签约业绩合计 {money_text(p.signed)} 元", f"  Signed sales: {money_text(p.signed)}"))

    out.append(t("二、回款业绩(当月已上交的回款, 退款为负; 未上交或合同未批准的不计)",
                 "2. Collections (remitted payments this month, refunds negative; unremitted or unapproved excluded)"))
    payments = lines[lines["source_type"] == "回款"]
    for r in payments.itertuples(index=False):
        out.append(f"  · {r.basis}")
    if not len(payments):
        out.append(t("  · 本月没有计入的回款", "  · no payments credited this month"))
    out.append(t(f"  回款业绩合计 {money_text(p.collected)} 元", f"  Collections: {money_text(p.collected)}"))

    out.append(t("三、提成", "3. Commission"))
    src = t("回款业绩", "collections") if p.mode == "回款" else t("签约业绩", "signed sales")
    if p.carry_in:
        out.append(t(f"  提成基数 = {src} {money_text(p.raw_base)} − 以前月份未扣回的负基数 {money_text(p.carry_in)}"
                     f"(扣回结转, 截至 {p.carry_from}) = {money_text(p.base)} 元",
                     f"  Base = {src} {money_text(p.raw_base)} − deficit carried from earlier months {money_text(p.carry_in)}"
                     f" = {money_text(p.base)}"))
    else:
        out.append(t(f"  提成基数 = {src} = {money_text(p.base)} 元(参数「提成基数」= {p.mode})",
                     f"  Base = {src} = {money_text(p.base)} (setting 提成基数 = {p.mode})"))
    if p.base <= 0:
        out.append(t("  提成基数不大于 0, 本月提成为 0。", "  The base is not positive: no commission."))
        if p.carry_out:
            out.append(t(f"  差额 {money_text(p.carry_out)} 元结转到下月, 从下月的提成基数中扣回。",
                         f"  The deficit {money_text(p.carry_out)} is carried into next month's base."))
    elif not p.plan.tiers:
        out.append(t(f"  岗位「{p.role}」没有提成方案, 也没有「默认」档位, 提成按 0。",
                     f"  No tiers for role {p.role} nor 默认: commission 0."))
    else:
        plan = p.plan.role if p.plan.role == p.role else t(f"默认(岗位「{p.role}」没有单独方案)",
                                                            f"默认 (no tiers for {p.role})")
        out.append(t(f"  提成方案: {plan}, 计算方式 {p.method}", f"  Plan: {plan}, method {p.method}"))
        for tier in p.plan.tiers:
            upper = money_text(tier.upper) if tier.upper is not None else t("以上", "up")
            out.append(f"    {money_text(tier.lower)} – {upper}: {ratio_text(tier.rate)}")
        if not p.parts:
            out.append(t("  基数未达到最低档, 提成为 0。", "  The base reaches no tier: commission 0."))
        for part in p.parts:
            if p.method == WHOLE:
                out.append(t(f"  全额: 整个基数 {money_text(part.portion)} × {ratio_text(part.tier.rate)}(达到的最高档)= {money_text(part.fen)}",
                             f"  Whole: the whole base {money_text(part.portion)} × {ratio_text(part.tier.rate)} = {money_text(part.fen)}"))
            else:
                up = money_text(part.tier.upper) if part.tier.upper is not None else t("以上", "up")
                out.append(t(f"  累进: {money_text(part.tier.lower)} – {up} 档内 {money_text(part.portion)} × {ratio_text(part.tier.rate)} = {money_text(part.fen)}",
                             f"  Progressive: {money_text(part.portion)} in {money_text(part.tier.lower)} – {up} × {ratio_text(part.tier.rate)} = {money_text(part.fen)}"))
        out.append(t(f"  提成 = {money_text(p.commission)} 元(按精确值合计后四舍五入到分)",
                     f"  Commission = {money_text(p.commission)} (summed exactly, rounded to the fen)"))
        out.append(t("  提成按各笔计入业绩占提成基数的比例分摊到提成明细各行, 合计等于提成。",
                     "  It is shared over the 提成明细 rows in proportion to their credit; they add up to it."))

    out.append(t("四、工资", "4. Pay"))
    out.append(t(f"  底薪 {money_text(p.base_salary)}", f"  Base salary {money_text(p.base_salary)}"))
    a = p.attendance
    if a.why == "no_row":
        att = t("本月没有考勤记录, 不发", "no attendance row this month: none")
    else:
        facts = t(f"应出勤 {a.due:g} 天, 实际 {a.present:g} 天, 迟到 {a.late} 次, 请假 {a.leave:g} 天",
                  f"due {a.due:g} days, present {a.present:g}, late {a.late}, leave {a.leave:g}")
        verdict = {"full": t("全勤, 发放", "full attendance: paid"), "short": t("出勤不足, 不发", "short: none"),
                   "late": t("有迟到, 不发", "late: none"), "leave": t("有请假, 不发", "leave: none")}[a.why]
        att = f"{facts} → {verdict}"
    out.append(t(f"  全勤奖 {money_text(a.bonus)}({att})", f"  Attendance bonus {money_text(a.bonus)} ({att})"))
    f = p.factor
    if f.why == "no_target":
        why = t(f"本月没有销售目标, 达成率留空, 按最低档系数 {factor_text(f.factor_ppm)}",
                f"no sales target: lowest factor {factor_text(f.factor_ppm)}")
    elif f.why == "empty":
        why = t("绩效系数表为空, 系数按 1", "no performance factors: factor 1")
    elif f.why == "not_assessed":
        why = t(f"岗位「{p.role}」不考核销售目标, 系数按 1", f"role {p.role} carries no sales target: factor 1")
    else:
        ach = t(f"达成率 = 签约业绩 {money_text(p.signed)} ÷ 销售目标 {money_text(p.target)} = {f.achievement:.2%}",
                f"achievement = {money_text(p.signed)} ÷ target {money_text(p.target)} = {f.achievement:.2%}")
        why = ach + (t(f", 不低于 {ratio_text(f.min_ppm)} 档, 系数 {factor_text(f.factor_ppm)}",
                       f", at least {ratio_text(f.min_ppm)}: factor {factor_text(f.factor_ppm)}") if f.why == "row"
                     else t(", 低于最低档, 系数 0", ", below every row: factor 0"))
    out.append(t(f"  绩效工资 = 绩效工资基数 {money_text(p.perf_base)} × 系数 {factor_text(f.factor_ppm)} = {money_text(p.performance_pay)}({why})",
                 f"  Performance pay = {money_text(p.perf_base)} × {factor_text(f.factor_ppm)} = {money_text(p.performance_pay)} ({why})"))
    out.append(t(f"  津贴 {money_text(p.allowance)}", f"  Allowance {money_text(p.allowance)}"))
    out.append(t(f"  提成 {money_text(p.commission)}", f"  Commission {money_text(p.commission)}"))
    if p.awards:
        for w in p.awards:
            out.append(t(f"  奖励: {w.name} {money_text(w.fen)}({w.why})", f"  Award: {w.name} {money_text(w.fen)} ({w.why_en})"))
    else:
        out.append(t("  奖励 0(本月没有达到奖励条件)", "  Awards 0"))
    retro = pay.retro_lines
    retro = retro[retro["staff_id"] == staff_id] if len(retro) else retro
    if len(retro):
        out.append(t(f"  调整 {money_text(p.adjustment)}(追溯调整: 已结账月份的数据有变动, 差额在本月发放或扣回)",
                     f"  Adjustment {money_text(p.adjustment)} (retro: data of closed months changed; the difference is settled now)"))
        for r in retro.itertuples(index=False):
            out.append(f"    · {r.basis}")
    else:
        out.append(t("  调整 0(已结账月份的数据没有变动)", "  Adjustment 0 (no change to closed months)"))
    out.append(t(f"  应发合计 = {money_text(p.base_salary)} + {money_text(a.bonus)} + {money_text(p.performance_pay)} + {money_text(p.allowance)}"
                 f" + {money_text(p.commission)} + {money_text(p.awards_fen)} + {money_text(p.adjustment)} = {money_text(p.total)} 元",
                 f"  Total = {money_text(p.base_salary)} + {money_text(a.bonus)} + {money_text(p.performance_pay)} + {money_text(p.allowance)}"
                 f" + {money_text(p.commission)} + {money_text(p.awards_fen)} + {money_text(p.adjustment)} = {money_text(p.total)}"))
    if p.raise_streak:
        out.append(t(f"备注: 建议调薪 — 已连续 {p.raise_streak} 个月部门签约业绩第一。",
                     f"Note: raise suggested — top of the department {p.raise_streak} months running."))
    if p.below_streak:
        out.append(t(f"备注: 降级预警 — 已连续 {p.below_streak} 个月未完成销售目标。",
                     f"Note: demotion warning — below target {p.below_streak} months running."))
    return "\n".join(out)
