"""Hand-computed cases for every pay rule of domain.md §6 (amounts in exact fen)."""
import datetime as dt

import pytest

from builders import (attendance, contract, customer, factors, owners, payment, settings_rows, staff,
                      tables, target, tiers, visit)
from salesbook import contract as K
from salesbook.commission import ReconciliationError, compute
from salesbook.credit import owners_from, signer_findings
from salesbook.commission import tiers as T
from salesbook.settings import read_settings

DEFAULT_PLAN = tiers((0, 50000, 0.03), (50000, 100000, 0.05), (100000, None, 0.08))
DEFAULT_FACTORS = factors(*K.DEFAULT_PERFORMANCE_FACTORS)


def run(month="2026-03", owner_map=None, calls=None, settings=None, **sheets):
    sheets.setdefault("commission_plan", DEFAULT_PLAN)
    sheets.setdefault("performance_factors", DEFAULT_FACTORS)
    sheets.setdefault("staff", [staff("S1"), staff("M1", role="销售经理")])
    sheets.setdefault("customers", [customer("K1")])
    sheets["settings"] = settings_rows(**(settings or {}))
    t = tables(**sheets)
    s, problems = read_settings(t["settings"])
    assert not problems
    pay = compute(t, s, month, owners(owner_map, calls))
    pay.check()
    return pay


def row(pay, sid):
    r = pay.payroll[pay.payroll["staff_id"] == sid]
    assert len(r) == 1, f"{sid} not on payroll"
    return r.iloc[0]


def lines(pay, sid, kind=None):
    x = pay.lines[pay.lines["staff_id"] == sid]
    return x if kind is None else x[x["source_type"] == kind]


def signed_base(amount, **kw):
    """One contract of `amount` signed by S1 in 2026-03, 提成基数 = 签约."""
    s = {"提成基数": "签约"}
    s.update(kw.pop("settings", {}))
    return run(contracts=[contract("C1", "S1", amount)], settings=s, **kw)


# --- tiers ------------------------------------------------------------------------

PROG = [(0, 0), (0.5, 0.02), (49999.99, 1500.00), (50000, 1500.00), (50000.01, 1500.00),
        (99999.99, 4000.00), (100000, 4000.00), (100000.01, 4000.00), (150000, 8000.00)]
WHOLE = [(0, 0), (0.5, 0.02), (49999.99, 1500.00), (50000, 2500.00), (50000.01, 2500.00),
         (99999.99, 5000.00), (100000, 8000.00), (100000.01, 8000.00), (150000, 12000.00)]


@pytest.mark.parametrize("base,expected", PROG)
def test_progressive_at_and_around_every_boundary(base, expected):
    plan = T.plans(tables(commission_plan=DEFAULT_PLAN)["commission_plan"])["默认"]
    fen, _ = T.commission(round(base * 100), plan, T.PROGRESSIVE)
    assert fen == round(expected * 100)


@pytest.mark.parametrize("base,expected", WHOLE)
def test_whole_tier_at_and_around_every_boundary(base, expected):
    plan = T.plans(tables(commission_plan=DEFAULT_PLAN)["commission_plan"])["默认"]
    fen, _ = T.commission(round(base * 100), plan, T.WHOLE)
    assert fen == round(expected * 100)


def test_tiers_through_compute_progressive_and_whole():
    assert row(signed_base(60000), "S1")["commission"] == 1500 + 500
    assert row(signed_base(60000, settings={"提成计算方式": "全额"}), "S1")["commission"] == 3000
    assert row(signed_base(50000, settings={"提成计算方式": "全额"}), "S1")["commission"] == 2500


def test_role_tiers_win_over_default_and_gaps_pay_nothing():
    plan = DEFAULT_PLAN + tiers((10000, 20000, 0.1), (30000, None, 0.2), role="销售代表")
    pay = signed_base(40000, commission_plan=plan)
    # 10,000 × 10% + (40,000 − 30,000) × 20%; 0–10,000 and 20,000–30,000 are not tiers
    assert row(pay, "S1")["commission"] == 1000 + 2000
    assert "销售代表" in row(pay, "S1")["remarks"]
    below = signed_base(9999.99, commission_plan=plan, settings={"提成计算方式": "全额"})
    assert row(below, "S1")["commission"] == 0


