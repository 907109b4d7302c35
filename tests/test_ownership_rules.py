"""One hand-built timeline per rule of domain.md §5: owner, basis, since, protected_until,
the 归属记录 events and the findings' sheet/row. Defaults: 保护期 30, 成交保护期 365, as_of 2026-01-31.

Excel rows: the first data row of every sheet is row 2.
"""
import datetime as dt

import pandas as pd
import pytest

from builders import contract, customer, duty, override, settings_rows, staff, tables, visit
from salesbook import contract as K
from salesbook.credit import signer_findings
from salesbook.ownership import compute
from salesbook.settings import read_settings

D = dt.date.fromisoformat
PEOPLE = [staff("S1"), staff("S2"), staff("S3"), staff("M1", role="销售经理")]


def run(as_of="2026-01-31", settings=None, **sheets):
    sheets.setdefault("staff", PEOPLE)
    sheets["settings"] = settings_rows(**(settings or {}))
    t = tables(**sheets)
    s, problems = read_settings(t["settings"])
    assert not problems
    return compute(t, s, D(as_of))


def _v(x):
    """A cell as a test compares it: blank → None, dates → ISO text."""
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return None
    return x.date().isoformat() if isinstance(x, pd.Timestamp) else x


def st(own, cid):
    """(owner, basis, since, protected_until, state, duplicate_of) of one 客户归属 row."""
    r = own.state.set_index("customer_id").loc[cid]
    return tuple(_v(r[k]) for k in ("owner_id", "basis", "since", "protected_until", "state", "duplicate_of"))


def events(own, cid):
    h = own.history(cid)
    return [tuple(_v(x) for x in row) for row in
            zip(h["date"], h["event"], h["old_owner_id"], h["new_owner_id"], h["basis"])]


def where(own):
    """(sheet, row, column) of every finding."""
    return sorted((f.sheet, f.row, f.column) for f in own.findings)


# --- 5.1 registration -------------------------------------------------------------

def test_designated_consultant_owns_from_registration():
    own = run(customers=[customer("K1", registered="2026-01-05", by="S1", source="试用券", designated="S2")])
    assert st(own, "K1") == ("S2", "指定", "2026-01-05", "2026-02-04", "归属中", None)
    assert events(own, "K1") == [("2026-01-05", "登记", None, "S2", "指定")]
    assert own.findings == []


def test_designated_consultant_not_employed_falls_through_with_a_warning():
    people = PEOPLE + [staff("S9", hired="2024-01-01", left="2025-12-31", status="离职")]
    own = run(staff=people, customers=[customer("K1", by="S1", designated="S9")])
    assert st(own, "K1")[:2] == ("S1", "登记")
    assert where(own) == [("customers", 2, "designated_id")]


def test_referral_goes_to_the_referrers_owner_on_that_date():
    own = run(customers=[customer("K1", registered="2026-01-05", by="S1"),
                         customer("K2", registered="2026-01-10", by="S2", source="转介绍", referrer="K1")])
    assert st(own, "K2") == ("S1", "转介绍", "2026-01-10", "2026-02-09", "归属中", None)
    assert events(own, "K2") == [("2026-01-10", "登记", None, "S1", "转介绍")]
    assert "K1" in own.history("K2")["detail"][0]


def test_referral_whose_referrer_is_in_the_pool_uses_the_next_rule():
    own = run(customers=[customer("K1", registered="2026-01-05", by="S1"),
                         customer("K2", registered="2026-03-01", by="S2", referrer="K1")], as_of="2026-03-31")
    # K1 fell to the pool on 2026-02-05, so K2 is simply registered by S2
    assert st(own, "K2")[:3] == ("S2", "登记", "2026-03-01")


def test_registrant_owns_an_ordinary_registration():
    own = run(customers=[customer("K1", registered="2026-01-05 14:30", by="S3", source="电话开发")],
              as_of="2026-01-31")
    assert st(own, "K1") == ("S3", "登记", "2026-01-05", "2026-02-04", "归属中", None)
    assert events(own, "K1") == [("2026-01-05", "登记", None, "S3", "登记")]


