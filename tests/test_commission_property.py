"""Reconciliation properties on random workbooks: Σ 提成明细 per person = 提成, 应发合计 =
Σ its parts, every document's shares add up to it, and the tier arithmetic agrees with
an independent Decimal computation."""
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from builders import (attendance, contract, customer, owners, payment, settings_rows, staff, tables, target,
                      tiers, visit)
from salesbook.commission import compute
from salesbook.settings import read_settings

IDS = ["S1", "S2", "S3", "S4", "S5"]
DAYS = [f"2026-{m:02d}-{d:02d}" for m in (1, 2, 3) for d in (1, 9, 15, 28)]
money = st.integers(1, 30_000_000).map(lambda f: f / 100)


@st.composite
def workbooks(draw):
    n = draw(st.integers(2, 5))
    people = IDS[:n]
    staff_rows = [staff(sid, channel=draw(st.sampled_from(["内销", "外销", None])),
                        team=draw(st.sampled_from(["一组", "二组", None])),
                        底薪=draw(money), 绩效工资基数=draw(money), 津贴=draw(st.sampled_from([None, 100.5])),
                        left=draw(st.sampled_from([None, None, "2026-02-10"])),
                        status="在职") for sid in people]
    for r in staff_rows:
        if r["离职日期"]:
            r["状态"] = "离职"
    customers = [customer(f"K{i}") for i in range(3)]
    contracts = []
    for i in range(draw(st.integers(0, 10))):
        signer = draw(st.sampled_from(people))
        collab = draw(st.sampled_from([None, None] + [p for p in people if p != signer]))
        contracts.append(contract(
            f"C{i}", signer, draw(money), signed=draw(st.sampled_from(DAYS)), customer=f"K{draw(st.integers(0, 2))}",
            collaborator=collab, share=draw(st.sampled_from([None, 0.3, 0.5, 0.777, 1])) if collab else None,
            approval=draw(st.sampled_from(["已批准", "已批准", "待审批"])),
            status=draw(st.sampled_from(["执行中", "已完成", "已取消"])), approver="S1"))
    payments = []
    for i in range(draw(st.integers(0, 14)) if contracts else 0):
        c = draw(st.sampled_from(contracts))
        amount = draw(money) * draw(st.sampled_from([1, 1, 1, -1]))
        payments.append(payment(f"P{i}", c["合同编号"], amount, paid=draw(st.sampled_from(DAYS)),
                                collector=c["签约人工号"], remitted=draw(st.sampled_from(["是", "是", "否"]))))
    visits = [visit(draw(st.sampled_from(DAYS)), draw(st.sampled_from(people)), f"K{draw(st.integers(0, 2))}")
              for _ in range(draw(st.integers(0, 6)))]
    bounds = sorted(draw(st.sets(st.integers(1, 200_000), min_size=0, max_size=3)))
    edges = [0] + bounds
    rates = [draw(st.sampled_from([0.01, 0.025, 0.03, 0.0333, 0.05, 0.08])) for _ in edges]
    plan = tiers(*[(lo, edges[i + 1] if i + 1 < len(edges) else None, rates[i]) for i, lo in enumerate(edges)])
    targets = [target(m, sid, draw(money)) for m in ("2026-01", "2026-02", "2026-03") for sid in people
               if draw(st.booleans())]
    att = [attendance("2026-03", sid, late=draw(st.sampled_from([None, 0, 1]))) for sid in people if draw(st.booleans())]
    cfg = {"提成基数": draw(st.sampled_from(["回款", "签约"])), "提成计算方式": draw(st.sampled_from(["累进", "全额"]))}
    owner_map = {f"K{i}": draw(st.sampled_from(people + [None])) for i in range(3)}
    t = tables(staff=staff_rows, customers=customers, contracts=contracts, payments=payments, visits=visits,
               commission_plan=plan, performance_factors=[{"达成率下限": 0, "系数": 0.5}, {"达成率下限": 1, "系数": 1.2}],
               targets=targets, attendance=att, settings=settings_rows(**cfg))
    return t, owner_map, draw(st.sampled_from(["2026-01", "2026-02", "2026-03"]))


def decimal_commission(base_fen: int, tier_rows, method: str) -> int:
    """The commission of a base by the book, in Decimal yuan."""
    base = Decimal(base_fen) / 100
    rows = [(Decimal(str(r["下限"])), None if r["上限"] is None else Decimal(str(r["上限"])), Decimal(str(r["比例"])))
            for r in tier_rows]
    if base <= 0:
        return 0
    if method == "全额":
        reached = [(lo, rate) for lo, up, rate in rows if lo <= base]
        total = base * max(reached)[1] if reached else Decimal(0)
    else:
        total = sum(((base if up is None else min(base, up)) - lo) * rate for lo, up, rate in rows if base > lo)
    return int((total * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workbooks())
def test_pay_reconciles_on_random_workbooks(case):
    t, owner_map, month = case
    s, _ = read_settings(t["settings"])
    pay = compute(t, s, month, owners(owner_map))
    pay.check()
    lines = pay.line_fen
    per_person = lines.groupby("staff_id")["commission_fen"].sum() if len(lines) else pd.Series(dtype=int)
    plan_rows = t["commission_plan"].to_dict("records")
    plan_rows = [{"下限": r["lower"], "上限": None if pd.isna(r["upper"]) else r["upper"], "比例": r["rate"]}
                 for r in plan_rows]
    for sid, p in pay.persons.items():
        assert int(per_person.get(sid, 0)) == p.commission
        assert p.total == (p.base_salary + p.attendance.bonus + p.performance_pay + p.allowance + p.commission
                           + p.awards_fen + p.adjustment)
        assert p.commission == decimal_commission(p.base, plan_rows, s.commission_method)
        assert p.carry_out == max(0, -p.base)
    # the written sheet (yuan) reconciles too
    written = pay.lines.groupby("staff_id")["credited"].sum() if len(pay.lines) else pd.Series(dtype=float)
    for _, r in pay.payroll.iterrows():
        assert round(written.get(r["staff_id"], 0) * 100) == round(r["commission"] * 100)
        parts = r[["base_salary", "attendance_bonus", "performance_pay", "allowance", "commission", "awards",
                   "adjustment"]].sum()
        assert round(parts * 100) == round(r["total"] * 100)
    # every document's shares add up to the document
    docs = lines[lines["source_type"] != "扣回结转"]
    if len(docs):
        g = docs.groupby(["source_type", "document_id"]).agg(credited=("credited_fen", "sum"),
                                                              amount=("amount_fen", "first"))
        assert (g["credited"] == g["amount"]).all()
