"""Month-by-month figures over every month in the workbook, in one vectorised pass.

Carry-forward (扣回结转) and the streak awards need earlier months: instead of
recomputing pay month by month, the credited rows of all documents are summed per
person and month into people × months matrices (int fen), and the rules read those.
Months run from the earliest month with any contract, payment or target up to the
month being computed, without gaps: a month nobody sold in still breaks a streak.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def matrix(rows: pd.DataFrame, people: pd.Index, months: list[int], value: str = "credited_fen") -> pd.DataFrame:
    """Sum rows (staff_id, month, value) into a people × months int64 matrix (0 = nothing)."""
    if len(rows) == 0:
        return pd.DataFrame(0, index=people, columns=months, dtype="int64")
    s = rows.groupby(["staff_id", "month"], sort=False)[value].sum()
    m = s.unstack("month", fill_value=0)
    return m.reindex(index=people, columns=months, fill_value=0).astype("int64")


def carry_in(base: pd.DataFrame) -> pd.DataFrame:
    """Deficit carried into each month (≥ 0): a month whose base after the carry is
    negative pays nothing and hands the whole shortfall to the next month."""
    vals = base.to_numpy(dtype="int64")
    carry = np.zeros_like(vals)
    running = np.zeros(vals.shape[0], dtype="int64")
    for j in range(vals.shape[1]):
        carry[:, j] = running
        effective = vals[:, j] - running
        running = np.where(effective < 0, -effective, 0)
    return pd.DataFrame(carry, index=base.index, columns=base.columns)


def trailing_streak(mask: pd.DataFrame) -> pd.Series:
    """How many months in a row, ending with the last column, each person's mask is True."""
    vals = mask.to_numpy(dtype=bool)
    alive = np.ones(vals.shape[0], dtype=bool)
    count = np.zeros(vals.shape[0], dtype="int64")
    for j in range(vals.shape[1] - 1, -1, -1):
        alive &= vals[:, j]
        if not alive.any():
            break
        count += alive
    return pd.Series(count, index=mask.index)


def top_of(signed: pd.DataFrame, groups: pd.Series | None) -> pd.DataFrame:
    """True where a person has the highest 签约业绩 of their group that month (ties all
    true); nobody is top of a month with no sales. groups None = the whole department;
    people with a blank group are never top of a group."""
    if groups is None:
        best = signed.max(axis=0)
        return signed.eq(best, axis=1) & (signed > 0)
    codes, uniques = pd.factorize(groups.reindex(signed.index), use_na_sentinel=True)
    vals = signed.to_numpy(dtype="int64")
    has = codes >= 0
    best = np.full((len(uniques), vals.shape[1]), np.iinfo("int64").min, dtype="int64")
    np.maximum.at(best, codes[has], vals[has])
    top = np.zeros(vals.shape, dtype=bool)
    top[has] = (vals[has] == best[codes[has]]) & (vals[has] > 0)
    return pd.DataFrame(top, index=signed.index, columns=signed.columns)