# --- 5.2 rotation ---------------------------------------------------------------------

def walk_in(cid, when, by="S1"):
    return customer(cid, registered=when, by=by, source="上门散客")


def owners_of(own, *cids):
    return [own.owner_on(c, own.as_of).owner_id for c in cids]


def test_rotation_follows_the_duty_order_cyclically_by_registration_time():
    roster = [duty("2026-01-05", "S1", 1), duty("2026-01-05", "S2", 2), duty("2026-01-05", "S3", 3)]
    # rows deliberately out of time order: time decides, not the row
    cust = [walk_in("K4", "2026-01-05 12:00"), walk_in("K3", "2026-01-05 11:00"),
            walk_in("K2", "2026-01-05 10:00"), walk_in("K1", "2026-01-05 09:00")]
    own = run(roster=roster, customers=cust, as_of="2026-01-31")
    assert owners_of(own, "K1", "K2", "K3", "K4") == ["S1", "S2", "S3", "S1"]
    assert st(own, "K2") == ("S2", "轮客", "2026-01-05", "2026-02-04", "归属中", None)
    assert events(own, "K2") == [("2026-01-05", "轮客", None, "S2", "轮客")]


def test_rotation_pointer_carries_across_days():
    roster = [duty("2026-01-05", "S1", 1), duty("2026-01-05", "S2", 2), duty("2026-01-05", "S3", 3),
              # day 2: S2, S1, S3 — the pointer S1 is second, so S3 is next
              duty("2026-01-06", "S2", 1), duty("2026-01-06", "S1", 2), duty("2026-01-06", "S3", 3),
              # day 3: the pointer S3 is not on duty → the first candidate
              duty("2026-01-07", "S2", 1), duty("2026-01-07", "S1", 2),
              # day 4: after S2 comes S1 ... and after S1 (last) wraps to S2
              duty("2026-01-08", "S2", 1), duty("2026-01-08", "S1", 2)]
    cust = [walk_in("K1", "2026-01-05 09:00"), walk_in("K2", "2026-01-06 09:00"),
            walk_in("K3", "2026-01-07 09:00"), walk_in("K4", "2026-01-08 09:00"),
            walk_in("K5", "2026-01-08 10:00")]
    own = run(roster=roster, customers=cust, as_of="2026-01-31")
    assert owners_of(own, "K1", "K2", "K3", "K4", "K5") == ["S1", "S3", "S2", "S1", "S2"]


def test_rotation_orders_by_order_then_row_blank_order_last():
    roster = [duty("2026-01-05", "S3"), duty("2026-01-05", "S2", 2), duty("2026-01-05", "S1", 1)]
    cust = [walk_in(f"K{i}", f"2026-01-05 0{i}:00") for i in range(1, 5)]
    own = run(roster=roster, customers=cust, as_of="2026-01-31")
    assert owners_of(own, "K1", "K2", "K3", "K4") == ["S1", "S2", "S3", "S1"]


def test_designated_referral_and_registered_customers_do_not_move_the_pointer():
    roster = [duty("2026-01-05", "S1", 1), duty("2026-01-05", "S2", 2)]
    cust = [walk_in("K1", "2026-01-05 09:00"),
            customer("K2", registered="2026-01-05 09:30", by="S3", source="上门散客", designated="S1"),
            customer("K3", registered="2026-01-05 09:40", by="S3", source="上门散客", referrer="K1"),
            customer("K4", registered="2026-01-05 09:50", by="S3"),
            walk_in("K5", "2026-01-05 10:00")]
    own = run(roster=roster, customers=cust, as_of="2026-01-31")
    assert [st(own, c)[:2] for c in ("K2", "K3", "K4")] == [("S1", "指定"), ("S1", "转介绍"), ("S3", "登记")]
    assert owners_of(own, "K1", "K5") == ["S1", "S2"]


