"""--explain texts and the 方案对比 what-if."""
from builders import (attendance, contract, customer, factors, payment, settings_rows, staff, tables, target,
                      tiers, visit)
from salesbook import contract as K
from salesbook.commission import compare_plans
from salesbook.settings import read_settings
from builders import owners
from test_commission_rules import DEFAULT_FACTORS, DEFAULT_PLAN, row, run


def _shop():
    return dict(
        staff=[staff("S1", name="李娜", channel="内销", 底薪=3500, 绩效工资基数=1000, 津贴=100),
               staff("S2", name="王强", channel="外销", 底薪=4000, 绩效工资基数=2000),
               staff("M1", name="赵经理", role="销售经理")],
        customers=[customer("K1", by="S2"), customer("K2", by="S1")],
        visits=[visit("2026-03-01", "S2", "K1")],
        contracts=[contract("C1", "S1", 100000, customer="K1", signed="2026-03-05"),
                   contract("C2", "S1", 20000, customer="K2", signed="2026-03-06")],
        payments=[payment("P1", "C1", 80000, paid="2026-03-20"), payment("P2", "C2", 20000, paid="2026-03-21"),
                  payment("P3", "C2", -2000, paid="2026-03-28")],
        targets=[target("2026-03", "S1", 40000), target("2026-03", "S2", 100000)],
        attendance=[attendance("2026-03", "S1"), attendance("2026-03", "S2", late=2)],
        owner_map={"K1": "S2", "K2": "S1"})


def test_explain_inner_sales_person_reads_line_by_line():
    pay = run(**_shop())
    text = pay.explain("S1")
    r = row(pay, "S1")
    # C1 is 70/30 (S2 visited 4 days before), C2 is S1's alone
    assert r["signed"] == 30000 + 20000 and r["collected"] == 24000 + 18000
    for needle in ["李娜(S1, 销售代表, 内销", "合同 C1", "内外销分成", "外销归属人 S2", "分 30%",
                   "退款 P3", "签约业绩合计 50,000.00", "回款业绩合计 42,000.00",
                   "提成基数 = 回款业绩 = 42,000.00", "累进", "42,000.00 × 3% = 1,260.00",
                   "全勤奖 200.00", "达成率 = 签约业绩 50,000.00 ÷ 销售目标 40,000.00 = 125.00%", "系数 1.5",
                   "部门最高业绩奖", "应发合计 = 3,500.00 + 200.00 + 1,500.00 + 100.00 + 1,260.00 + 200.00 + 0.00"]:
        assert needle in text, needle
    assert r["total"] == 3500 + 200 + 1500 + 100 + 1260 + 200


def test_explain_outer_sales_person_and_english():
    pay = run(**_shop())
    text = pay.explain("S2")
    for needle in ["王强(S2, 销售代表, 外销", "分 70%", "签约业绩合计 70,000.00", "回款业绩合计 56,000.00",
                   "50,000.00 × 3% = 1,500.00", "6,000.00 × 5% = 300.00", "迟到 2 次", "有迟到, 不发",
                   "系数 0.8"]:
        assert needle in text, needle
    en = pay.explain("S2", "en")
    assert "Commission = 1,800.00" in en and "late 2" in en
    assert "不在" in pay.explain("NOBODY")


def test_explain_carry_forward_and_negative_base():
    from test_commission_rules import CARRY
    text = run(month="2026-03", **CARRY).explain("S1")
    assert "− 以前月份未扣回的负基数 30,000.00" in text and "= -10,000.00" in text
    assert "差额 10,000.00 元结转到下月" in text


def test_compare_plans_old_new_and_total_row():
    shop = _shop()
    owner_map = shop.pop("owner_map")
    t = tables(commission_plan=DEFAULT_PLAN, performance_factors=DEFAULT_FACTORS, **shop)
    s, _ = read_settings(t["settings"])
    alt = tables(commission_plan=tiers((0, None, 0.05)), performance_factors=factors((0, 1)),
                 settings=settings_rows(提成计算方式="全额"))
    frame = compare_plans(t, s, "2026-03", owners(owner_map), alt)
    # the frame has the contract's keys; the sheet shows the contract's headers
    assert list(frame.columns) == K.PLAN_COMPARISON.keys()
    assert K.PLAN_COMPARISON.headers() == ["工号", "姓名", "岗位", "小组", "原提成", "新提成", "原绩效工资",
                                           "新绩效工资", "原应发合计", "新应发合计", "差额"]
    by = frame.set_index("staff_id")
    assert (by.loc["S1", "old_commission"], by.loc["S1", "new_commission"]) == (1260, 2100)
    assert (by.loc["S1", "old_performance_pay"], by.loc["S1", "new_performance_pay"]) == (1500, 1000)
    assert by.loc["S1", "difference"] == 2100 - 1260 + 1000 - 1500
    assert (by.loc["S2", "old_commission"], by.loc["S2", "new_commission"]) == (1800, 2800)
    assert by.loc["合计", "difference"] == by.drop("合计")["difference"].sum()
    en = compare_plans(t, s, "2026-03", owners(owner_map), alt, lang="en")
    assert en["staff_id"].iloc[-1] == "Total" and K.PLAN_COMPARISON.headers("en")[-1] == "Difference"
    # an alternative without plan rows keeps the company's plan: no difference
    same = compare_plans(t, s, "2026-03", owners(owner_map), tables())
    assert same["difference"].abs().sum() == 0


def test_summary_lines():
    pay = run(**_shop())
    assert "提成合计 3,060.00" in pay.summary_lines()[0]
    assert "commission 3,060.00" in pay.summary_lines("en")[0]
