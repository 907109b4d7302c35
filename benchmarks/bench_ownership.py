"""Engine time of ownership.compute on synthetic tables (no file I/O).

    python benchmarks/bench_ownership.py [--visits 50000,100000,200000,400000] [--repeat 3]

Tables are generated with numpy (seeded): 200 staff, 20k customers registered over two
years (a fifth walk-ins over a daily duty roster, some designated, referred, duplicated),
visits mostly by the customer's usual rep, 30k contracts, a few hundred overrides.
Prints the best engine time (compute) per size, per visit, and the growth ratio to the
previous size (2.0 per doubling = linear; less = fixed costs of customers and contracts
dominate), then signer_findings, owners_on for every contract, and owner_on called once
per contract (what the commission engine does at worst).
"""
from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import pandas as pd

from salesbook import contract as K
from salesbook.reader import TEXT_DTYPE, empty_table
from salesbook.ownership import compute
from salesbook.settings import defaults

START = np.datetime64("2024-11-15")
DAYS = 730
AS_OF = dt.date(2026, 11, 15)


def _text(values) -> pd.Series:
    return pd.Series(values, dtype="object").astype(TEXT_DTYPE)


def _frame(sheet: K.Sheet, cols: dict) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    out = {"_row": np.arange(2, n + 2, dtype="int64")}
    for c in sheet.columns:
        v = cols.get(c.key)
        if v is None:
            out[c.key] = empty_table(sheet)[c.key].reindex(range(n))
        elif c.type in K.DATE_TYPES:
            out[c.key] = pd.Series(v).astype("datetime64[ns]")
        elif c.type in K.NUMERIC_TYPES:
            out[c.key] = pd.Series(v, dtype="float64")
        else:
            out[c.key] = _text(v)
    return pd.DataFrame(out)


def synthetic(n_visits: int, n_customers: int = 20000, n_staff: int = 200, n_contracts: int = 30000,
              seed: int = 7) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    sids = np.array([f"S{i:03d}" for i in range(n_staff)], dtype=object)
    leave = np.where(rng.random(n_staff) < 0.05, START + rng.integers(200, DAYS, n_staff), np.datetime64("NaT"))
    staff = _frame(K.STAFF, {
        "staff_id": sids, "name": [f"员工{i}" for i in range(n_staff)], "role": ["会籍顾问"] * n_staff,
        "channel": rng.choice(["内销", "外销"], n_staff), "hire_date": [START - 400] * n_staff,
        "leave_date": leave, "status": np.where(pd.isna(leave), "在职", "离职")})

    inside = sids[:40]
    roster_days = np.repeat(np.arange(DAYS), 4)
    roster = _frame(K.ROSTER, {"date": START + roster_days, "staff_id": rng.choice(inside, len(roster_days)),
                               "order": np.tile(np.arange(1, 5), DAYS).astype(float)})

    cids = np.array([f"K{i:06d}" for i in range(n_customers)], dtype=object)
    reg_day = np.sort(rng.integers(0, DAYS - 30, n_customers))
    reg_at = (START + reg_day).astype("datetime64[ns]") + rng.integers(8 * 3600, 20 * 3600, n_customers) * np.timedelta64(1, "s")
    home = rng.integers(0, n_staff, n_customers)
    source = rng.choice(["上门散客", "陌生拜访", "电话开发", "转介绍", "网络"], n_customers, p=[.2, .3, .3, .1, .1])
    designated = np.where(rng.random(n_customers) < 0.05, sids[home], None)
    referrer = np.where(source == "转介绍", cids[rng.integers(0, n_customers, n_customers)], None)
    phone = np.array([f"13{n:09d}" for n in rng.integers(0, 10**9, n_customers)], dtype=object)
    dup = rng.random(n_customers) < 0.02
    phone[dup] = phone[rng.integers(0, n_customers, dup.sum())]
    customers = _frame(K.CUSTOMERS, {
        "customer_id": cids, "customer_name": [f"客户{i}" for i in range(n_customers)], "phone": phone,
        "source": source, "registered_at": reg_at, "registered_by": sids[home], "designated_id": designated,
        "referrer_id": referrer})

    vc = rng.integers(0, n_customers, n_visits)
    vday = np.minimum(reg_day[vc] + rng.exponential(60, n_visits).astype(int), DAYS - 1)
    vstaff = np.where(rng.random(n_visits) < 0.8, home[vc], rng.integers(0, n_staff, n_visits))
    visits = _frame(K.VISITS, {"date": START + vday, "staff_id": sids[vstaff], "customer_id": cids[vc],
                               "method": ["意向拜访"] * n_visits})

    cc = rng.integers(0, n_customers, n_contracts)
    cday = np.minimum(reg_day[cc] + rng.integers(0, 200, n_contracts), DAYS - 1)
    contracts = _frame(K.CONTRACTS, {
        "contract_id": [f"C{i:06d}" for i in range(n_contracts)], "customer_id": cids[cc],
        "signer_id": sids[home[cc]], "signed_on": START + cday, "list_price": np.full(n_contracts, 1000.0),
        "amount": np.full(n_contracts, 900.0), "approval": rng.choice(["已批准", "待审批"], n_contracts, p=[.9, .1]),
        "status": rng.choice(["执行中", "已完成", "已取消"], n_contracts, p=[.5, .45, .05])})

    n_over = 300
    oc = rng.integers(0, n_customers, n_over)
    overrides = _frame(K.OVERRIDES, {
        "customer_id": cids[oc], "effective": START + np.minimum(reg_day[oc] + 10, DAYS - 1),
        "new_owner_id": sids[rng.integers(0, n_staff, n_over)], "reason": ["调整"] * n_over,
        "approver_id": [sids[0]] * n_over})

    out = {s.key: empty_table(s) for s in K.INPUT_SHEETS}
    out.update(staff=staff, roster=roster, customers=customers, visits=visits, contracts=contracts,
               overrides=overrides)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--visits", default="50000,100000,200000,400000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    settings = defaults()
    prev = None
    print(f"{'visits':>8} {'engine s':>9} {'µs/visit':>9} {'ratio':>6} {'log rows':>9} "
          f"{'signer s':>9} {'owners_on s':>12} {'owner_on×30k s':>15}")
    for n in (int(x) for x in args.visits.split(",")):
        tables = synthetic(n)
        best, own = float("inf"), None
        for _ in range(args.repeat):
            t = time.perf_counter()
            own = compute(tables, settings, AS_OF)
            best = min(best, time.perf_counter() - t)
        c = tables["contracts"]
        t = time.perf_counter()
        own.signer_findings(c)
        signer = time.perf_counter() - t
        t = time.perf_counter()
        own.owners_on(c["customer_id"], c["signed_on"])
        batch = time.perf_counter() - t
        t = time.perf_counter()
        for cid, when in zip(c["customer_id"], c["signed_on"]):
            own.owner_on(cid, when.date())
        lookups = time.perf_counter() - t
        ratio = f"{best / prev:.2f}" if prev else "-"
        print(f"{n:>8} {best:>9.3f} {best / n * 1e6:>9.2f} {ratio:>6} {len(own.log):>9} "
              f"{signer:>9.3f} {batch:>12.3f} {lookups:>15.3f}")
        prev = best

if __name__ == "__main__":
    main()