def test_no_plan_for_role_is_an_error_when_there_is_a_base():
    pay = signed_base(1000, commission_plan=tiers((0, None, 0.1), role="组长"))
    assert row(pay, "S1")["commission"] == 0
    assert any(f.level == "错误" and f.sheet == "commission_plan" for f in pay.findings)


# --- credit shares -----------------------------------------------------------------

def test_collaborator_default_half_rounds_half_up_and_signer_gets_the_rest():
    pay = run(staff=[staff("S1"), staff("S2"), staff("M1")],
              contracts=[contract("C1", "S1", 10000.01, collaborator="S2")],
              settings={"提成基数": "签约"})
    assert row(pay, "S2")["signed"] == 5000.01   # 500000.5 fen → 500001
    assert row(pay, "S1")["signed"] == 5000.00
    assert lines(pay, "S2")["share"].tolist() == [0.5]
    assert "协作比例留空, 按 50%" in lines(pay, "S2")["basis"].iloc[0]


def test_collaborator_explicit_share():
    pay = run(staff=[staff("S1"), staff("S2"), staff("M1")],
              contracts=[contract("C1", "S1", 10000, collaborator="S2", share="30%")],
              payments=[payment("P1", "C1", 5000)])
    assert (row(pay, "S1")["signed"], row(pay, "S2")["signed"]) == (7000, 3000)
    assert (row(pay, "S1")["collected"], row(pay, "S2")["collected"]) == (3500, 1500)
    assert row(pay, "S2")["commission"] == 45.00


def _split_case(signer_channel="内销", owner_channel="外销", visit_on="2026-02-03", owner="S2",
                collaborator=None, settings=None, calls=None, visitor="S2"):
    return run(staff=[staff("S1", channel=signer_channel), staff("S2", channel=owner_channel),
                      staff("S3", channel="外销"), staff("M1")],
               visits=[visit(visit_on, visitor)] if visit_on else [],
               contracts=[contract("C1", "S1", 10000, collaborator=collaborator)],
               payments=[payment("P1", "C1", 10000)],
               owner_map={"K1": owner}, settings=settings, calls=calls)


def test_70_30_when_every_condition_holds():
    pay = _split_case()   # visit exactly 30 days before signing on 2026-03-05
    assert (row(pay, "S2")["signed"], row(pay, "S1")["signed"]) == (7000, 3000)
    assert (row(pay, "S2")["collected"], row(pay, "S1")["collected"]) == (7000, 3000)
    basis = lines(pay, "S2", "合同")["basis"].iloc[0]
    assert "内外销分成" in basis and "外销归属人 S2" in basis and "2026-02-03" in basis


@pytest.mark.parametrize("case", [
    dict(visit_on="2026-02-02"),              # 31 days before signing: outside the window
    dict(visit_on="2026-03-06"),              # after signing
    dict(visit_on=None),                      # the owner never visited
    dict(owner_channel="内销"),               # owner is not 外销
    dict(signer_channel="外销"),              # signer is not 内销
    dict(owner=None),                         # customer in the public pool
    dict(owner="S1"),                         # signer is the owner
    dict(owner="S3"),                         # the 外销 visitor S2 is not the owner
])
def test_70_30_not_applied_when_a_condition_fails(case):
    pay = _split_case(**case)
    assert row(pay, "S1")["signed"] == 10000


def test_70_30_on_signing_day_blank_channel_and_custom_ratio():
    pay = _split_case(signer_channel=None, visit_on="2026-03-05", settings={"内外销分成比例": "60%"})
    assert (row(pay, "S2")["signed"], row(pay, "S1")["signed"]) == (6000, 4000)


def test_collaborator_beats_70_30():
    pay = _split_case(collaborator="S3")
    assert (row(pay, "S1")["signed"], row(pay, "S3")["signed"], row(pay, "S2")["signed"]) == (5000, 5000, 0)


