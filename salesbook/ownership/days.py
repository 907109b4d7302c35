"""Days as integers (days since 1970-01-01): the engine's only clock unit.

Integers sort, compare and add fast in the replay loop; dates are made again only
for the output frames and the answers of owner_on.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

EPOCH = dt.date(1970, 1, 1).toordinal()
NS_PER_DAY = 86_400 * 10**9
FAR_FUTURE = 10**7      # a day after any real date (year ~29000)
FAR_PAST = -(10**7)


def day_of(when) -> int:
    """A date / datetime / Timestamp as a day number (the time of day is dropped)."""
    if isinstance(when, pd.Timestamp):
        when = when.to_pydatetime()
    if isinstance(when, dt.datetime):
        when = when.date()
    return when.toordinal() - EPOCH


def date_of(day: int) -> dt.date:
    return dt.date.fromordinal(int(day) + EPOCH)


def day_array(values, missing: int = FAR_PAST) -> np.ndarray:
    """datetime64 column → int64 day numbers; NaT → `missing`."""
    v = pd.Series(values).to_numpy(dtype="datetime64[ns]")
    nat = np.isnat(v)
    out = v.astype("datetime64[D]").astype("int64")
    out[nat] = missing
    return out


def day_and_time(values) -> tuple[np.ndarray, np.ndarray]:
    """datetime64 column → (day numbers, nanoseconds into the day); NaT → (FAR_PAST, 0)."""
    v = pd.Series(values).to_numpy(dtype="datetime64[ns]")
    nat = np.isnat(v)
    ns = v.astype("int64")
    day = ns // NS_PER_DAY
    tod = ns - day * NS_PER_DAY
    day[nat] = FAR_PAST
    tod[nat] = 0
    return day, tod


def timestamps(days) -> np.ndarray:
    """Day numbers (None = blank) → datetime64[ns] for output frames."""
    arr = np.array([FAR_PAST if d is None else d for d in days], dtype="int64")
    out = arr.astype("datetime64[D]").astype("datetime64[ns]")
    out[arr == FAR_PAST] = np.datetime64("NaT")
    return out
