"""Each report figure definition (salesbook.reports.figures) on hand-made tables."""
import datetime as dt

import pandas as pd
import pytest

from builders import contract, customer, payment, staff, tables, visit
from salesbook.domain.calendar import Day, Month, Week
from salesbook.errors import UsageError
from salesbook.reports import figures as F

D = dt.date


def people(*extra):
    return [staff("S1", "张喆"), staff("S2", "李堃", team="二组"), *extra]


def test_visits_by_method_counts_all_four_methods_including_zeros_within_the_iso_week():
    t = tables(staff=people(), customers=[customer("K1")], visits=[
        visit("2026-10-11", "S1", method="电话拜访"),       # Sunday of W41: not in W42
        visit("2026-10-12", "S1", method="电话拜访"),       # Monday of W42
        visit("2026-10-14", "S1", method="意向拜访"),
        visit("2026-10-18", "S2", method="电话拜访"),       # Sunday of W42
        visit("2026-10-19", "S1", method="来访接待"),       # Monday of W43
    ])
    v = F.visits_in(t, Week.parse("2026-W42"))
    assert F.visits_by_method(v) == {"陌生拜访": 0, "意向拜访": 1, "电话拜访": 2, "来访接待": 0}
    assert len(v) == 3
    assert list(F.visits_by_method(F.visits_in(t, Week.parse("2026-W42"), ["S2"])).values()) == [0, 0, 1, 0]


def test_intent_customers_are_distinct_and_reasons_count_blank_as_unfilled():
    t = tables(staff=people(), customers=[customer("K1"), customer("K2"), customer("K3")], visits=[
        visit("2026-10-12", "S1", "K1", 是否有意向="是"),
        visit("2026-10-13", "S1", "K1", 是否有意向="是"),
        visit("2026-10-13", "S2", "K2", 是否有意向="否", 未成交原因="价格太高"),
        visit("2026-10-14", "S2", "K3", 是否有意向="否", 未成交原因="价格太高"),
        visit("2026-10-14", "S2", "K3", 是否有意向="否"),
        visit("2026-10-15", "S2", "K3", 是否有意向="否", 未成交原因="  "),
        visit("2026-10-15", "S2", "K3"),                    # intent blank: neither
    ])
    v = F.visits_in(t, Week.parse("2026-W42"))
    assert F.intent_customers(v) == ["K1"]
    assert F.no_intent_reasons(v) == {"价格太高": 2, "未填写": 2}
    assert list(F.no_intent_reasons(v)) == ["价格太高", "未填写"]


def test_new_customers_by_registration_time_on_the_last_day_and_by_registrant():
    t = tables(staff=people(), customers=[
        customer("K1", registered="2026-10-18 23:30", by="S1"),
        customer("K2", registered="2026-10-19 00:00", by="S1"),
        customer("K3", registered="2026-10-12 08:00", by="S2"),
    ])
    week = Week.parse("2026-W42")
    assert list(F.new_customers_in(t, week)["customer_id"]) == ["K1", "K3"]
    assert list(F.new_customers_in(t, week, ["S2"])["customer_id"]) == ["K3"]


