"""Property: whatever is edited in closed months, and whenever, every fen owed by the final
data is paid exactly once — Σ over closed months of (locked 应发合计) + what the next open
month adjusts = Σ of the 应发合计 recomputed from the final data, per person.

Runs the pure close (fingerprints, diff, ledger, log) on in-memory tables, with the state
round-tripped through its sheets as text (as the reader hands them back) at every close.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from builders import owners, tables
from close_books import company_rows
from salesbook.close import diff as D, fingerprint as FP, ledger as L, log as LG
from salesbook.close.state import CloseState
from salesbook.commission import compute
from salesbook.domain.calendar import Month
from salesbook.settings import read_settings

MONTHS = [Month.parse(m) for m in ("2026-08", "2026-09", "2026-10")]
NEXT = Month.parse("2026-11")
OWN = owners({})


def month_pay(t, s, state, M):
    rows = FP.table_rows(t)
    changes = D.changes(state.locked_prints(), rows, state.closed) if state.closed else []
    plan = L.plan(state, changes, M, lambda m, locked: compute(t, s, m.label, OWN, locked=locked))
    pay = compute(t, s, M.label, OWN, locked=plan.locked, retro=plan.retro)
    pay.check()
    return pay, plan, rows


def as_read_back(state: CloseState) -> CloseState:
    """The state written as sheets and read back as text, as the reader does."""
    def text(frame):
        return frame.astype(object).map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v))
                                        else (v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, pd.Timestamp | dt.datetime)
                                              else str(v)))
    return CloseState.from_sheets({k: text(f) for k, f in state.frames().items()})


def close(t, s, state, M):
    pay, plan, rows = month_pay(t, s, state, M)
    new = LG.lock(state, M, pay, plan.restated, rows, now=dt.datetime(2026, 12, 1), operator="测试", report_dir="")
    return as_read_back(new)


EDIT = st.one_of(
    st.tuples(st.just("payment_amount"), st.integers(0, 4), st.integers(-15000, 25000)),
    st.tuples(st.just("payment_month"), st.integers(0, 4), st.integers(0, 2)),
    st.tuples(st.just("contract_amount"), st.integers(0, 2), st.integers(-20000, 40000)),
    st.tuples(st.just("contract_cancel"), st.integers(0, 2), st.just(0)),
    st.tuples(st.just("late"), st.integers(0, 8), st.integers(0, 2)),
    st.tuples(st.just("new_payment"), st.integers(0, 2), st.integers(-5000, 20000)),
)


def apply(t, edit, n_new):
    kind, i, v = edit
    t = {k: f.copy() for k, f in t.items()}
    if kind == "payment_amount":
        t["payments"].loc[i, "amount"] = float(v)
    elif kind == "payment_month":
        day = t["payments"].loc[i, "paid_on"]
        t["payments"].loc[i, "paid_on"] = pd.Timestamp(MONTHS[v].first) + pd.Timedelta(days=day.day - 1)
    elif kind == "contract_amount":
        t["contracts"].loc[i, "amount"] = max(1000.0, t["contracts"].loc[i, "amount"] + v)
    elif kind == "contract_cancel":
        t["contracts"].loc[i, "status"] = "已取消"
    elif kind == "late":
        t["attendance"].loc[i, "late_count"] = float(v)
    else:
        p = t["payments"]
        row = p.iloc[[0]].copy()
        row["payment_id"] = f"PX{n_new}"
        row["contract_id"] = t["contracts"].loc[i, "contract_id"]
        row["paid_on"] = pd.Timestamp(MONTHS[i].first) + pd.Timedelta(days=20)
        row["amount"] = float(v)
        row["_row"] = int(p["_row"].max()) + 1
        t["payments"] = pd.concat([p, row], ignore_index=True)
    return t


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(["回款", "签约"]),
       edits=st.lists(st.tuples(st.integers(0, 3), EDIT), max_size=6))
def test_every_fen_owed_is_paid_exactly_once(base, edits):
    paid, owed, after, _ = scenario(base, edits)
    assert paid == owed
    # and nothing is paid twice: closing the next month leaves nothing pending for the month after
    assert all(p.adjustment == 0 for p in after.persons.values())


def test_the_property_is_about_real_adjustments():
    """An October payment edited before October closes (no retro: the month is open) and a
    September contract cancelled after it: its payments in September and October are paid
    back as 追溯调整 by the November close, and the books still balance."""
    edits = [(2, ("payment_amount", 3, 10000)), (3, ("contract_cancel", 1, 0))]
    paid, owed, after, state = scenario("回款", edits)
    assert paid == owed
    assert all(p.adjustment == 0 for p in after.persons.values())
    retro = state.lines[state.lines["source_type"] == "追溯调整"]
    assert set(retro["document_id"]) == {"2026-09", "2026-10"}   # both by the November close
    assert (retro["credited"] != 0).all()


def scenario(base, edits):
    rows = company_rows()
    rows["settings"] = [{"参数": "提成基数", "值": base}]
    t = tables(**rows)
    s, problems = read_settings(t["settings"])
    assert not problems
    state = CloseState.empty()
    n_new = 0
    for step in range(4):            # before the 2nd, 3rd close and after the last one
        for when, edit in edits:
            if when == step and step > 0:
                n_new += 1
                t = apply(t, edit, n_new)
        if step < 3:
            state = close(t, s, state, MONTHS[step])
    pending, _, _ = month_pay(t, s, state, NEXT)

    paid: dict[str, int] = {}
    for M in MONTHS:
        for r in state.locked_payroll(M).to_dict("records"):
            paid[r["staff_id"]] = paid.get(r["staff_id"], 0) + int(r["total"])
    for sid, p in pending.persons.items():
        paid[sid] = paid.get(sid, 0) + p.adjustment
    owed: dict[str, int] = {}
    for M in MONTHS:
        for sid, p in compute(t, s, M.label, OWN).persons.items():
            owed[sid] = owed.get(sid, 0) + p.total
    state = close(t, s, state, NEXT)
    after, _, _ = month_pay(t, s, state, NEXT.next())
    return paid, owed, after, state
