"""A small company over three months for the month-close tests (real .xlsx files)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from builders import (attendance, contract, customer, factors, payment, settings_rows, staff, target, tiers,
                      write_book)
from salesbook import contract as K

TODAY = dt.date(2026, 11, 15)          # October is the last full month
PLAN = tiers((0, 50000, 0.03), (50000, 100000, 0.05), (100000, None, 0.08))


def company_rows() -> dict:
    people = [staff("M1", "王经理", role="销售经理", channel="内销", base_salary=9000, perf_base=2000),
              staff("S1", "张三", manager="M1", base_salary=5000, perf_base=1000, allowance=300),
              staff("S2", "李四", manager="M1", base_salary=5000, perf_base=1000)]
    for p in people:
        p.update({"底薪": p.pop("base_salary"), "绩效工资基数": p.pop("perf_base")})
        if "allowance" in p:
            p["津贴"] = p.pop("allowance")
    months = ("2026-08", "2026-09", "2026-10", "2026-11")
    return dict(
        settings=settings_rows(提成基数="回款"),
        commission_plan=PLAN,
        performance_factors=factors(*K.DEFAULT_PERFORMANCE_FACTORS),
        staff=people,
        targets=[target(m, s, 40000) for m in months for s in ("S1", "S2")],
        attendance=[attendance(m, s) for m in months[:3] for s in ("M1", "S1", "S2")],
        customers=[customer("K1", registered="2026-07-01", by="S1"), customer("K2", registered="2026-07-02", by="S2")],
        contracts=[contract("C1", "S1", 60000, signed="2026-08-05", customer="K1"),
                   contract("C2", "S2", 50000, signed="2026-09-03", customer="K2"),
                   contract("C3", "S1", 45000, signed="2026-10-08", customer="K1")],
        payments=[payment("P1", "C1", 30000, paid="2026-08-20", collector="S1"),
                  payment("P2", "C1", 30000, paid="2026-09-10", collector="S1"),
                  payment("P3", "C2", 20000, paid="2026-09-25", collector="S2"),
                  payment("P4", "C2", 30000, paid="2026-10-06", collector="S2"),
                  payment("P5", "C3", 10000, paid="2026-10-20", collector="S1"),
                  payment("P6", "C3", 35000, paid="2026-11-03", collector="S1")],
    )


def write_company(path: Path, **changes) -> Path:
    rows = company_rows()
    rows.update(changes)
    return write_book(path, **rows)
