"""Every table-level rule of domain.md §4: a planted defect and a clean counter-example.

Each test starts from `clean()`, a small workbook with no finding at all, changes one
thing, and asserts exactly which cells are reported (level, sheet, row, column).
"""
import datetime as dt
import re

import pandas as pd
import pytest

from builders import customer, staff, tables
from salesbook import contract as K
from salesbook.findings import ERROR, WARNING, Finding, error, warning
from salesbook.settings import defaults
from salesbook.findings import sort_findings
from salesbook.validation import check, usable

TODAY = dt.date(2026, 4, 1)
MONTH = "2026-03"
AUTHORITY = [{"岗位": role, "最低折扣率": m} for role, m in K.DEFAULT_DISCOUNT_AUTHORITY]


def con(cid, amount=9500, list_price=10000, signer="S1", approver="M1", approval="已批准", status="执行中",
        signed="2026-03-05", customer_id="K1", **extra) -> dict:
    row = {"合同编号": cid, "客户编号": customer_id, "签约人工号": signer, "签约日期": signed, "原价": list_price,
           "合同金额": amount, "审批状态": approval, "审批人工号": approver, "合同状态": status}
    row.update(extra)
    return row


def pay(pid, amount=5000, cid="C1", paid="2026-03-20", collector="S1", remitted="是") -> dict:
    return {"回款编号": pid, "合同编号": cid, "回款日期": paid, "金额": amount, "收款人工号": collector,
            "是否上交": remitted}


def vis(date="2026-03-02", sid="S1", cid="K1", method="意向拜访", minutes=10, **extra) -> dict:
    return {"日期": date, "工号": sid, "客户编号": cid, "拜访方式": method, "时长(分钟)": minutes, **extra}


def tgt(sid, month=MONTH) -> dict:
    return {"月份": month, "工号": sid, "销售目标": 100000}


def clean() -> dict:
    """Rows keyed by sheet: a small department with no finding."""
    return {
        "discount_authority": list(AUTHORITY),
        "staff": [staff("M1", role="销售经理"), staff("S1", manager="M1"), staff("S2", manager="M1")],
        "targets": [tgt("S1"), tgt("S2")],
        "attendance": [{"月份": MONTH, "工号": "S1", "应出勤天数": 22, "实际出勤天数": 22}],
        "roster": [{"日期": "2026-03-02", "工号": "S1", "顺序": 1}],
        "customers": [customer("K1")],
        "visits": [vis()],
        "contracts": [con("C1")],
        "payments": [pay("P1")],
        "overrides": [{"客户编号": "K1", "生效日期": "2026-03-10", "新归属人工号": "S2", "原因": "调岗",
                       "批准人工号": "M1"}],
    }


def run(rows: dict, month=MONTH, **kw) -> list[Finding]:
    return check(tables(**rows), defaults(), today=TODAY, month=month, **kw)


def cells(findings) -> list[tuple]:
    return [(f.level, f.sheet, f.row, f.column) for f in findings]


def with_(**changes) -> dict:
    rows = clean()
    rows.update(changes)
    return rows


def test_clean_workbook_has_no_finding_and_every_row_is_usable():
    t = tables(**clean())
    assert run(clean()) == []
    kept, notes = usable(t, [])
    assert notes == []
    assert all(len(kept[k]) == len(t[k]) for k in t)


# --- required, duplicates, references --------------------------------------------

def test_required_cell_empty():
    found = run(with_(staff=[staff("M1", role="销售经理"), staff("S1", manager="M1"),
                             staff("S2", manager="M1", 姓名=None, 渠道=None)]))
    assert cells(found) == [(ERROR, "staff", 4, "name")]  # 渠道 may be blank
    assert "「姓名」必须填写" in found[0].problem and "第 4 行" in found[0].problem


def test_required_cell_the_reader_already_reported_is_not_repeated():
    rows = with_(visits=[vis(minutes=10), vis()])
    rows["visits"][1]["日期"] = None
    assert cells(run(rows)) == [(ERROR, "visits", 3, "date")]
    already = [error("visits", 3, "date", "昨天", "「日期」应为日期", "改")]
    assert run(rows, already=already) == []


