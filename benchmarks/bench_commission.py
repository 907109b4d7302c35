"""Time the pay engine alone on synthetic tables the size of the `large` workbook.

    python benchmarks/bench_commission.py [--contracts 30000 --payments 40000 --staff 200 --repeat 3]

Tables are built directly with numpy (seeded) in the shape book.load produces (contract
column keys + _row), with 24 months of history; owner_on is a trivial dict lookup, so
the figure is the engine's own cost (shares, history, carry, awards, lines, texts).
"""
from __future__ import annotations

import argparse
import datetime as dt
import time
from types import SimpleNamespace

import numpy as np
import pandas as pd

from salesbook import contract as K
from salesbook.reader import empty_table
from salesbook.commission import compute
from salesbook.settings import defaults


def frame(sheet: K.Sheet, cols: dict) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    out = empty_table(sheet).reindex(range(n))
    for k, v in cols.items():
        out[k] = v
    out["_row"] = np.arange(n, dtype="int64") + 2
    return out


def synthetic(n_staff=200, n_customers=20_000, n_visits=200_000, n_contracts=30_000, n_payments=40_000,
              months=24, seed=7):
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-04-01")
    days = months * 30
    sids = np.array([f"S{i:04d}" for i in range(n_staff)], dtype=object)
    channel = rng.choice(np.array(["内销", "外销", None], dtype=object), n_staff)
    staff = frame(K.STAFF, dict(
        staff_id=sids, name=sids, role=rng.choice(np.array(["销售代表", "会籍顾问", "组长"], dtype=object), n_staff),
        channel=channel, team=rng.choice(np.array([f"{i}组" for i in range(20)], dtype=object), n_staff),
        hire_date=pd.Timestamp("2023-01-01"), status="在职",
        base_salary=4000.0, perf_base=1500.0, allowance=200.0))
    cids = np.array([f"K{i:05d}" for i in range(n_customers)], dtype=object)
    vdate = start + rng.integers(0, days, n_visits).astype("timedelta64[D]")
    visits = frame(K.VISITS, dict(date=vdate.astype("datetime64[ns]"), staff_id=rng.choice(sids, n_visits),
                                  customer_id=rng.choice(cids, n_visits), method="意向拜访"))
    amount = np.round(rng.uniform(1000, 120000, n_contracts), 2)
    collab = np.where(rng.random(n_contracts) < 0.15, rng.choice(sids, n_contracts), None)
    cdate = start + rng.integers(0, days, n_contracts).astype("timedelta64[D]")
    contract_ids = np.array([f"C{i:06d}" for i in range(n_contracts)], dtype=object)
    contracts = frame(K.CONTRACTS, dict(
        contract_id=contract_ids, customer_id=rng.choice(cids, n_contracts), signer_id=rng.choice(sids, n_contracts),
        collaborator_id=collab, collab_share=np.where(rng.random(n_contracts) < 0.5, np.nan, 0.4),
        signed_on=cdate.astype("datetime64[ns]"), list_price=amount, amount=amount,
        approval=rng.choice(np.array(["已批准"] * 9 + ["待审批"], dtype=object), n_contracts),
        approver_id=sids[0], status=rng.choice(np.array(["执行中", "已完成", "已取消"], dtype=object), n_contracts,
                                               p=[0.5, 0.45, 0.05])))
    pc = rng.integers(0, n_contracts, n_payments)
    pdate = cdate[pc] + rng.integers(0, 60, n_payments).astype("timedelta64[D]")
    pamount = np.round(amount[pc] * rng.uniform(0.2, 0.6, n_payments), 2) * np.where(rng.random(n_payments) < 0.03, -1, 1)
    payments = frame(K.PAYMENTS, dict(
        payment_id=np.array([f"P{i:06d}" for i in range(n_payments)], dtype=object), contract_id=contract_ids[pc],
        paid_on=pdate.astype("datetime64[ns]"), amount=pamount, collector_id=rng.choice(sids, n_payments),
        remitted=rng.choice(np.array(["是"] * 19 + ["否"], dtype=object), n_payments)))
    month_labels = [str(np.datetime64("2024-04") + i) for i in range(months)]
    tm = np.repeat(month_labels, n_staff)
    targets = frame(K.TARGETS, dict(month=tm.astype(object), staff_id=np.tile(sids, months),
                                    sales_target=np.round(rng.uniform(50_000, 150_000, len(tm)), -3)))
    attendance = frame(K.ATTENDANCE, dict(month=tm.astype(object), staff_id=np.tile(sids, months), days_due=22.0,
                                          days_present=rng.choice([21.0, 22.0], len(tm)),
                                          late_count=rng.choice([0.0, 0.0, 1.0], len(tm)), leave_days=0.0))
    plan = frame(K.COMMISSION_PLAN, dict(role=np.array(["默认"] * 3, dtype=object),
                                         lower=[0.0, 50000.0, 100000.0], upper=[50000.0, 100000.0, np.nan],
                                         rate=[0.03, 0.05, 0.08]))
    factors = frame(K.PERFORMANCE_FACTORS, dict(min_achievement=[a for a, _ in K.DEFAULT_PERFORMANCE_FACTORS],
                                                factor=[f for _, f in K.DEFAULT_PERFORMANCE_FACTORS]))
    tables = {s.key: empty_table(s) for s in K.INPUT_SHEETS}
    tables.update(staff=staff, visits=visits, contracts=contracts, payments=payments, targets=targets,
                  attendance=attendance, commission_plan=plan, performance_factors=factors)
    owner_of = dict(zip(cids, rng.choice(sids, n_customers)))
    pool = set(rng.choice(cids, n_customers // 5))

    def owner_on(customer_id, when: dt.date):
        return None if customer_id in pool else SimpleNamespace(owner_id=owner_of[customer_id], basis="登记")

    return tables, owner_on, month_labels[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--staff", type=int, default=200)
    ap.add_argument("--contracts", type=int, default=30_000)
    ap.add_argument("--payments", type=int, default=40_000)
    ap.add_argument("--visits", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    tables, owner_on, month = synthetic(a.staff, 20_000, a.visits, a.contracts, a.payments)
    calls = [0]

    def counted(cid, when):
        calls[0] += 1
        return owner_on(cid, when)

    best = float("inf")
    for _ in range(a.repeat):
        calls[0] = 0
        t0 = time.perf_counter()
        pay = compute(tables, defaults(), month, counted)
        pay.check()
        best = min(best, time.perf_counter() - t0)
    print(f"commission.compute + check, {month}: {best:.3f} s (best of {a.repeat}); "
          f"{len(pay.payroll)} payroll rows, {len(pay.lines)} lines, owner_on calls {calls[0]}; "
          f"{a.contracts} contracts, {a.payments} payments, {a.visits} visits, {a.staff} staff")


if __name__ == "__main__":
    main()
