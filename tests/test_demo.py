import datetime as dt
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from salesbook import reader as book, contract as K, demo, settings
from salesbook.domain import org
from salesbook.findings import ERROR, WARNING

TODAY = dt.date(2026, 3, 15)


@pytest.fixture(scope="module")
def small():
    return demo.generate("small", seed=7, today=TODAY)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return demo.write_demo(tmp_path_factory.mktemp("demo"), "small", seed=7, today=TODAY)


def col(frames, sheet, key):
    return frames[sheet][K.SHEETS[sheet].col(key).zh]


def dates(frames, sheet, key):
    return pd.to_datetime(col(frames, sheet, key))


def test_every_input_sheet_in_contract_order(small):
    assert list(small) == [s.key for s in K.INPUT_SHEETS]
    for s in K.INPUT_SHEETS:
        assert list(small[s.key].columns) == s.headers(), s.key


def test_same_seed_and_day_give_identical_frames(small):
    again = demo.generate("small", seed=7, today=TODAY)
    for key in small:
        pd.testing.assert_frame_equal(small[key], again[key])
    other = demo.generate("small", seed=8, today=TODAY)
    assert not small["visits"].equals(other["visits"])


def test_written_demo_is_byte_identical(written, tmp_path):
    again = demo.write_demo(tmp_path, "small", seed=7, today=TODAY)
    assert again.name == written.name == "销售台账-演示.xlsx"
    assert again.read_bytes() == written.read_bytes()


def test_scale_counts_are_exact():
    small = demo.generate("small", today=TODAY)
    assert {k: len(small[k]) for k in ("staff", "customers", "visits", "contracts", "payments")} == \
        demo.SCALES["small"]
    large = demo.generate("large", today=TODAY)
    assert {k: len(large[k]) for k in ("staff", "customers", "visits", "contracts", "payments")} == \
        dict(staff=200, customers=20_000, visits=200_000, contracts=30_000, payments=40_000)
    odd = demo.generate(counts={"staff": 45, "customers": 300, "visits": 1234, "contracts": 150, "payments": 90},
                        today=TODAY)
    assert [len(odd[k]) for k in ("staff", "customers", "visits", "contracts", "payments")] == \
        [45, 300, 1234, 150, 90]
    with pytest.raises(ValueError):
        demo.generate(counts={"vists": 5}, today=TODAY)
    with pytest.raises(ValueError):
        demo.generate("huge", today=TODAY)


def test_each_planted_mistake_is_there_once(small):
    rows = demo.planted_rows(small, TODAY)
    assert set(rows) == {p.key for p in demo.PLANTED_MISTAKES}
    assert all(len(r) == 1 for r in rows.values()), rows


@pytest.fixture(scope="module", params=["small", "mid"])
def frames(request, small):
    if request.param == "small":
        return small
    return demo.generate(counts={"staff": 120, "customers": 3000, "visits": 30_000, "contracts": 4000,
                                 "payments": 6000}, seed=3, today=dt.date(2025, 12, 31))


def today_of(frames):
    return TODAY if len(frames["staff"]) == 30 else dt.date(2025, 12, 31)


def planted(frames):
    return {k: r[0] for k, r in demo.planted_rows(frames, today_of(frames)).items()}


def mask_out(frame, row):
    keep = np.ones(len(frame), dtype=bool)
    keep[row - 2] = False
    return keep


def test_every_reference_resolves_except_the_planted_one(frames):
    p = planted(frames)
    staff = set(col(frames, "staff", "staff_id"))
    customers = set(col(frames, "customers", "customer_id"))
    contracts = set(col(frames, "contracts", "contract_id"))
    for s in K.INPUT_SHEETS:
        for c in s.columns:
            if not c.ref:
                continue
            target = {"staff": staff, "customers": customers, "contracts": contracts}[c.ref]
            v = col(frames, s.key, c.key)
            bad = v.notna() & ~v.isin(target)
            if (s.key, c.key) == ("visits", "staff_id"):
                assert list(np.flatnonzero(bad) + 2) == [p["unknown_staff"]]
                assert re.fullmatch(r"S[0-9O]+", v.iloc[p["unknown_staff"] - 2])
            else:
                assert not bad.any(), (s.key, c.key, v[bad].head().tolist())
    ids = col(frames, "customers", "customer_id")
    assert list(np.flatnonzero(ids.duplicated()) + 2) == [p["duplicate_customer_id"]]
    for key in ("staff_id",):
        assert col(frames, "staff", key).is_unique
    assert col(frames, "contracts", "contract_id").is_unique
    assert col(frames, "payments", "payment_id").is_unique