def test_rotation_skips_people_not_employed_that_day():
    people = PEOPLE + [staff("S8", left="2026-01-04", status="离职"), staff("S9", hired="2026-02-01", status="试用"),
                       staff("S7", status="离职")]  # 离职 without a date: gone
    roster = [duty("2026-01-05", "S8", 1), duty("2026-01-05", "S9", 2), duty("2026-01-05", "S7", 3),
              duty("2026-01-05", "S2", 4)]
    own = run(staff=people, roster=roster, customers=[walk_in("K1", "2026-01-05 09:00")], as_of="2026-01-31")
    assert owners_of(own, "K1") == ["S2"]


def test_walk_in_with_nobody_on_duty_goes_to_the_pool_with_a_warning():
    roster = [duty("2026-01-06", "S1", 1), duty("2026-01-06", "S2", 2)]
    cust = [walk_in("K1", "2026-01-05 09:00"), walk_in("K2", "2026-01-06 09:00")]
    own = run(roster=roster, customers=cust, as_of="2026-01-31")
    assert st(own, "K1") == (None, "无人值班", "2026-01-05", None, "公海", None)
    assert events(own, "K1") == [("2026-01-05", "轮客", None, None, "无人值班")]
    assert where(own) == [("customers", 2, "registered_at")]
    assert owners_of(own, "K2") == ["S1"]   # the failed rotation did not move the pointer


# --- 5.3 protection, pool, claims, cap ------------------------------------------

def test_protection_ends_after_the_days_and_the_customer_falls_the_day_after():
    cust = [customer("K1", registered="2026-01-05", by="S1")]
    assert st(run(customers=cust, as_of="2026-02-04"), "K1") == ("S1", "登记", "2026-01-05", "2026-02-04", "归属中", None)
    own = run(customers=cust, as_of="2026-02-05")
    assert st(own, "K1") == (None, "保护期到期", "2026-02-05", None, "公海", None)
    assert events(own, "K1") == [("2026-01-05", "登记", None, "S1", "登记"),
                                 ("2026-02-05", "掉入公海", "S1", None, "保护期到期")]


def test_owner_visits_extend_protection_other_visits_do_not():
    own = run(customers=[customer("K1", registered="2026-01-05", by="S1")],
              visits=[visit("2026-01-20", "S1", "K1"), visit("2026-02-01", "S2", "K1")], as_of="2026-02-18")
    assert st(own, "K1") == ("S1", "登记", "2026-01-05", "2026-02-19", "归属中", None)


def test_approved_contract_protects_for_the_deal_days_cancelled_or_rejected_do_not():
    cust = [customer("K1", registered="2026-01-05", by="S1"), customer("K2", registered="2026-01-05", by="S1"),
            customer("K3", registered="2026-01-05", by="S1")]
    deals = [contract("C1", "S1", 1000, signed="2026-01-10", customer="K1"),
             contract("C2", "S1", 1000, signed="2026-01-10", customer="K2", status="已取消"),
             contract("C3", "S1", 1000, signed="2026-01-10", customer="K3", approval="已驳回", approver=None)]
    own = run(customers=cust, contracts=deals, as_of="2026-03-31")
    assert st(own, "K1") == ("S1", "登记", "2026-01-05", "2027-01-10", "归属中", None)
    assert st(own, "K2")[4] == st(own, "K3")[4] == "公海"


def test_visit_to_a_pool_customer_claims_it():
    own = run(customers=[customer("K1", registered="2026-01-05", by="S1")],
              visits=[visit("2026-02-10", "S2", "K1")], as_of="2026-02-28")
    assert st(own, "K1") == ("S2", "公海领取", "2026-02-10", "2026-03-12", "归属中", None)
    assert events(own, "K1")[-2:] == [("2026-02-05", "掉入公海", "S1", None, "保护期到期"),
                                      ("2026-02-10", "公海领取", None, "S2", "公海领取")]


def test_previous_owner_may_claim_back_on_the_day_of_the_fall_without_cooldown():
    own = run(customers=[customer("K1", registered="2026-01-05", by="S1")],
              visits=[visit("2026-02-05", "S1", "K1")], as_of="2026-02-28")
    assert st(own, "K1") == ("S1", "公海领取", "2026-02-05", "2026-03-07", "归属中", None)


