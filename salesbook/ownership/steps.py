"""Per-customer step functions of time, stored flat (one list per column, grouped by customer).

The replay appends (customer, day, values...) rows in time order, column by column; build() groups them by
customer keeping that order, so "the value in force at the end of day T" is one bisect
within the customer's slice. Flat lists instead of a list per customer: fewer objects,
cheaper appends in the hot loop.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Steps:
    offsets: list     # customer c's rows are [offsets[c], offsets[c + 1])
    days: list        # day each value starts (non-decreasing within a customer)
    columns: tuple    # parallel value lists
    _keys: list = field(default_factory=list, repr=False, compare=False)   # lazy, see at_many

    @classmethod
    def build(cls, n_customers: int, cust: list, days: list, *columns: list) -> "Steps":
        """Flat columns of rows appended in time order: customer, day, values..."""
        c = np.asarray(cust, dtype="int64")
        order = np.argsort(c, kind="stable")     # stable: time order kept within a customer
        offsets = np.searchsorted(c[order], np.arange(n_customers + 1), side="left").tolist()
        take = [np.asarray(x, dtype=object if x and isinstance(x[0], str) else "int64")[order].tolist()
                if len(x) else [] for x in (days,) + columns]
        return cls(offsets, take[0], tuple(take[1:]))

    def at(self, c: int, day: int) -> int:
        """Row index in force for customer c at the end of `day`, or -1 (none yet)."""
        lo, hi = self.offsets[c], self.offsets[c + 1]
        i = bisect_right(self.days, day, lo, hi) - 1
        return i if i >= lo else -1

    def values(self, col: int, c: int) -> list:
        return self.columns[col][self.offsets[c]:self.offsets[c + 1]]

    def at_many(self, cust: np.ndarray, days: np.ndarray) -> np.ndarray:
        """at() for arrays of (customer, day), vectorised; customer -1 → -1.

        Rows are grouped by customer (ascending) and by day within a customer, so the
        composite key customer·2³² + day is sorted over all rows: one searchsorted."""
        if not self._keys:
            c = np.repeat(np.arange(len(self.offsets) - 1, dtype="int64"), np.diff(self.offsets))
            self._keys.append((c << 32) + (np.asarray(self.days, dtype="int64") + _SHIFT))
            self._keys.append(np.asarray(self.offsets, dtype="int64"))
        keys, offsets = self._keys
        cust = np.asarray(cust, dtype="int64")
        known = cust >= 0
        c = np.where(known, cust, 0)
        i = np.searchsorted(keys, (c << 32) + (np.asarray(days, dtype="int64") + _SHIFT), side="right") - 1
        return np.where(known & (i >= offsets[c]), i, -1)


_SHIFT = 1 << 30   # days since 1970 made non-negative for the composite key