def test_people_act_only_while_employed_and_nothing_happens_after_today(frames):
    p, today = planted(frames), pd.Timestamp(today_of(frames))
    st = frames["staff"].set_index(K.STAFF.col("staff_id").zh)
    hire = pd.to_datetime(st[K.STAFF.col("hire_date").zh])
    leave = pd.to_datetime(st[K.STAFF.col("leave_date").zh]).fillna(pd.Timestamp("2200-12-31"))
    acts = [("visits", "staff_id", "date"), ("contracts", "signer_id", "signed_on"),
            ("contracts", "collaborator_id", "signed_on"), ("contracts", "approver_id", "signed_on"),
            ("payments", "collector_id", "paid_on"), ("customers", "registered_by", "registered_at"),
            ("customers", "designated_id", "registered_at"), ("roster", "staff_id", "date"),
            ("overrides", "approver_id", "effective"), ("overrides", "new_owner_id", "effective")]
    for sheet, who, when in acts:
        w, d = col(frames, sheet, who), dates(frames, sheet, when).dt.normalize()
        known = w.notna() & w.isin(hire.index)
        ok = (hire.reindex(w[known]).to_numpy() <= d[known].to_numpy()) & \
             (leave.reindex(w[known]).to_numpy() >= d[known].to_numpy())
        assert ok.all(), (sheet, who, frames[sheet][known][~ok].head())
    for s in K.INPUT_SHEETS:
        for c in s.columns:
            if c.type in K.DATE_TYPES and c.key != "next_follow_up" and c.key != "due_date" \
                    and c.key != "leave_date":
                late = dates(frames, s.key, c.key) > today + pd.Timedelta(hours=23, minutes=59)
                expected = [p["future_date"]] if (s.key, c.key) == ("visits", "date") else []
                assert list(np.flatnonzero(late) + 2) == expected, (s.key, c.key)
    assert (dates(frames, "staff", "hire_date") <= today).all()


def test_money_is_consistent_except_the_planted_rows(frames):
    p = planted(frames)
    k = frames["contracts"]
    amount, price = col(frames, "contracts", "amount"), col(frames, "contracts", "list_price")
    above = amount > price
    assert list(np.flatnonzero(above) + 2) == [p["above_list_price"]]
    assert (amount > 0).all()
    pay = frames["payments"]
    paid = col(frames, "payments", "amount").groupby(col(frames, "payments", "contract_id")).sum()
    by_id = pd.Series(amount.to_numpy(), index=col(frames, "contracts", "contract_id"))
    over = paid > by_id.reindex(paid.index) + 0.005
    planted_contract = col(frames, "payments", "contract_id").iloc[p["overpayment"] - 2]
    assert list(over[over].index) == [planted_contract]
    assert (col(frames, "payments", "amount") < 0).sum() >= 1                      # refunds
    assert (col(frames, "payments", "remitted") == "否").sum() >= 1               # not remitted
    # payments only on approved contracts that are not cancelled
    k_state = k.set_index(K.CONTRACTS.col("contract_id").zh)
    on = k_state.reindex(col(frames, "payments", "contract_id"))
    assert (on[K.CONTRACTS.col("approval").zh] == "已批准").all()
    assert (on[K.CONTRACTS.col("status").zh] != "已取消").all()
    assert len(pay) == len(col(frames, "payments", "payment_id").unique())


def test_discounts_are_covered_by_the_signer_or_the_approver(frames):
    auth = dict(K.DEFAULT_DISCOUNT_AUTHORITY)
    role = dict(zip(col(frames, "staff", "staff_id"), col(frames, "staff", "role")))
    k = frames["contracts"]
    ratio = col(frames, "contracts", "amount") / col(frames, "contracts", "list_price")
    approval = col(frames, "contracts", "approval")
    approver = col(frames, "contracts", "approver_id")
    signer_min = col(frames, "contracts", "signer_id").map(role).map(auth)
    approver_min = approver.map(role).map(auth)
    approved = approval == "已批准"
    assert approver[approved].notna().all()
    ok = (ratio >= signer_min - 1e-9) | (approved & (ratio >= approver_min - 1e-9))
    assert ok.all(), k[~ok].head()
    assert (ratio < 0.95).sum() > 0.05 * len(k)  # there are real discounts that needed a manager
    assert set(approval) == set(K.APPROVAL_STATES)
    assert set(col(frames, "contracts", "status")) == set(K.CONTRACT_STATES)
    collab = col(frames, "contracts", "collaborator_id").notna()
    assert collab.any() and col(frames, "contracts", "collab_share")[collab].notna().any()