def test_owner_on_asked_only_for_70_30_candidates_and_non_owner_checks():
    calls = []
    run(staff=[staff("S1", channel="内销"), staff("S2", channel="外销"), staff("M1")],
        customers=[customer("K1"), customer("K2")],
        visits=[visit("2026-03-01", "S2", "K1")],
        contracts=[contract("C1", "S1", 100, signed="2026-01-10", customer="K1"),   # candidate, old
                   contract("C2", "S1", 100, signed="2026-01-10", customer="K2")],  # no 外销 visit
        owner_map={"K1": "S2"}, calls=calls, month="2026-03")
    # C1 signed in January: the March visit is after signing, so nothing qualifies and no
    # contract has lines in March: owner_on is never asked.
    assert calls == []


def test_non_owner_signer_keeps_credit_with_a_warning():
    people = [staff("S1"), staff("S2"), staff("M1")]
    deals = [contract("C1", "S1", 1000)]
    pay = run(staff=people, contracts=deals, owner_map={"K1": "S2"})
    assert row(pay, "S1")["signed"] == 1000
    assert "以付款为准" in lines(pay, "S1")["basis"].iloc[0]
    # the warning is the credit module's (one rule for validation and pay), not the pay engine's
    assert not [f for f in pay.findings if f.column == "signer_id"]
    t = tables(staff=people, contracts=deals)
    warn = signer_findings(t["contracts"], t["staff"], t["visits"], 30, dt.date(2026, 3, 31),
                           owners_from(owners({"K1": "S2"})))
    assert [(f.level, f.row, f.column, f.rule) for f in warn] == [("警告", 2, "signer_id", "C-SIGNER-NOT-OWNER")]
    assert "S2" in warn[0].problem and "以付款为准" in warn[0].problem


# --- which documents count ---------------------------------------------------------

def test_unremitted_unapproved_and_cancelled():
    pay = run(contracts=[contract("C1", "S1", 10000), contract("C2", "S1", 20000, approval="待审批"),
                         contract("C3", "S1", 40000, approval="已驳回"),
                         contract("C4", "S1", 80000, status="已取消")],
              payments=[payment("P1", "C1", 1000), payment("P2", "C1", 2000, remitted="否"),
                        payment("P3", "C2", 4000), payment("P4", "C3", 8000), payment("P5", "C4", 16000)])
    r = row(pay, "S1")
    assert r["signed"] == 10000            # C1 only: C4 is cancelled, C2/C3 not approved
    # P1 only: P5 is on a cancelled contract, which does not count (the same predicate as the
    # validation warning "这笔回款暂不计入业绩和提成")
    assert r["collected"] == 1000
    assert set(lines(pay, "S1")["document_id"]) == {"C1", "P1"}


def test_documents_outside_the_month_do_not_count():
    pay = run(contracts=[contract("C1", "S1", 10000, signed="2026-02-28"),
                         contract("C2", "S1", 10000, signed="2026-04-01")],
              payments=[payment("P1", "C1", 10000, paid="2026-02-28"), payment("P2", "C1", 500, paid="2026-03-31")])
    r = row(pay, "S1")
    assert (r["signed"], r["collected"], r["commission"]) == (0, 500, 15)


def test_refund_subtracts_and_its_line_carries_negative_commission():
    pay = run(contracts=[contract("C1", "S1", 100000, signed="2026-02-01")],
              payments=[payment("P1", "C1", 60000, paid="2026-03-02"),
                        payment("P2", "C1", -10000, paid="2026-03-25")])
    r = row(pay, "S1")
    assert (r["collected"], r["commission_base"], r["commission"]) == (50000, 50000, 1500)
    ls = lines(pay, "S1").set_index("document_id")
    assert ls.loc["P1", "credited"] == 1800.00 and ls.loc["P2", "credited"] == -300.00
    assert "退款 P2" in ls.loc["P2", "basis"]


# --- carry-forward -----------------------------------------------------------------

CARRY = dict(contracts=[contract("C1", "S1", 200000, signed="2026-01-05")],
             payments=[payment("P1", "C1", 10000, paid="2026-01-10"),
                       payment("P2", "C1", -30000, paid="2026-02-10"),
                       payment("P3", "C1", 20000, paid="2026-03-10"),
                       payment("P4", "C1", 60000, paid="2026-04-10")])