@pytest.mark.parametrize("sheet,rows,row,column", [
    ("staff", [staff("M1", role="销售经理"), staff("S1", manager="M1"), staff("S2", manager="M1"),
               staff("S1", manager="M1")], 5, "staff_id"),
    ("customers", [customer("K1"), customer("K1", name="另一家")], 3, "customer_id"),
    ("contracts", [con("C1"), con("C1", amount=10000)], 3, "contract_id"),
    ("payments", [pay("P1"), pay("P1", amount=100)], 3, "payment_id"),
    ("targets", [tgt("S1"), tgt("S2"), tgt("S1")], 4, "staff_id"),
    ("attendance", [{"月份": MONTH, "工号": "S1", "应出勤天数": 22, "实际出勤天数": 22}] * 2, 3, "staff_id"),
    ("roster", [{"日期": "2026-03-02", "工号": "S1"}, {"日期": "2026-03-02", "工号": "S1"}], 3, "staff_id"),
    ("discount_authority", AUTHORITY + [{"岗位": "销售代表", "最低折扣率": 0.5}], len(AUTHORITY) + 2, "role"),
])
def test_duplicate_key_names_the_earlier_row(sheet, rows, row, column):
    found = run(with_(**{sheet: rows}))
    assert cells(found) == [(ERROR, sheet, row, column)]
    assert "重复" in found[0].problem and "第 " in found[0].problem


def test_same_person_in_another_month_is_not_a_duplicate():
    assert run(with_(targets=[tgt("S1"), tgt("S2"), tgt("S1", "2026-04")])) == []


def test_duplicate_names_the_first_row():
    found = run(with_(customers=[customer("K1"), customer("K1", name="另一家")]))
    assert "客户编号 K1 重复: 第 2 行已经有了" == found[0].problem


@pytest.mark.parametrize("sheet,rows,row,column", [
    ("visits", [vis(sid="S9")], 2, "staff_id"),
    ("visits", [vis(), vis(cid="K9")], 3, "customer_id"),
    ("contracts", [con("C1", customer_id="K9")], 2, "customer_id"),
    ("contracts", [con("C1", 协作人工号="S7")], 2, "collaborator_id"),
    ("payments", [pay("P1"), pay("P2", cid="C9", amount=1)], 3, "contract_id"),
    ("customers", [customer("K1", referrer="K0")], 2, "referrer_id"),
    ("targets", [tgt("S1"), tgt("S2"), tgt("X1")], 4, "staff_id"),
    ("overrides", [{"客户编号": "K1", "生效日期": "2026-03-10", "新归属人工号": "S8", "原因": "调岗",
                    "批准人工号": "M1"}], 2, "new_owner_id"),
])
def test_unknown_reference(sheet, rows, row, column):
    found = run(with_(**{sheet: rows}))
    assert cells(found) == [(ERROR, sheet, row, column)]
    assert "找不到" in found[0].problem


def test_unknown_reference_suggests_a_near_spelling():
    found = run(with_(visits=[vis(sid="s1")]))
    assert "是否应为「S1」" in found[0].suggestion


def test_unknown_manager_is_a_reference_error():
    found = run(with_(staff=[staff("M1", role="销售经理"), staff("S1", manager="M9"), staff("S2", manager="M1")]))
    assert cells(found) == [(ERROR, "staff", 3, "manager_id")]


# --- the 上级 tree -------------------------------------------------------------------

def test_manager_cycle_reports_every_row_on_it():
    found = run(with_(staff=[staff("M1", role="销售经理", manager="S2"), staff("S1", manager="M1"),
                             staff("S2", manager="S1"), staff("S3", manager="S1")],
                      targets=[tgt("S1"), tgt("S2"), tgt("S3")]))
    assert cells(found) == [(ERROR, "staff", 2, "manager_id"), (ERROR, "staff", 3, "manager_id"),
                            (ERROR, "staff", 4, "manager_id")]  # S3 hangs off the loop but is not on it
    assert all("M1 → S2 → S1 → M1" in f.problem for f in found)  # "→" reads "reports to"
    assert "第 2、3、4 行" in found[0].problem


def test_own_manager_is_a_cycle_of_one():
    found = run(with_(staff=[staff("M1", role="销售经理", manager="M1"), staff("S1", manager="M1"),
                             staff("S2", manager="M1")]))
    assert cells(found) == [(ERROR, "staff", 2, "manager_id")]
    assert "本人" in found[0].problem


def test_deep_tree_is_fine():
    assert run(with_(staff=[staff("M1", role="销售经理"), staff("S1", role="组长", manager="M1"),
                            staff("S2", manager="S1")])) == []


# --- acting while employed -------------------------------------------------------------