def test_customers_come_from_every_source_with_the_right_links(frames):
    cu = frames["customers"]
    source = col(frames, "customers", "source")
    assert set(source) == set(K.SOURCES)
    designated = col(frames, "customers", "designated_id")
    referrer = col(frames, "customers", "referrer_id")
    assert designated[source == "上门散客"].isna().all()
    assert designated[source.isin(["试用券", "名片"])].notna().all()
    assert referrer[source == "转介绍"].notna().all() and referrer[source != "转介绍"].isna().all()
    reg = dates(frames, "customers", "registered_at").groupby(col(frames, "customers", "customer_id")).min()
    is_ref = referrer.notna()
    assert (referrer[is_ref].map(reg) <= dates(frames, "customers", "registered_at")[is_ref]).all()
    # look-alike duplicates (撞单): the same phone typed another way
    phone = col(frames, "customers", "phone").fillna("")
    norm = phone.str.replace(r"\D", "", regex=True).str.replace(r"^(0086|86)(?=1\d{10}$)", "", regex=True)
    shaped = phone.str.contains(r"^\+86|^0086| |-\d{4}-", regex=True)
    dup = norm.duplicated(keep=False) & (norm != "")
    assert (dup & shaped).sum() >= 3
    assert (dup & ~shaped).sum() >= 3          # the originals, typed plainly
    assert len(cu) == len(source)


def test_visits_look_real(frames):
    p = planted(frames)
    method = col(frames, "visits", "method")
    assert set(method) == set(K.VISIT_METHODS)
    minutes = col(frames, "visits", "minutes")
    long_intent = (method == "意向拜访") & (minutes > 15)
    assert list(np.flatnonzero(long_intent) + 2) == [p["long_intent_visit"]]
    reasons = col(frames, "visits", "no_deal_reason")
    intent = col(frames, "visits", "intent")
    assert set(intent) == set(K.YES_NO)
    assert set(reasons.dropna()) == set(demo.NO_DEAL_REASONS)
    assert reasons[intent == "否"].notna().all()
    assert col(frames, "visits", "notes").notna().all()
    follow = dates(frames, "visits", "next_follow_up")
    assert (follow[intent == "是"].notna()).mean() > 0.99
    ok = follow.isna() | (follow > dates(frames, "visits", "date"))
    assert ok.all()
    # visits never come before the customer was registered
    reg = dates(frames, "customers", "registered_at").groupby(col(frames, "customers", "customer_id")).min()
    first = col(frames, "visits", "customer_id").map(reg).dt.normalize()
    assert (dates(frames, "visits", "date") >= first).all()


def test_roster_targets_attendance_and_hierarchy(frames):
    st = frames["staff"]
    role = dict(zip(col(frames, "staff", "staff_id"), col(frames, "staff", "role")))
    channel = dict(zip(col(frames, "staff", "staff_id"), col(frames, "staff", "channel")))
    on_duty = col(frames, "roster", "staff_id")
    assert set(on_duty.map(role)) == {"会籍顾问"} and set(on_duty.map(channel)) == {"内销"}
    days = dates(frames, "roster", "date")
    assert (days.dt.day_of_week < 5).all()
    working = pd.bdate_range(days.min(), days.max())
    assert set(days) == set(working)  # somebody at the front desk every working day
    order = col(frames, "roster", "order").groupby(days).apply(lambda s: sorted(s) == list(range(1, len(s) + 1)))
    assert order.all()
    # roles of the tree and its shape
    roles = set(col(frames, "staff", "role"))
    assert {"销售副总", "销售总监", "销售经理", "组长", "会籍顾问", "销售代表", "电话销售", "销售内勤"} <= roles
    assert (col(frames, "staff", "role") == "销售总监").sum() == 3
    mgr = col(frames, "staff", "manager_id")
    assert mgr.isna().sum() == 1 and mgr.dropna().isin(set(col(frames, "staff", "staff_id"))).all()
    assert set(col(frames, "staff", "status")) == set(K.STAFF_STATUSES)
    # every rep has a target row for every month they were employed in
    t = frames["targets"]
    have = set(zip(col(frames, "targets", "month"), col(frames, "targets", "staff_id")))
    months = sorted(set(col(frames, "targets", "month")))
    assert len(months) == 13
    hire = dict(zip(col(frames, "staff", "staff_id"), dates(frames, "staff", "hire_date")))
    leave = dict(zip(col(frames, "staff", "staff_id"), dates(frames, "staff", "leave_date")))
    for sid, r in role.items():
        if r not in ("会籍顾问", "销售代表", "客户代表", "电话销售", "组长"):
            continue
        for m in months:
            start = pd.Period(m).start_time
            end = pd.Period(m).end_time
            if hire[sid] <= end and (pd.isna(leave[sid]) or leave[sid] >= start):
                assert (m, sid) in have
    assert len(t) == len(have)
    a = frames["attendance"]
    assert (col(frames, "attendance", "days_present") <= col(frames, "attendance", "days_due")).all()
    assert len(a) > 0 and len(st) > 0