def test_carry_forward_over_two_months():
    jan, feb, mar, apr = (run(month=m, **CARRY) for m in ("2026-01", "2026-02", "2026-03", "2026-04"))
    assert row(jan, "S1")["commission"] == 300
    f = row(feb, "S1")
    assert (f["commission_base"], f["commission"]) == (-30000, 0) and "30,000.00 结转下月扣回" in f["remarks"]
    assert lines(feb, "S1")["credited"].tolist() == [0.0]
    m = row(mar, "S1")
    assert (m["collected"], m["commission_base"], m["commission"]) == (20000, -10000, 0)
    assert lines(mar, "S1", "扣回结转")["amount"].tolist() == [-30000]
    a = row(apr, "S1")
    assert (a["collected"], a["commission_base"], a["commission"]) == (60000, 50000, 1500)
    carry = lines(apr, "S1", "扣回结转")
    assert carry["amount"].tolist() == [-10000] and carry["credited"].tolist() == [-300]
    assert carry["document_id"].tolist() == ["2026-03"]
    assert lines(apr, "S1", "回款")["credited"].tolist() == [1800]


def test_carry_forward_in_signed_mode_never_arises_from_contracts():
    pay = run(month="2026-04", settings={"提成基数": "签约"}, **CARRY)
    assert row(pay, "S1")["commission_base"] == 0 and len(lines(pay, "S1", "扣回结转")) == 0


# --- attendance ----------------------------------------------------------------------

@pytest.mark.parametrize("att,bonus,remark", [
    (attendance("2026-03", "S1"), 200, None),
    (attendance("2026-03", "S1", present=23), 200, None),
    (attendance("2026-03", "S1", present=21.5), 0, "实际出勤 21.5/22 天"),
    (attendance("2026-03", "S1", late=1), 0, "迟到 1 次"),
    (attendance("2026-03", "S1", leave=0.5), 0, "请假 0.5 天"),
    (attendance("2026-02", "S1"), 0, "无考勤记录"),
])
def test_attendance_bonus(att, bonus, remark):
    pay = run(attendance=[att], settings={"全勤奖": 300} if bonus and att["实际出勤天数"] == 23 else None)
    r = row(pay, "S1")
    assert r["attendance_bonus"] == (300 if bonus and att["实际出勤天数"] == 23 else bonus)
    if remark:
        assert remark in r["remarks"]


# --- performance factor --------------------------------------------------------------

@pytest.mark.parametrize("signed,factor", [
    (0, 0.5), (59999.99, 0.5), (60000, 0.8), (79999.99, 0.8), (80000, 1.0), (99999.99, 1.0),
    (100000, 1.2), (119999.99, 1.2), (120000, 1.5), (500000, 1.5)])
def test_performance_factor_boundaries(signed, factor):
    contracts = [contract("C1", "S1", signed)] if signed else []
    pay = run(staff=[staff("S1", 绩效工资基数=1000.01), staff("M1")], contracts=contracts,
              targets=[target("2026-03", "S1", 100000)])
    r = row(pay, "S1")
    assert r["achievement"] == pytest.approx(signed / 100000)
    # 1000.01 × factor, half-up to the fen
    assert r["performance_pay"] == {0.5: 500.01, 0.8: 800.01, 1.0: 1000.01, 1.2: 1200.01, 1.5: 1500.02}[factor]


def test_no_target_blank_achievement_lowest_factor_and_warning():
    pay = run(staff=[staff("S1", 绩效工资基数=1000), staff("M1")], contracts=[contract("C1", "S1", 1)])
    r = row(pay, "S1")
    assert r["achievement"] != r["achievement"] and r["sales_target"] != r["sales_target"]  # NaN
    assert r["performance_pay"] == 500
    assert any(f.sheet == "targets" and f.value == "S1" and f.level == "警告" for f in pay.findings)


def test_a_role_without_a_sales_target_gets_factor_one_and_no_warning():
    pay = run(staff=[staff("S1"), staff("M1", role="销售经理", 绩效工资基数=2000)], contracts=[contract("C1", "S1", 1)])
    r = row(pay, "M1")
    assert r["performance_pay"] == 2000 and "不考核销售目标" in r["remarks"]
    assert not any(f.value == "M1" and f.sheet == "targets" for f in pay.findings)