def test_person_acting_before_hire_or_after_leaving():
    people = [staff("M1", role="销售经理"), staff("S1", manager="M1", hired="2026-03-02"),
              staff("S2", manager="M1", left="2026-03-09", status="离职")]
    found = run(with_(
        staff=people,
        targets=[tgt("S1")],
        roster=[{"日期": "2026-03-01", "工号": "S1"}, {"日期": "2026-03-09", "工号": "S2"},
                {"日期": "2026-03-10", "工号": "S2"}],
        customers=[customer("K1", registered="2026-03-01 09:00", by="S1")],
        visits=[vis("2026-03-02", "S1"), vis("2026-03-01", "S1"), vis("2026-03-09", "S2"), vis("2026-03-10", "S2")],
        contracts=[con("C1", signed="2026-03-05", 协作人工号="S2", approver="M1")],
        payments=[pay("P1", collector="S2", paid="2026-03-20")],
        overrides=[{"客户编号": "K1", "生效日期": "2026-03-10", "新归属人工号": "S2", "原因": "调岗",
                    "批准人工号": "M1"}],
    ))
    assert cells(found) == [
        (ERROR, "roster", 2, "staff_id"), (ERROR, "roster", 4, "staff_id"),
        (ERROR, "customers", 2, "registered_by"),
        (ERROR, "visits", 3, "staff_id"), (ERROR, "visits", 5, "staff_id"),
        (ERROR, "payments", 2, "collector_id"),
        (ERROR, "overrides", 2, "new_owner_id"),
    ]  # S2 collaborating on 03-05 and visiting on the day of leaving are fine
    by = {(f.sheet, f.row): f for f in found}
    assert "入职日期是 2026-03-02" in by["visits", 3].problem and "入职之前" in by["visits", 3].problem
    assert "已于 2026-03-09 离职" in by["visits", 5].problem
    assert "「人员」表第 4 行" in by["visits", 5].suggestion


def test_approver_who_has_left():
    found = run(with_(staff=[staff("M1", role="销售经理", left="2026-03-01", status="离职"),
                             staff("S1", manager="M1"), staff("S2", manager="M1")],
                      overrides=[]))
    assert cells(found) == [(ERROR, "contracts", 2, "approver_id")]
    assert "审批合同" in found[0].problem


# --- dates in the future --------------------------------------------------------------

def test_future_dates():
    found = run(with_(
        visits=[vis("2026-04-01"), vis("2026-04-02", 下次跟进日期="2026-05-01")],
        customers=[customer("K1"), customer("K2", registered="2026-04-01 15:00")],
        roster=[{"日期": "2026-04-05", "工号": "S1"}],   # duty may be planned ahead
        contracts=[con("C1", 约定回款日期="2026-06-30")],
        payments=[pay("P1", paid="2026-04-02")],
    ))
    assert cells(found) == [(ERROR, "visits", 3, "date"), (ERROR, "payments", 2, "paid_on")]
    assert "晚于今天(2026-04-01)" in found[0].problem


# --- contracts ----------------------------------------------------------------------------

def test_contract_amount_not_positive_or_above_list_price():
    found = run(with_(contracts=[con("C1"), con("C2", amount=0), con("C3", amount=10001), con("C4", amount=10000),
                                 con("C5", amount=-5)]))
    assert cells(found) == [(ERROR, "contracts", 3, "amount"), (ERROR, "contracts", 4, "amount"),
                            (ERROR, "contracts", 6, "amount")]
    assert "高于「原价」10,000.00 元" in found[1].problem


def test_approved_contract_needs_an_approver():
    found = run(with_(contracts=[con("C1"), con("C2", amount=10000, approver=None),
                                 con("C3", amount=10000, approver=None, approval="待审批")]))
    assert cells(found) == [(ERROR, "contracts", 3, "approver_id")]


@pytest.mark.parametrize("amount,approval,approver,ok", [
    (9500, "待审批", None, True),       # exactly the signer's own 9.5 折
    (8500, "已批准", "M1", True),       # manager covers down to 8 折
    (8000, "已批准", "M1", True),       # exactly the manager's limit
    (7900, "已批准", "M1", False),      # below the manager's limit
    (8500, "待审批", "M1", False),      # not approved yet
    (8500, "已驳回", "M1", False),
    (8500, "已批准", "S2", False),      # another rep has no more authority than the signer
])
def test_discount_needs_enough_authority(amount, approval, approver, ok):
    found = run(with_(contracts=[con("C1"), con("C2", amount=amount, approval=approval, approver=approver)]))
    assert cells(found) == ([] if ok else [(ERROR, "contracts", 3, "amount")])


