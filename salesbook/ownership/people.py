"""Who can hold customers when: employment windows of the 人员 rows and the 值班 roster."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .days import FAR_FUTURE, FAR_PAST, day_array


@dataclass(frozen=True)
class People:
    """Staff as integer indexes. A person is employed on days first_day..last_day (both in).

    last_day = 离职日期; for 状态 离职 without a 离职日期 the day before as_of (history is
    kept, but on as_of they are gone and their customers are in the pool).
    """
    ids: tuple[str, ...]
    names: tuple[str, ...]
    channels: tuple[str, ...]            # blank = 内销 (domain.md §2)
    first_day: tuple[int, ...]
    last_day: tuple[int, ...]
    leave_dated: tuple[bool, ...]        # False: last_day was inferred (状态 离职, no 离职日期)
    rows: tuple[int, ...]                # Excel row of each person
    index: dict                          # 工号 -> index

    def employed(self, p: int, day: int) -> bool:
        return self.first_day[p] <= day <= self.last_day[p]

    def label(self, p: int) -> str:
        """张三(S001), as people read it."""
        name = self.names[p]
        return f"{name}({self.ids[p]})" if name and name != self.ids[p] else self.ids[p]

    def indexer(self, ids) -> np.ndarray:
        """工号 values → indexes, -1 for blank or unknown."""
        return pd.Index(list(self.ids), dtype="object").get_indexer(pd.Series(ids, dtype="object"))


def people_of(staff: pd.DataFrame, as_of_day: int) -> People:
    staff = staff[staff["staff_id"].notna()].drop_duplicates("staff_id", keep="first")
    first = day_array(staff["hire_date"], FAR_PAST)
    leave = day_array(staff["leave_date"], FAR_FUTURE)
    dated = leave != FAR_FUTURE
    gone = (staff["status"] == "离职").to_numpy() & ~dated
    last = np.where(gone, as_of_day - 1, leave)
    ids = tuple(str(x) for x in staff["staff_id"])
    names = tuple("" if pd.isna(n) else str(n) for n in staff["name"])
    channels = tuple("内销" if pd.isna(c) else str(c) for c in staff["channel"])
    return People(ids, names, channels, tuple(int(x) for x in first), tuple(int(x) for x in last),
                  tuple(bool(x) for x in ~gone), tuple(int(r) for r in staff["_row"]),
                  {sid: i for i, sid in enumerate(ids)})


def roster_by_day(roster: pd.DataFrame, people: People) -> dict[int, tuple[int, ...]]:
    """Day → rotation candidates (§5.2): that day's 值班 rows by 顺序 (blank last), then row
    order; known people employed on that day only (状态 离职 without 离职日期: never — we
    cannot tell when they were 在职); a person listed twice counts once."""
    if not len(roster):
        return {}
    day = day_array(roster["date"])
    who = people.indexer(roster["staff_id"])
    order = roster["order"].to_numpy(dtype="float64")
    blank = np.isnan(order)
    rows = roster["_row"].to_numpy(dtype="int64")
    keep = who >= 0
    first = np.array(people.first_day, dtype="int64")
    last = np.array(people.last_day, dtype="int64")
    dated = np.array(people.leave_dated, dtype=bool)
    w = who[keep]
    keep[keep] = (first[w] <= day[keep]) & (day[keep] <= last[w]) & dated[w]
    idx = np.flatnonzero(keep)
    idx = idx[np.lexsort((rows[idx], np.where(blank[idx], 0.0, order[idx]), blank[idx], day[idx]))]
    out: dict[int, list[int]] = {}
    for d, p in zip(day[idx].tolist(), who[idx].tolist()):
        lst = out.setdefault(d, [])
        if p not in lst:
            lst.append(p)
    return {d: tuple(lst) for d, lst in out.items()}


def next_on_duty(candidates: tuple[int, ...], pointer: int) -> int:
    """§5.2: the candidate right after the pointer (cyclic); pointer absent → the first."""
    if not candidates:
        return -1
    try:
        i = candidates.index(pointer)
    except ValueError:
        return candidates[0]
    return candidates[(i + 1) % len(candidates)]