def test_cap_refuses_a_registration_and_a_claim_but_not_designated():
    cust = [customer("K1", registered="2026-01-05 09:00", by="S1"),
            customer("K2", registered="2026-01-05 10:00", by="S1"),               # capped → pool
            customer("K3", registered="2026-01-05 11:00", by="S2", designated="S1"),  # 指定: not capped
            customer("K4", registered="2026-01-01", by="S2", source="上门散客")]      # nobody on duty → pool
    own = run(customers=cust, visits=[visit("2026-01-06", "S1", "K4"), visit("2026-01-07", "S1", "K4")],
              settings={"每人私有客户上限": 1}, as_of="2026-01-31")
    assert st(own, "K1")[:2] == ("S1", "登记")
    assert st(own, "K2") == (None, "超出上限", "2026-01-05", None, "公海", None)
    assert events(own, "K2") == [("2026-01-05", "登记", None, None, "超出上限")]
    assert st(own, "K3")[:2] == ("S1", "指定")
    assert st(own, "K4")[4] == "公海"
    assert events(own, "K4")[1:] == [("2026-01-06", "领取被拒", None, None, "超出上限"),
                                     ("2026-01-07", "领取被拒", None, None, "超出上限")]
    # one warning per refused registration; refused claims aggregated per customer and person,
    # pointing at the first refused visit (拜访 row 2)
    assert where(own) == [("customers", 3, "registered_by"), ("customers", 5, "registered_at"),
                          ("visits", 2, "staff_id")]
    claim = [f for f in own.findings if f.sheet == "visits"][0]
    assert "共 2 次" in claim.problem and "上限 1" in claim.problem


def test_a_fall_frees_a_place_under_the_cap():
    cust = [customer("K1", registered="2026-01-05", by="S1"), customer("K2", registered="2026-01-06", by="S2")]
    visits = [visit("2026-01-10", "S1", "K2")]   # K2 is S2's: a non-owner visit, nothing moves
    own = run(customers=cust, visits=visits + [visit("2026-02-06", "S1", "K2"), visit("2026-02-05", "S1", "K2")],
              settings={"每人私有客户上限": 1}, as_of="2026-02-28")
    # 2026-02-05: K1 falls (S1 back to 0), S1 claims K1? No — S1 visits K2 on 02-05: K2 still S2's
    # (protected to 02-05); 02-06 K2 has fallen and S1 (now at 0) claims it.
    assert st(own, "K1")[4] == "公海"
    assert st(own, "K2") == ("S1", "公海领取", "2026-02-06", "2026-03-08", "归属中", None)


def test_cooldown_refuses_the_previous_owner_then_lets_go():
    cust = [customer("K1", registered="2026-01-05", by="S1"), customer("K2", registered="2026-01-05", by="S1")]
    visits = [visit("2026-02-14", "S1", "K1"),   # fell 02-05; cooldown 10 days → last refused day 02-14
              visit("2026-02-15", "S1", "K1"),   # allowed
              visit("2026-02-10", "S2", "K2")]   # someone else: no cooldown
    own = run(customers=cust, visits=visits, settings={"前归属人冷却天数": 10}, as_of="2026-02-28")
    assert events(own, "K1")[1:] == [("2026-02-05", "掉入公海", "S1", None, "保护期到期"),
                                     ("2026-02-14", "领取被拒", None, None, "冷却期"),
                                     ("2026-02-15", "公海领取", None, "S1", "公海领取")]
    assert st(own, "K1") == ("S1", "公海领取", "2026-02-15", "2026-03-17", "归属中", None)
    assert st(own, "K2")[:3] == ("S2", "公海领取", "2026-02-10")
    assert where(own) == [("visits", 2, "staff_id")]
    assert "冷却期" in own.findings[0].problem