def test_discount_message_names_the_limits_and_who_may_approve():
    found = run(with_(contracts=[con("C1"), con("C2", amount=8500, approval="待审批")]))
    f = found[0]
    assert "8.5 折" in f.problem and "签约人 S1(销售代表)" in f.problem and "9.5 折" in f.problem
    assert "待审批" in f.problem
    assert "销售经理" in f.suggestion and "9,500.00 元" in f.suggestion


def test_role_missing_from_discount_authority_has_none():
    rows = with_(staff=[staff("M1", role="销售经理"), staff("S1", manager="M1"), staff("S2", manager="M1"),
                        staff("A1", role="销售助理", manager="M1")],
                 contracts=[con("C1"), con("C2", signer="A1", amount=9900, approval="待审批", approver=None),
                            con("C3", signer="A1", amount=10000, approval="待审批", approver=None)])
    found = run(rows)
    assert cells(found) == [(ERROR, "contracts", 3, "amount")]
    assert "没有设置" in found[0].problem and "没有折扣权" in found[0].problem


def test_approved_discount_without_approver_is_two_errors():
    found = run(with_(contracts=[con("C1"), con("C2", amount=8500, approver=None)]))
    assert cells(found) == [(ERROR, "contracts", 3, "amount"), (ERROR, "contracts", 3, "approver_id")]


def test_approver_role_without_authority():
    rows = with_(staff=[staff("M1", role="销售经理"), staff("S1", manager="M1"), staff("S2", manager="M1"),
                        staff("N1", role="销售内勤", manager="M1")],
                 contracts=[con("C1", approver="N1", amount=9000)])
    found = run(rows)
    assert cells(found) == [(ERROR, "contracts", 2, "amount")]
    assert "销售内勤" in found[0].problem


# --- payments -------------------------------------------------------------------------------

def test_overpayment_reported_on_the_row_that_crosses_in_date_order():
    found = run(with_(payments=[pay("P1", 5000, paid="2026-03-20"), pay("P2", 3000, paid="2026-03-10"),
                                pay("P3", 2000, paid="2026-03-25"), pay("P4", 100, paid="2026-03-26")]))
    assert cells(found) == [(ERROR, "payments", 4, "amount")]
    assert found[0].problem == "合同 C1 的回款累计 10,000.00 元, 超过合同金额 9,500.00 元(第 2、3、4 行, 按回款日期累计)"


def test_exactly_paid_and_refunds_are_fine():
    assert run(with_(payments=[pay("P1", 5000), pay("P2", 4500)])) == []
    assert run(with_(payments=[pay("P1", 5000, paid="2026-03-10"), pay("P2", -1000, paid="2026-03-11"),
                               pay("P3", 5500, paid="2026-03-12")])) == []


def test_same_day_payments_cross_in_row_order_and_each_crossing_counts():
    found = run(with_(payments=[pay("P1", 9000, paid="2026-03-10"), pay("P2", 1000, paid="2026-03-10"),
                                pay("P3", -2000, paid="2026-03-11"), pay("P4", 2000, paid="2026-03-12")]))
    assert cells(found) == [(ERROR, "payments", 3, "amount"), (ERROR, "payments", 5, "amount")]


def test_payment_not_remitted_is_a_warning():
    found = run(with_(payments=[pay("P1", remitted="否"), pay("P2", 100)]))
    assert cells(found) == [(WARNING, "payments", 2, "remitted")]
    assert "上交" in found[0].problem


@pytest.mark.parametrize("approval,status,warned", [
    ("已批准", "执行中", False), ("已批准", "已完成", False), ("待审批", "执行中", True),
    ("已驳回", "执行中", True), ("已批准", "已取消", True),
])
def test_payment_on_contract_not_approved_or_cancelled(approval, status, warned):
    found = run(with_(contracts=[con("C1", approval=approval, status=status)]))
    assert cells(found) == ([(WARNING, "payments", 2, "contract_id")] if warned else [])
    if warned:
        assert "「合同」表第 2 行" in found[0].problem


# --- visits, customers, people -----------------------------------------------------------------

def test_long_intent_visit():
    found = run(with_(visits=[vis(minutes=15), vis(minutes=16), vis(method="陌生拜访", minutes=60),
                              vis(minutes=None)]))
    assert cells(found) == [(WARNING, "visits", 3, "minutes")]
    assert "16 分钟" in found[0].problem


