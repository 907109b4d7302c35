"""Commission and pay engine (domain.md §6): pure, money in integer fen.

    pay = compute(tables, settings, "2026-03", ownership.owner_on)
    pay.check()                     # Σ 提成明细 = 提成 per person, 应发合计 = Σ parts; else raises
    pay.payroll, pay.lines          # 业绩提成 / 提成明细 frames (contract keys)
    pay.explain("S001")             # plain-Chinese statement of how the pay was built
    compare_plans(tables, settings, "2026-03", owner_on, alt_tables)   # 方案对比

Rules as implemented (§6), with the decisions taken where domain.md is silent:

Credit (§6.1). Only contracts that count carry credit. Signer 100%, except a collaborator
gets 协作比例 (blank = 0.5); else the 70/30 rule: signer 内销 (blank 渠道 = 内销), no
collaborator, the customer's owner on the signing date (owner_on) is a 外销 person other
than the signer who visited the customer on a day in [签约日 − 客户保护期天数, 签约日]
(both ends included) → owner gets 内外销分成比例, signer the rest. A signer who is not the
owner otherwise keeps the credit; a 警告 is raised in the month the contract is signed
and the 依据 says so. The other person's part of an amount is rounded half-up to the fen
and the signer gets the remainder, so shares of a document add up to it exactly.
Payments take the shares of their contract.

Month figures (§6.2). Which documents count is `domain.documents`: 签约业绩 = contracts
that count (已批准, not 已取消) signed in the month; 回款业绩 = remitted (是否上交 = 是)
payments dated in the month on contracts that count, refunds negative. A payment on a
cancelled contract does not count (validation warns "暂不计入业绩和提成" from the same
predicate); a cancellation that changes a closed month is a retro adjustment.
达成率 = 签约业绩 / 销售目标; no target (or 0) → blank.

Commission (§6.3). 提成基数 = 回款业绩 or 签约业绩 (参数) minus the deficit carried from
earlier months. Tiers of the person's 岗位 else 默认; 累进 [下限, 上限) brackets or 全额
(whole base at the highest tier with 下限 ≤ base). Exact sum, half-up once. A base ≤ 0
pays 0 and a negative one is carried into next month (扣回结转); the carry is replayed
from the data over every month from the first month in the workbook, under today's
参数 (the history of settings is not kept). 业绩提成.提成基数 shows the base after the
carry, negative when a deficit is carried on.

Traceability. 提成明细 has one row per document share this month (合同 rows and 回款 rows;
unapproved / unremitted documents are not listed) and one 扣回结转 row when a deficit is
deducted. 金额 = the document amount, 分成比例 = the share, 计入金额 = the row's part of
提成: the rows forming the base (回款 rows under 提成基数 = 回款, 合同 rows under 签约, and
the 扣回结转 row) share the commission in proportion to their credit (largest remainder
to the fen), other rows 0. So Σ 计入金额 per person = 提成 exactly; the 依据 of each row
names the document, the share rule, the credited 业绩 and the commission part. The tier
arithmetic is in 业绩提成.备注 and in explain().

Pay (§6.4–6.7). 全勤奖 iff 实际 ≥ 应出勤, 迟到 = 0 and 请假 = 0 (blank = 0); no 考勤 row → no
bonus (备注 says so). 绩效系数: row with the largest 达成率下限 ≤ 达成率, compared
exactly; no target → the lowest row (a 警告 asks for the target); below every row → 0;
empty sheet → 1. 底薪 / 绩效工资基数 / 津贴 from 人员, not prorated. 调整 = 0: the contract
has no adjustments sheet. Awards over the months in the workbook, 签约业绩 of each month
computed in one vectorised pass: 部门最高业绩奖 to the highest 签约业绩 among people
active this month with 达成率 ≥ 100% (ties all); "top" of a 小组 / the department in a
month = highest 签约业绩 > 0 (ties all), teams taken from today's 人员; 连续6个月组内第一
at streaks of 6, 12 …; 连续12个月部门第一 at 12, 24 …; 建议调薪 while the department
streak is ≥ 3; 降级预警 while the below-target streak (months with a target and
签约业绩 < 目标; a month without a target breaks it) is ≥ 连续未达标预警月数.

People. A payroll row for everybody employed any day of the month (hired by its end;
left on/after its first day, or no 离职日期 and 状态 在职/试用). Credit of a person not
employed this month is listed with 计入金额 0 and a 警告 (no commission after leaving).
"""
from .compare import compare_plans
from .engine import compute
from .pay import Pay, PersonPay, ReconciliationError

__all__ = ["compute", "compare_plans", "Pay", "PersonPay", "ReconciliationError"]