def test_factor_below_every_row_is_zero_and_empty_table_is_one():
    kw = dict(staff=[staff("S1", 绩效工资基数=1000), staff("M1")], contracts=[contract("C1", "S1", 50000)],
              targets=[target("2026-03", "S1", 100000)])
    assert row(run(performance_factors=factors((0.6, 1.0)), **kw), "S1")["performance_pay"] == 0
    assert row(run(performance_factors=[], **kw), "S1")["performance_pay"] == 1000


# --- pay total, people ---------------------------------------------------------------

def test_total_adds_every_component():
    pay = run(staff=[staff("S1", 底薪=3000, 绩效工资基数=1000, 津贴=150.5), staff("M1")],
              contracts=[contract("C1", "S1", 120000)], payments=[payment("P1", "C1", 60000)],
              targets=[target("2026-03", "S1", 100000)], attendance=[attendance("2026-03", "S1")])
    r = row(pay, "S1")
    assert (r["commission"], r["performance_pay"], r["awards"]) == (2000, 1500, 200)   # 120% → factor 1.5
    assert r["total"] == 3000 + 200 + 1500 + 150.5 + 2000 + 200 + 0
    assert r["adjustment"] == 0


def test_who_is_on_the_payroll():
    pay = run(staff=[staff("S1"), staff("M1"),
                     staff("A", left="2026-03-10", status="离职"),     # left during the month
                     staff("B", left="2026-02-28", status="离职"),     # left before
                     staff("C", hired="2026-04-01"),                  # hired after
                     staff("D", status="试用", hired="2026-03-31"),
                     staff("E", status="离职")],                       # left, date unknown
              contracts=[contract("C1", "B", 1000, signed="2026-02-01")],
              payments=[payment("P1", "C1", 1000, collector="S1")])
    assert pay.payroll["staff_id"].tolist() == ["A", "D", "M1", "S1"]
    b = lines(pay, "B")
    assert b["credited"].tolist() == [0] and "不在职" in b["basis"].iloc[0]
    assert any(f.sheet == "staff" and f.value == "B" for f in pay.findings)


def test_signed_mode_puts_commission_on_contract_lines():
    pay = run(contracts=[contract("C1", "S1", 30000), contract("C2", "S1", 30000)],
              payments=[payment("P1", "C1", 30000)], settings={"提成基数": "签约"})
    ls = lines(pay, "S1").set_index("document_id")
    assert row(pay, "S1")["commission"] == 2000
    assert (ls.loc["C1", "credited"], ls.loc["C2", "credited"], ls.loc["P1", "credited"]) == (1000, 1000, 0)
    assert "本行只计业绩不计提成" in ls.loc["P1", "basis"]


def test_largest_remainder_allocation_is_exact():
    # 3 equal payments of 33,333.33 → base 99,999.99, commission 4,000.00 (3999.9995 half-up)
    pay = run(contracts=[contract("C1", "S1", 100000, signed="2026-02-01")],
              payments=[payment(f"P{i}", "C1", 33333.33) for i in range(3)])
    assert row(pay, "S1")["commission"] == 4000
    assert sorted(lines(pay, "S1")["credited"].tolist()) == [1333.33, 1333.33, 1333.34]


def test_check_names_the_person_when_lines_do_not_add_up():
    pay = run(contracts=[contract("C1", "S1", 10000)], payments=[payment("P1", "C1", 10000)])
    pay.line_fen.loc[pay.line_fen["staff_id"] == "S1", "commission_fen"] += 1
    with pytest.raises(ReconciliationError, match="S1"):
        pay.check()


def test_owner_on_asked_once_per_contract():
    calls = []
    pay = _split_case(calls=calls)          # a 70/30 candidate with lines this month
    assert calls == [("K1", __import__("datetime").date(2026, 3, 5))]
    assert row(pay, "S2")["signed"] == 7000


def test_collaborator_share_outside_0_1_is_an_error_and_clipped():
    pay = run(staff=[staff("S1"), staff("S2"), staff("M1")],
              contracts=[contract("C1", "S1", 1000, collaborator="S2", share=1.5)])
    assert (row(pay, "S1")["signed"], row(pay, "S2")["signed"]) == (0, 1000)
    assert [f.column for f in pay.findings if f.level == "错误"] == ["collab_share"]