def test_contracts_that_count_and_the_payment_rule_with_refunds_unremitted_and_cancelled():
    t = tables(staff=people(staff("M1", role="销售经理")), customers=[customer("K1")], contracts=[
        contract("C1", "S1", 10000, signed="2026-10-05"),
        contract("C2", "S1", 20000, signed="2026-10-06", approval="待审批", approver=None),
        contract("C3", "S1", 30000, signed="2026-10-07", status="已取消"),
        contract("C4", "S2", 40000, signed="2026-10-08", approval="已驳回"),
        contract("C5", "S2", 5000.5, signed="2026-10-31", status="已完成"),
        contract("C6", "S2", 7000, signed="2026-09-30"),
    ], payments=[
        payment("P1", "C1", 4000, paid="2026-10-10"),
        payment("P2", "C1", -1000.25, paid="2026-10-11"),            # refund subtracts
        payment("P3", "C1", 2000, paid="2026-10-12", remitted="否"),  # not remitted
        payment("P4", "C2", 3000, paid="2026-10-12"),                # contract not approved
        payment("P5", "C3", 3000, paid="2026-10-12"),                # contract cancelled
        payment("P6", "C6", 700, paid="2026-10-01", collector="S2"),
        payment("P7", "C6", 700, paid="2026-11-01", collector="S2"),  # next month
    ])
    month = Month.parse("2026-10")
    f = F.period_figures(t, month)
    assert (f.contracts_signed, f.contract_amount) == (2, 1500050)
    assert f.payments_amount == 400000 - 100025 + 70000
    team_one = F.period_figures(t, month, ["S1"])
    assert (team_one.contracts_signed, team_one.contract_amount, team_one.payments_amount) == (1, 1000000, 299975)
    # payments follow their contract's signer: P6 (C6 signed by S2) is S2's team's
    assert F.period_figures(t, month, ["S2"]).payments_amount == 70000


def test_the_iso_week_53_of_2026_spans_the_year_boundary_and_2027_w53_is_refused():
    w53 = Week.parse("2026-W53")
    assert (w53.first, w53.last) == (D(2026, 12, 28), D(2027, 1, 3))
    assert w53.next().label == "2027-W01" and w53.prev().label == "2026-W52"
    with pytest.raises(UsageError):
        Week.parse("2027-W53")
    t = tables(staff=people(), customers=[customer("K1")], visits=[
        visit("2026-12-27", "S1"), visit("2026-12-31", "S1"), visit("2027-01-03", "S1", 下次跟进日期="2027-01-05"),
        visit("2027-01-04", "S1")])
    assert F.period_figures(t, w53).visits_total == 2
    assert len(F.followups_in(t, w53.next())) == 1


def test_ageing_buckets_by_days_past_the_due_date_with_every_payment_up_to_the_day():
    day = D(2026, 10, 31)
    rows = [
        # id, amount, signed, due, payments (amount, date, remitted)
        ("A", 1000, "2026-10-01", "2026-11-15", []),                                   # not yet due
        ("B", 1000, "2026-09-01", "2026-10-31", [(400, "2026-10-05", "否")]),           # 0 days past → 0-30
        ("C", 1000, "2026-08-01", "2026-09-30", [(1000, "2026-10-01", "是"),
                                                 (-300, "2026-10-20", "是")]),          # 31 past, refund reopens 300
        ("D", 1000, "2026-07-01", None, []),                                           # blank due = 签约日期: 122 → 90+
        ("E", 1000, "2026-08-02", "2026-08-02", [(1000, "2026-11-02", "是")]),          # paid after the day: 90 → 61-90
        ("F", 1000, "2026-08-01", "2026-08-15", [(1000, "2026-08-20", "否")]),          # fully paid (unremitted counts)
        ("G", 1000, "2026-11-01", "2026-11-01", []),                                   # signed after the day
    ]
    cs = [contract(c, "S1", a, signed=s, 约定回款日期=due) for c, a, s, due, _ in rows]
    cs.append(contract("H", "S1", 1000, signed="2026-08-01", status="已取消"))          # does not count
    ps = [payment(f"P{c}{i}", c, a, paid=d, remitted=r) for c, _, _, _, pays in rows for i, (a, d, r) in enumerate(pays)]
    t = tables(staff=people(), customers=[customer("K1")], contracts=cs, payments=ps)
    a = F.ageing(t, day)
    assert list(a.buckets) == ["未到期", "0-30", "31-60", "61-90", "90+"]
    assert a.buckets == {"未到期": 100000, "0-30": 60000, "31-60": 30000, "61-90": 100000, "90+": 100000}
    assert list(a.overdue["contract_id"]) == ["D", "E", "C", "B"]
    assert list(a.overdue["days_past"]) == [122, 90, 31, 0]