@pytest.mark.parametrize("limit,extra,warned", [
    (4500, [], False),                                          # owes exactly 9,500 − 5,000
    (4000, [], True),
    (4000, [con("C2", amount=10000, status="已取消")], True),
    (4500, [con("C2", amount=10000, status="已取消"), con("C3", amount=10000, approval="待审批")], False),
    (4500, [con("C2", amount=10000)], True),
])
def test_receivables_above_credit_limit(limit, extra, warned):
    found = run(with_(customers=[customer("K1", 信用额度=limit)], contracts=[con("C1")] + extra))
    assert cells(found) == ([(WARNING, "customers", 2, "credit_limit")] if warned else [])


def test_credit_message_shows_the_sums():
    found = run(with_(customers=[customer("K1", 信用额度=4000)]))
    assert "应收欠款 4,500.00 元(已批准合同 9,500.00 元 − 已回款 5,000.00 元)" in found[0].problem


def test_active_rep_without_target():
    found = run(with_(
        staff=[staff("M1", role="销售经理"), staff("S1", manager="M1"), staff("S2", manager="M1"),
               staff("S3", manager="M1", status="试用"), staff("S4", manager="M1", left="2026-02-01", status="离职"),
               staff("S5", manager="M1", hired="2026-04-01"), staff("A1", role="销售助理", manager="M1")],
        targets=[tgt("S1"), tgt("S2", "2026-02")]))
    assert cells(found) == [(WARNING, "staff", 4, "staff_id"), (WARNING, "staff", 5, "staff_id")]
    assert "2026-03" in found[0].problem


def test_targets_not_checked_without_a_month():
    assert run(with_(targets=[]), month=None) == []


# --- usable rows ---------------------------------------------------------------------------------

def test_usable_leaves_out_error_rows_and_their_dependants():
    rows = with_(customers=[customer("K1", by="S9"), customer("K2", referrer="K1"), customer("K3")],
                 visits=[vis(), vis(cid="K2"), vis(cid="K3")],
                 contracts=[con("C1"), con("C2", customer_id="K3", amount=10000)],
                 payments=[pay("P1"), pay("P2", cid="C2", amount=100)])
    t = tables(**rows)
    found = run(rows)
    assert cells(found) == [(ERROR, "customers", 2, "registered_by")]
    kept, notes = usable(t, found)
    assert cells(notes) == [
        (WARNING, "customers", 3, "referrer_id"),
        (WARNING, "visits", 2, "customer_id"), (WARNING, "visits", 3, "customer_id"),
        (WARNING, "contracts", 2, "customer_id"),
        (WARNING, "payments", 2, "contract_id"),
        (WARNING, "overrides", 2, "customer_id"),
    ]
    assert kept["customers"]["customer_id"].tolist() == ["K3"]
    assert kept["visits"]["customer_id"].tolist() == ["K3"]
    assert kept["contracts"]["contract_id"].tolist() == ["C2"]
    assert kept["payments"]["payment_id"].tolist() == ["P2"]
    assert kept["overrides"].empty
    by = {(f.sheet, f.row): f for f in notes}
    assert by["contracts", 2].problem == "因「客户」第 2 行(K1)有错误, 本合同未计入任何计算"
    assert by["payments", 2].problem.startswith("因「合同」第 2 行(C1)未计入")
    assert by["customers", 3].problem.startswith("因「客户」第 2 行(K1)有错误")


def test_usable_leaves_out_rows_of_an_excluded_person_but_not_their_team():
    rows = with_(staff=[staff("M1", role="销售经理"), staff("S1", manager="M1", 姓名=None),
                        staff("S2", manager="S1")])
    t = tables(**rows)
    found = run(rows)
    assert cells(found) == [(ERROR, "staff", 3, "name")]
    kept, notes = usable(t, found)
    assert kept["staff"]["staff_id"].tolist() == ["M1", "S2"]  # S2's manager is S1: S2 still counts
    assert cells(notes) == [
        (WARNING, "targets", 2, "staff_id"), (WARNING, "attendance", 2, "staff_id"),
        (WARNING, "roster", 2, "staff_id"), (WARNING, "customers", 2, "registered_by"),
        (WARNING, "visits", 2, "staff_id"), (WARNING, "contracts", 2, "signer_id"),
        (WARNING, "payments", 2, "collector_id"), (WARNING, "overrides", 2, "customer_id"),
    ]
    assert "因「人员」第 3 行(S1)有错误, 本目标未计入任何计算" == notes[0].problem