def test_written_demo_reads_with_only_the_planted_parse_mistake(written):
    b = book.load(written)
    rows = demo.planted_rows(demo.generate("small", seed=7, today=TODAY), TODAY)
    expected = {(p.sheet, rows[p.key][0], p.column) for p in demo.PLANTED_MISTAKES if p.stage == "parse"}
    assert {(f.sheet, f.row, f.column) for f in b.findings} == expected
    assert all(f.level == ERROR for f in b.findings)
    assert len(b.tables["visits"]) == 5000 and len(b.tables["payments"]) == 1200
    values, problems = settings.read_settings(b.tables["settings"])
    assert problems == [] and values.company_name == demo.COMPANY
    # the template's dropdowns, formats and frozen header survive the fill
    wb = openpyxl.load_workbook(written, read_only=False)
    ws = wb[K.VISITS.zh]
    assert ws.freeze_panes == "A2"
    assert any(str(dv.sqref) == "D2:D1048576" and dv.type == "list" for dv in ws.data_validations.dataValidation)
    assert ws["A2"].number_format == "yyyy-mm-dd"
    assert wb[K.CUSTOMERS.zh]["J2"].number_format == "yyyy-mm-dd hh:mm"


def test_validation_finds_exactly_the_planted_mistakes(written):
    validate = pytest.importorskip("salesbook.validation")
    b = book.load(written)
    values, _ = settings.read_settings(b.tables["settings"])
    found = validate.check(b.tables, values, today=TODAY, month=TODAY.strftime("%Y-%m"), already=b.findings)
    found = list(found) + list(b.findings)
    rows = demo.planted_rows(demo.generate("small", seed=7, today=TODAY), TODAY)
    errors = {(f.sheet, f.row, f.column) for f in found if f.level == ERROR}
    assert errors == {(p.sheet, rows[p.key][0], p.column) for p in demo.PLANTED_MISTAKES if p.level == ERROR}
    warnings = {(f.sheet, f.row, f.column) for f in found if f.level == WARNING}
    for p in demo.PLANTED_MISTAKES:
        if p.level == WARNING:
            assert (p.sheet, rows[p.key][0], p.column) in warnings


def test_written_demo_opens_in_libreoffice(written, tmp_path):
    from test_template import soffice_convert_all_sheets

    sheets = soffice_convert_all_sheets(written, tmp_path / "csv")
    visits = sheets[K.VISITS.zh]
    assert visits[0] == K.VISITS.headers()
    assert len(visits) == 1 + 5000
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", visits[1][0])  # a real date shown as yyyy-mm-dd
    assert len(sheets[K.PAYMENTS.zh]) == 1 + 1200


def test_large_demo_is_written_whole(tmp_path):
    # Speed is measured in benchmarks/, never asserted here (house rule).
    import fastexcel

    path = demo.write_demo(tmp_path, "large", seed=7, today=TODAY)
    assert path.name == "销售台账-演示-large.xlsx"
    fx = fastexcel.read_excel(str(path))
    assert fx.load_sheet(K.VISITS.zh, dtypes="string").height == 200_000


# --- a company that looks like a real one (issue: 达成率 600-2166 %, every 组长 warned) ---------

