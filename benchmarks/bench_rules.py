"""Rule time of validation.check and validation.usable on a synthetic `large`-sized table set.

    python benchmarks/bench_rules.py [--visits 200000] [--repeat 3] [--defects 0.01]

Tables are built directly as parsed tables (the reader's dtypes) with numpy, so only
the rules are timed. `--defects` plants that share of bad rows (unknown people,
overpaid contracts, long intent visits, unremitted payments ...) so that findings are
really built, as in a messy workbook. Target (issue): ~1 s of rule time on `large`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import pandas as pd

from salesbook import contract as K
from salesbook.reader import ROW, TEXT_DTYPE, empty_table
from salesbook.settings import defaults
from salesbook.validation import check, usable

TODAY = dt.date(2026, 11, 15)


def _ids(prefix: str, n: int) -> np.ndarray:
    return np.char.add(prefix, np.arange(1, n + 1).astype(str))


def _frame(sheet: K.Sheet, cols: dict) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    out = {ROW: np.arange(2, n + 2, dtype="int64")}
    for c in sheet.columns:
        v = cols.get(c.key)
        if c.type in K.NUMERIC_TYPES:
            out[c.key] = pd.Series(v if v is not None else np.full(n, np.nan), dtype="float64")
        elif c.type in K.DATE_TYPES:
            out[c.key] = pd.Series(v if v is not None else pd.NaT, index=range(n), dtype="datetime64[ns]")
        else:
            out[c.key] = pd.Series(v if v is not None else None, index=range(n), dtype=TEXT_DTYPE)
    return pd.DataFrame(out)


def synthetic(n_staff=200, n_customers=20000, n_visits=200000, n_contracts=30000, n_payments=40000,
              defects=0.01, seed=7) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2025-01-01")
    days = lambda n, span=680: start + rng.integers(0, span, n).astype("timedelta64[D]")  # noqa: E731
    bad = lambda n: rng.random(n) < defects  # noqa: E731

    staff = _ids("S", n_staff)
    roles = np.where(np.arange(n_staff) < 10, "销售经理", "销售代表")
    managers = np.where(np.arange(n_staff) < 10, None, staff[rng.integers(0, 10, n_staff)]).astype(object)
    managers[0] = None
    t = {s.key: empty_table(s) for s in K.INPUT_SHEETS}
    t["discount_authority"] = _frame(K.DISCOUNT_AUTHORITY, {
        "role": [r for r, _ in K.DEFAULT_DISCOUNT_AUTHORITY], "min_discount": [m for _, m in K.DEFAULT_DISCOUNT_AUTHORITY]})
    t["staff"] = _frame(K.STAFF, {
        "staff_id": staff, "name": staff, "role": roles, "manager_id": managers, "status": np.full(n_staff, "在职"),
        "hire_date": np.full(n_staff, np.datetime64("2024-01-01"))})
    months = [f"2026-{m:02d}" for m in range(1, 12)]
    t["targets"] = _frame(K.TARGETS, {"month": np.repeat(months, n_staff), "staff_id": np.tile(staff, len(months)),
                                      "sales_target": np.full(n_staff * len(months), 1e5)})
    t["roster"] = _frame(K.ROSTER, {"date": days(3000), "staff_id": staff[rng.integers(0, n_staff, 3000)]})

    cust = _ids("K", n_customers)
    by = staff[rng.integers(10, n_staff, n_customers)].astype(object)
    by[bad(n_customers)] = "S999"
    t["customers"] = _frame(K.CUSTOMERS, {
        "customer_id": cust, "customer_name": cust, "registered_at": days(n_customers, 300), "registered_by": by,
        "source": np.full(n_customers, "陌生拜访"),
        "credit_limit": np.where(rng.random(n_customers) < 0.3, 300000.0, np.nan)})

    minutes = rng.integers(5, 15, n_visits).astype(float)
    minutes[bad(n_visits)] = 40
    t["visits"] = _frame(K.VISITS, {
        "date": days(n_visits), "staff_id": staff[rng.integers(10, n_staff, n_visits)],
        "customer_id": cust[rng.integers(0, n_customers, n_visits)],
        "method": np.array(K.VISIT_METHODS)[rng.integers(0, 4, n_visits)], "minutes": minutes})

    cons = _ids("C", n_contracts)
    price = rng.integers(10, 200, n_contracts) * 1000.0
    amount = price * rng.choice([1.0, 0.95, 0.9], n_contracts)
    approval = np.where(bad(n_contracts), "待审批", "已批准")
    t["contracts"] = _frame(K.CONTRACTS, {
        "contract_id": cons, "customer_id": cust[rng.integers(0, n_customers, n_contracts)],
        "signer_id": staff[rng.integers(10, n_staff, n_contracts)], "signed_on": days(n_contracts),
        "list_price": price, "amount": amount, "approval": approval,
        "approver_id": staff[rng.integers(0, 10, n_contracts)], "status": np.full(n_contracts, "执行中")})

    which = rng.integers(0, n_contracts, n_payments)
    paid = amount[which] / 4  # a contract rarely gets five payments: overpaid only by planted defects
    paid[bad(n_payments)] *= 3
    t["payments"] = _frame(K.PAYMENTS, {
        "payment_id": _ids("P", n_payments), "contract_id": cons[which], "paid_on": days(n_payments),
        "amount": paid, "collector_id": staff[rng.integers(10, n_staff, n_payments)],
        "remitted": np.where(bad(n_payments), "否", "是")})
    return t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--visits", type=int, default=200000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--defects", type=float, default=0.01)
    a = ap.parse_args()
    t = synthetic(n_visits=a.visits, defects=a.defects)
    s = defaults()
    for i in range(a.repeat):
        t0 = time.perf_counter()
        found = check(t, s, today=TODAY, month="2026-10")
        t1 = time.perf_counter()
        _, notes = usable(t, found)
        t2 = time.perf_counter()
        print(f"run {i + 1}: check {t1 - t0:.3f} s ({len(found)} findings), "
              f"usable {t2 - t1:.3f} s ({len(notes)} cascade notes), total {t2 - t0:.3f} s")


if __name__ == "__main__":
    main()