def test_conversion_and_average_sales_cycle_of_a_month():
    t = tables(staff=people(), customers=[
        customer("K1", registered="2026-09-01 10:00"), customer("K2", registered="2026-10-01"),
        customer("K3", registered="2026-10-02"), customer("K4", registered="2026-06-01"),
    ], visits=[
        visit("2026-10-03", "S1", "K1", 是否有意向="是"), visit("2026-10-04", "S1", "K2", 是否有意向="是"),
        visit("2026-10-05", "S1", "K3", 是否有意向="是"),
    ], contracts=[
        contract("C1", "S1", 100, signed="2026-10-11", customer="K1"),                     # 40 days
        contract("C2", "S1", 100, signed="2026-10-21", customer="K2", approval="待审批", approver=None),
        contract("C3", "S1", 100, signed="2026-10-21", customer="K4"),                     # 142 days
        contract("C4", "S1", 100, signed="2026-09-21", customer="K3", status="已取消"),
        contract("C5", "S1", 100, signed="2026-10-22", customer="K3"),                     # 20 days (C4 does not count)
        contract("C6", "S1", 100, signed="2026-10-25", customer="K1"),                     # not K1's first
    ])
    month = Month.parse("2026-10")
    assert F.conversion(t, month) == (3, 2)
    cycles = F.sales_cycles(t, month)
    assert sorted(cycles["days"].tolist()) == [20, 40, 142]
    assert F.average_sales_cycle(t, month) == pytest.approx(202 / 3)


def test_lost_to_pool_reads_the_fall_events_of_the_period():
    log = pd.DataFrame({"customer_id": ["K1", "K2", "K3"], "event": ["掉入公海", "公海领取", "掉入公海"],
                        "date": pd.to_datetime(["2026-10-05", "2026-10-06", "2026-11-01"])})
    assert list(F.lost_to_pool(log, Month.parse("2026-10"))["customer_id"]) == ["K1"]


def test_followups_and_a_day_period():
    t = tables(staff=people(), customers=[customer("K1")], visits=[
        visit("2026-10-05", "S1", 下次跟进日期="2026-10-06"), visit("2026-10-05", "S2", 下次跟进日期="2026-10-07")])
    assert list(F.followups_in(t, Day.parse("2026-10-06"))["staff_id"]) == ["S1"]


def test_the_monthly_series_has_twelve_months_oldest_first():
    t = tables(staff=people(), customers=[customer("K1")], contracts=[
        contract("C1", "S1", 100, signed="2026-10-05"), contract("C2", "S1", 50, signed="2025-11-05"),
        contract("C3", "S1", 70, signed="2025-10-31")],
        payments=[payment("P1", "C1", 30, paid="2026-10-06")])
    s = F.monthly_series(t, Month.parse("2026-10"))
    assert [m for m, _, _ in s][0] == "2025-11" and len(s) == 12
    assert s[0] == ("2025-11", 5000, 0) and s[-1] == ("2026-10", 10000, 3000)


def test_a_window_judges_each_payment_on_its_contract_whenever_it_was_signed():
    # §6.2 回款业绩: a payment collected today on a contract signed months ago still counts;
    # on a cancelled or unremitted one it does not, in the day's window as on the whole tables
    t = tables(staff=people(staff("M1", role="销售经理")), customers=[customer("K1")], contracts=[
        contract("C1", "S1", 10000, signed="2026-03-05"),
        contract("C2", "S1", 20000, signed="2026-03-06", status="已取消"),
    ], payments=[
        payment("P1", "C1", 4000, paid="2026-11-09"),
        payment("P2", "C2", 3000, paid="2026-11-09"),
        payment("P3", "C1", 1000, paid="2026-11-09", remitted="否"),
    ])
    day = Day.parse("2026-11-09")
    w = F.window(t, day.first, day.next().last)
    assert len(w["contracts"]) == 0          # the window holds no contract signed that day
    for source in (t, w):
        got = F.payments_collected_by(source, day, ["S1"])
        assert dict(zip(got["payment_id"], got["counts"])) == {"P1": True, "P2": False, "P3": False}
        assert F.period_figures(source, day, ["S1"]).payments_amount == 400000