def achievement(frames, today):
    """签约 (approved, not cancelled, whole amount to the signer) / 销售目标 per person and full
    month, for months after a seller's first two and before the current one."""
    k = frames["contracts"]
    counts = (col(frames, "contracts", "approval") == "已批准") & (col(frames, "contracts", "status") != "已取消")
    month = dates(frames, "contracts", "signed_on").dt.strftime("%Y-%m")
    signed = pd.to_numeric(col(frames, "contracts", "amount"))[counts].groupby(
        [month[counts], col(frames, "contracts", "signer_id")[counts]]).sum()
    t = frames["targets"]
    target = pd.Series(pd.to_numeric(col(frames, "targets", "sales_target"), errors="coerce").to_numpy(),
                       index=pd.MultiIndex.from_arrays([col(frames, "targets", "month"),
                                                        col(frames, "targets", "staff_id")]))
    hire = dict(zip(col(frames, "staff", "staff_id"), dates(frames, "staff", "hire_date")))
    leave = dict(zip(col(frames, "staff", "staff_id"), dates(frames, "staff", "leave_date")))
    months = sorted(set(col(frames, "targets", "month")))[1:-1]
    rows = []
    for (m, sid), tgt in target.items():
        start, end = pd.Period(m).start_time, pd.Period(m).end_time
        if m not in months or tgt != tgt or hire[sid] > start - pd.DateOffset(months=2) \
                or (pd.notna(leave[sid]) and leave[sid] < end):
            continue
        rows.append((m, sid, signed.get((m, sid), 0.0) / tgt))
    assert len(k) and rows
    return pd.DataFrame(rows, columns=["month", "staff_id", "ach"])


def test_targets_fit_what_people_sell(frames):
    a = achievement(frames, today_of(frames))
    ach = a["ach"]
    assert 0.9 <= ach.median() <= 1.2, ach.describe()
    assert ((ach >= 0.6) & (ach <= 1.5)).mean() >= 0.7, ach.describe()
    assert (ach > 1.3).mean() >= 0.03 and (ach < 0.7).mean() >= 0.03   # a few stars, a few strugglers
    assert ach.max() < 3
    swings = a.groupby("staff_id")["ach"].std()
    assert (swings > 0.05).mean() > 0.8                                   # it varies month to month
    # nobody with most of a year here has missed target every month
    months = a.groupby("staff_id")["ach"].size()
    below = a.assign(miss=ach < 1).groupby("staff_id")["miss"].mean()[months >= 8]
    assert len(below) >= 10 and (below < 1).all(), below[below == 1]


def test_every_team_has_a_selling_leader_and_everybody_a_place(frames):
    role, team = col(frames, "staff", "role"), col(frames, "staff", "team")
    assert team.notna().all(), frames["staff"][team.isna()]
    leads = frames["staff"][role == "组长"]
    members = frames["staff"][role.isin(org.REP_ROLES) & (role != "组长")]
    assert set(members[K.STAFF.col("team").zh]) <= set(leads[K.STAFF.col("team").zh])
    assert leads[K.STAFF.col("team").zh].is_unique
    signers = set(col(frames, "contracts", "signer_id"))
    assert set(leads[K.STAFF.col("staff_id").zh]) <= signers, "every 组长 sells"
    targets = set(col(frames, "targets", "staff_id"))
    assert set(leads[K.STAFF.col("staff_id").zh]) <= targets
    # a manager's place is the 部 of the teams he runs; reps' 组长 report to him
    managers = frames["staff"][role == "销售经理"]
    assert managers[K.STAFF.col("team").zh].str.endswith("部").all()


def test_demo_payroll_reads_like_a_real_team(written):
    from salesbook import api

    out = api.commission(written, today=TODAY)
    pay = out.sheets[K.PAYROLL.zh]
    h = {c.key: c.zh for c in K.PAYROLL.columns}
    sellers = pay[pay[h["role"]].isin(org.REP_ROLES)]
    ach = pd.to_numeric(sellers[h["achievement"]], errors="coerce").dropna()
    assert len(ach) >= 15
    assert 0.6 <= ach.quantile(0.25) and ach.quantile(0.75) <= 1.6 and ach.max() < 3, ach.describe()
    notes = sellers[h["remarks"]].fillna("")
    assert notes.str.contains("降级预警").sum() <= 0.25 * len(sellers)
    leads = sellers[sellers[h["role"]] == "组长"]
    assert (pd.to_numeric(leads[h["signed"]]) > 0).all()
    assert not pay[h["team"]].isna().any()