def test_non_owner_visits_do_not_move_a_private_customer_and_repeated_ones_are_flagged():
    visits = [visit(f"2026-01-{d:02d}", "S2", "K1") for d in (6, 7, 8)] + [visit("2026-01-09", "S3", "K1")]
    own = run(customers=[customer("K1", registered="2026-01-05", by="S1")], visits=visits, as_of="2026-01-31")
    assert st(own, "K1")[:2] == ("S1", "登记")
    assert where(own) == [("visits", 4, "staff_id")]   # S2's third (latest) visit; S3's single visit is fine
    assert "3 次" in own.findings[0].problem


def test_visits_before_registration_are_ignored_and_flagged_once():
    visits = [visit("2026-01-02", "S2", "K1"), visit("2026-01-03", "S2", "K1")]
    own = run(customers=[customer("K1", registered="2026-01-05", by="S1")], visits=visits, as_of="2026-01-31")
    assert st(own, "K1")[:2] == ("S1", "登记")
    assert where(own) == [("visits", 2, "date")]


def test_visit_on_the_registration_day_counts_after_the_registration():
    cust = [customer("K1", registered="2026-01-05 18:00", by="S1", source="上门散客")]
    own = run(customers=cust, visits=[visit("2026-01-05", "S2", "K1")], as_of="2026-01-31")
    # nobody on duty → pool at registration; the same-day visit by S2 then claims it
    assert st(own, "K1") == ("S2", "公海领取", "2026-01-05", "2026-02-04", "归属中", None)


def test_leavers_customers_fall_to_the_pool_the_day_after_leaving():
    people = PEOPLE + [staff("S5", left="2026-02-10", status="离职")]
    own = run(staff=people, customers=[customer("K1", registered="2026-01-05", by="S5")],
              visits=[visit("2026-02-01", "S5", "K1")], as_of="2026-03-31")
    assert st(own, "K1") == (None, "离职", "2026-02-11", None, "公海", None)
    assert events(own, "K1")[-1] == ("2026-02-11", "掉入公海", "S5", None, "离职")
    at = own.owner_on("K1", D("2026-02-05"))
    assert (at.owner_id, at.protected_until) == ("S5", D("2026-02-10"))


def test_leaver_without_leave_date_loses_customers_on_as_of_with_a_warning():
    people = PEOPLE + [staff("S5", status="离职")]
    own = run(staff=people, customers=[customer("K1", registered="2026-01-05", by="S5")],
              visits=[visit("2026-01-25", "S5", "K1")], as_of="2026-02-10")
    assert st(own, "K1") == (None, "离职", "2026-02-10", None, "公海", None)
    assert where(own) == [("staff", 6, "leave_date")]


# --- 5.4 duplicates --------------------------------------------------------------------

def test_duplicate_by_phone_goes_to_the_originals_owner():
    cust = [customer("K1", registered="2026-01-05", by="S1", phone="138 0013 8000"),
            customer("K2", registered="2026-01-08", by="S2", phone="+86 13800138000", designated="S3")]
    own = run(customers=cust, as_of="2026-01-31")
    assert st(own, "K2") == ("S1", "撞单", "2026-01-08", "2026-02-07", "归属中", "K1")
    assert st(own, "K1")[5] is None
    assert events(own, "K2") == [("2026-01-08", "撞单", None, "S1", "撞单")]
    assert where(own) == [("customers", 3, "phone")]
    assert "K1" in own.findings[0].problem


def test_duplicate_by_normalised_name_and_chains_name_the_first_original():
    cust = [customer("K1", registered="2026-01-05", by="S1", name="ＡＢＣ 科技", phone="021-5555 0001"),
            customer("K2", registered="2026-01-06", by="S2", name="abc科技", phone="0086 13900000000"),
            customer("K3", registered="2026-01-07", by="S3", name="另一家", phone="13900000000")]
    own = run(customers=cust, as_of="2026-01-31")
    assert st(own, "K2")[5] == "K1" and st(own, "K3")[5] == "K1"
    assert st(own, "K3")[:2] == ("S1", "撞单")
    assert where(own) == [("customers", 3, "customer_name"), ("customers", 4, "phone")]


