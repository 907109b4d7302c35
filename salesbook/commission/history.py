"""Month-by-month figures over every month in the workbook, in one vectorised pass.

Carry-forward (扣回结转) and the streak awards need earlier months: instead of
recomputing pay month by month, the credited rows of all documents are summed per
person and month into people × months matrices (int fen), and the rules read those.
Months run from the earliest month with any contract, payment or target up to the
month being computed, without gaps: a month nobody sold in still breaks a streak.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


def matrix(rows: pd.DataFrame, people: pd.Index, months: list[int], value: str = "credited_fen") -> pd.DataFrame:
    """Sum rows (staff_id, month, value) into a people × months int64 matrix (0 = nothing)."""
    if len(rows) == 0:
        return pd.DataFrame(0, index=people, columns=months, dtype="int64")
    s = rows.groupby(["staff_id", "month"], sort=False)[value].sum()
    m = s.unstack("month", fill_value=0)
    return m.reindex(index=people, columns=months, fill_value=0).astype("int64")


def carry_in(base: pd.DataFrame, locked_out: pd.DataFrame | None = None) -> pd.DataFrame:
    """Deficit carried into each month (≥ 0): a month whose base after the carry is
    negative pays nothing and hands the whole shortfall to the next month. `locked_out`
    (people × months, NaN = not locked): the deficit a closed month handed on, as locked
    — read instead of replayed, so an edit to closed history cannot move it quietly."""
    vals = base.to_numpy(dtype="int64")
    fixed = None
    if locked_out is not None:
        fixed = locked_out.reindex(index=base.index, columns=base.columns).to_numpy(dtype="float64")
    carry = np.zeros_like(vals)
    running = np.zeros(vals.shape[0], dtype="int64")
    for j in range(vals.shape[1]):
        carry[:, j] = running
        effective = vals[:, j] - running
        running = np.where(effective < 0, -effective, 0)
        if fixed is not None:
            col = fixed[:, j]
            running = np.where(np.isnan(col), running, np.nan_to_num(col)).astype("int64")
    return pd.DataFrame(carry, index=base.index, columns=base.columns)


@dataclass(frozen=True)
class Locked:
    """Closed months as their snapshots hold them (salesbook.close): per person and month
    index, 签约业绩 / 销售目标 / the deficit handed on (fen). The engine reads these instead
    of the data for the months given, so carry-forward and streaks of an open month do not
    move when closed history is edited (that edit is paid as a 追溯调整 instead)."""
    signed: dict = field(default_factory=dict)      # (工号, month index) -> fen
    target: dict = field(default_factory=dict)
    carry_out: dict = field(default_factory=dict)

    def overlay(self, matrix: pd.DataFrame, which: str) -> pd.DataFrame:
        values = getattr(self, which)
        if not values:
            return matrix
        out = matrix.copy()
        for (sid, m), v in values.items():
            if sid in out.index and m in out.columns:
                out.at[sid, m] = v
        return out

    def carry_frame(self, people: pd.Index, months: list[int]) -> pd.DataFrame | None:
        if not self.carry_out:
            return None
        out = pd.DataFrame(np.nan, index=people, columns=months)
        for (sid, m), v in self.carry_out.items():
            if sid in out.index and m in out.columns:
                out.at[sid, m] = float(v)
        return out


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