def test_usable_keeps_rows_whose_key_survives_in_another_row():
    rows = with_(contracts=[con("C1"), con("C1", amount=10000)])
    t = tables(**rows)
    found = run(rows)
    assert cells(found) == [(ERROR, "contracts", 3, "contract_id")]
    kept, notes = usable(t, found)
    assert notes == [] and len(kept["contracts"]) == 1 and len(kept["payments"]) == 1


def test_usable_ignores_warnings_and_sheet_wide_findings():
    t = tables(**clean())
    kept, notes = usable(t, [warning("visits", 2, "minutes", 30, "长", "短"),
                             error("staff", None, None, "", "整表", "改")])
    assert notes == [] and all(len(kept[k]) == len(t[k]) for k in t)


# --- order ---------------------------------------------------------------------------------------

def test_sort_findings_sheet_order_then_level_row_column():
    fs = [warning("payments", 2, "amount", 1, "p", "s"), error("visits", 3, "staff_id", 1, "p", "s"),
          warning("staff", 2, "staff_id", 1, "p", "s"), error("payments", 9, "amount", 1, "p", "s"),
          error("visits", 3, "date", 1, "p", "s"), error("settings", 2, "value", 1, "p", "s"),
          error("visits", None, None, "", "p", "s")]
    assert cells(sort_findings(fs)) == [
        (ERROR, "settings", 2, "value"), (WARNING, "staff", 2, "staff_id"),
        (ERROR, "visits", None, None), (ERROR, "visits", 3, "date"), (ERROR, "visits", 3, "staff_id"),
        (ERROR, "payments", 9, "amount"), (WARNING, "payments", 2, "amount"),
    ]


# --- through a real file ---------------------------------------------------------------------------

def test_check_after_reading_a_real_workbook(tmp_path):
    from builders import write_book
    from salesbook.reader import load

    rows = with_(visits=[vis(), vis(minutes=20)])
    rows["visits"][0]["日期"] = "上周三"  # does not parse: the reader reports it, not the required rule
    b = load(write_book(tmp_path / "b.xlsx", **rows))
    found = check(b.tables, defaults(), today=TODAY, month=MONTH, already=b.findings)
    assert cells(b.findings) == [(ERROR, "visits", 2, "date")]
    assert cells(found) == [(WARNING, "visits", 3, "minutes")]


# --- property: junk never crashes, findings always point at real cells ------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

from salesbook.reader import parse_table  # noqa: E402

IDS = ["S1", "S2", "M1", "K1", "K2", "C1", "C2", "P1", "", " ", "s1"]
JUNK = st.one_of(
    st.none(), st.sampled_from(IDS),
    st.sampled_from([c for s in K.INPUT_SHEETS for c in s.columns for c in c.choices]),
    st.integers(-100000, 100000).map(str), st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.isoformat()),
    st.sampled_from(["2026-03", "2026-13", "70%", "1e9", "-0", "NaN", "=1+1", "２０２６-０３-０１"]),
    st.text(max_size=6),
)


def _sheet_rows(sheet):
    return st.lists(st.lists(JUNK, min_size=len(sheet.columns), max_size=len(sheet.columns)), max_size=6)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({s.key: _sheet_rows(s) for s in K.INPUT_SHEETS}),
       st.sampled_from([None, "2026-03", "2026-3x"]))
def test_junk_never_crashes_and_findings_point_at_real_cells(raw, month):
    t, parsed = {}, []
    for s in K.INPUT_SHEETS:
        frame = pd.DataFrame(raw[s.key], columns=[c.key for c in s.columns], dtype="object")
        t[s.key], problems = parse_table(s, frame)
        parsed += problems
    found = check(t, defaults(), today=TODAY, month=month, already=parsed)
    kept, notes = usable(t, parsed + found)
    for f in found + notes:
        sheet = K.SHEETS[f.sheet]
        assert sheet in K.INPUT_SHEETS
        assert f.row in set(t[f.sheet]["_row"])
        assert f.column in sheet.by_key
        assert f.level in (ERROR, WARNING)
        for text in (f.problem, f.suggestion):
            assert re.search(r"[\u4e00-\u9fff]", text)
        assert f.problem_en and f.suggestion_en
    error_rows = {(f.sheet, f.row) for f in parsed + found if f.level == ERROR}
    for key, frame in kept.items():
        assert not any((key, int(r)) in error_rows for r in frame["_row"])
        assert list(frame.columns) == list(t[key].columns)