def test_earliest_registration_is_the_original_whatever_the_row_order():
    cust = [customer("K9", registered="2026-01-08", by="S2", phone="13800138000"),
            customer("K1", registered="2026-01-05", by="S1", phone="13800138000")]
    own = run(customers=cust, as_of="2026-01-31")
    assert st(own, "K9")[5] == "K1" and st(own, "K1")[5] is None


def test_duplicate_of_a_pool_customer_goes_to_the_pool():
    cust = [customer("K1", registered="2026-01-05", by="S1", phone="13800138000"),
            customer("K2", registered="2026-03-01", by="S2", phone="13800138000")]
    own = run(customers=cust, as_of="2026-03-31")
    assert st(own, "K2") == (None, "撞单", "2026-03-01", None, "公海", "K1")


# --- 5.5 overrides -----------------------------------------------------------------------

def test_override_wins_from_its_date_and_restarts_the_clock():
    cust = [customer("K1", registered="2026-01-05", by="S1")]
    deals = [contract("C1", "S1", 1000, signed="2026-01-10", customer="K1")]
    own = run(customers=cust, contracts=deals, overrides=[override("K1", "2026-02-01", "S2", reason="客户要求换人")],
              as_of="2026-03-31")
    # the contract protected S1's ownership; S2's starts afresh: 02-01 + 30 → fell 03-04
    assert events(own, "K1") == [("2026-01-05", "登记", None, "S1", "登记"),
                                 ("2026-02-01", "调整", "S1", "S2", "调整"),
                                 ("2026-03-04", "掉入公海", "S2", None, "保护期到期")]
    at = own.owner_on("K1", D("2026-02-15"))
    assert (at.owner_id, at.basis, at.since, at.protected_until) == ("S2", "调整", D("2026-02-01"), D("2026-03-03"))
    assert "客户要求换人" in own.history("K1")["detail"][1]


def test_override_beats_a_same_day_claim_and_assigns_a_pool_customer():
    cust = [customer("K1", registered="2026-01-01", by="S1", source="上门散客")]   # nobody on duty → pool
    own = run(customers=cust, visits=[visit("2026-01-10", "S3", "K1")],
              overrides=[override("K1", "2026-01-10", "S2")], as_of="2026-01-31")
    assert st(own, "K1") == ("S2", "调整", "2026-01-10", "2026-02-09", "归属中", None)


def test_override_before_registration_or_to_a_leaver_is_ignored_with_a_warning():
    people = PEOPLE + [staff("S5", left="2026-01-31", status="离职")]
    own = run(staff=people, customers=[customer("K1", registered="2026-01-05", by="S1")],
              overrides=[override("K1", "2026-01-02", "S2"), override("K1", "2026-02-01", "S5")],
              as_of="2026-02-02")
    assert st(own, "K1")[:2] == ("S1", "登记")
    assert where(own) == [("overrides", 2, "effective"), ("overrides", 3, "new_owner_id")]


# --- history, expiry warnings, summary, signer check ------------------------------

def test_owner_on_answers_for_any_past_day_with_protection_as_known_then():
    cust = [customer("K1", registered="2026-01-05", by="S1")]
    visits = [visit("2026-01-20", "S1", "K1"), visit("2026-03-01", "S2", "K1")]
    own = run(customers=cust, visits=visits, as_of="2026-03-31")
    assert own.owner_on("K1", D("2026-01-04")) is None                      # not registered yet
    a = own.owner_on("K1", D("2026-01-10"))
    assert (a.owner_id, a.basis, a.since, a.protected_until) == ("S1", "登记", D("2026-01-05"), D("2026-02-04"))
    assert own.owner_on("K1", D("2026-01-20")).protected_until == D("2026-02-19")
    assert own.owner_on("K1", D("2026-02-19")).owner_id == "S1"
    assert own.owner_on("K1", D("2026-02-20")) is None                      # in the pool
    b = own.owner_on("K1", D("2026-03-01"))
    assert (b.owner_id, b.basis, b.since) == ("S2", "公海领取", D("2026-03-01"))
    assert own.owner_on("NOPE", D("2026-03-01")) is None
    with pytest.raises(ValueError):
        own.owner_on("K1", D("2026-04-01"))
    assert "S2" in own.explain("K1", D("2026-03-05"))


def test_expiring_lists_customers_ending_within_the_warning_days_and_the_summary_matches():
    cust = [customer("K1", registered="2026-01-05", by="S1"), customer("K2", registered="2026-01-10", by="S1"),
            customer("K3", registered="2026-01-20", by="S2"), customer("K4", registered="2026-01-02", by="S2")]
    own = run(customers=cust, as_of="2026-02-01")
    exp = own.expiring()        # 到期预警天数 = 7: up to 2026-02-08
    assert list(zip(exp["owner_id"], exp["customer_id"], exp["days_left"])) == [("S1", "K1", 3), ("S2", "K4", 0)]
    assert list(own.expiring(20)["customer_id"]) == ["K1", "K2", "K4", "K3"]   # by owner, then date
    lines = own.summary_lines()
    assert "客户 4 个, 归属中 4 个, 公海 0 个, 撞单 0 个" in lines[0]
    assert lines[2].endswith("2 个客户")
    assert [x.strip() for x in lines[3:]] == ["S1(S1): 1 个, 最早 2026-02-04 到期", "S2(S2): 1 个, 最早 2026-02-01 到期"]
    assert own.summary_lines("en")[0].startswith("Ownership on 2026-02-01")


def test_state_is_sorted_by_customer_id_in_natural_order_with_contract_columns():
    cust = [customer(c, by="S1") for c in ("K10", "K2", "K1")]
    own = run(customers=cust, as_of="2026-01-31")
    assert list(own.state["customer_id"]) == ["K1", "K2", "K10"]
    assert list(own.state.columns) == [c.key for c in K.OWNERSHIP.columns]
    assert list(own.log.columns) == [c.key for c in K.OWNERSHIP_LOG.columns]


def test_signer_not_the_owner_of_a_private_customer_is_flagged_on_the_contract_row():
    people = [staff("S1", channel="外销"), staff("S2", channel="内销"), staff("S3", channel="内销"),
              staff("M1", role="销售经理")]
    cust = [customer("K1", registered="2026-01-05", by="S1"), customer("K2", registered="2026-01-05", by="S3"),
            customer("K3", registered="2026-01-05", by="S3")]
    contracts = [contract("C1", "S2", 1000, signed="2026-01-20", customer="K1"),    # 70/30: S1 visited → fine
                 contract("C2", "S2", 1000, signed="2026-01-20", customer="K2"),    # flagged
                 contract("C3", "S2", 1000, signed="2026-01-20", customer="K3", collaborator="S3"),  # fine
                 contract("C4", "S3", 1000, signed="2026-01-21", customer="K3")]    # owner signs: fine
    own = run(staff=people, customers=cust, contracts=contracts, visits=[visit("2026-01-15", "S1", "K1")],
              as_of="2026-01-31")
    t = tables(staff=people, customers=cust, contracts=contracts, visits=[visit("2026-01-15", "S1", "K1")])
    found = signer_findings(t["contracts"], t["staff"], t["visits"], 30, dt.date(2026, 1, 31), own.owners_on,
                            label=own.person_label)
    assert [(f.sheet, f.row, f.column, f.value) for f in found] == [("contracts", 3, "signer_id", "S2")]
    assert "S3" in found[0].problem


def test_rotation_keeps_a_later_leaver_on_the_days_they_were_employed():
    # decision: "在职/试用 only" means on that day, so history does not change when 状态 turns 离职
    people = PEOPLE + [staff("S6", left="2026-03-01", status="离职")]
    roster = [duty("2026-01-05", "S6", 1), duty("2026-01-05", "S2", 2)]
    own = run(staff=people, roster=roster, customers=[walk_in("K1", "2026-01-05 09:00")], as_of="2026-01-31")
    assert owners_of(own, "K1") == ["S6"]
