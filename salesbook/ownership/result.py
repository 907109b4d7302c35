"""Ownership: the replay's answer — 客户归属 on as_of, 归属记录, findings, and owner_on(T)."""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import contract as K
from ..findings import Finding, sort_findings
from .days import date_of, day_array, day_of, timestamps
from .inputs import Inputs
from .replay import (B_CAP, B_COOLDOWN, EV_CLAIM, NO_ONE, Timeline)
from .texts import Words, detail, findings_of, left_undated_findings

OWNED, POOL = "归属中", "公海"
LOG_COLUMNS = K.OWNERSHIP_LOG.keys()


@dataclass(frozen=True)
class OwnerAt:
    """Who owned a customer on a day, and why (the end of that day counts)."""
    owner_id: str
    owner_name: str
    basis: str                   # 指定 / 转介绍 / 轮客 / 登记 / 撞单 / 公海领取 / 调整
    since: dt.date               # start of this ownership
    protected_until: dt.date     # protection end as known at the end of that day


def natural_key(text: str):
    """K2 before K10: digit runs compare as numbers."""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text))


def natural_order(ids: list) -> list[int]:
    """Indexes of `ids` in natural order. Fast path: ids of one shape (same length, digits in
    the same places, e.g. K000123) sort the same as plain text."""
    s = pd.Series(ids, dtype="object")
    if len(s) and s.str.replace(r"\d", "0", regex=True).nunique() == 1:
        return np.argsort(s.to_numpy(dtype=object), kind="stable").tolist()
    return sorted(range(len(ids)), key=lambda c: natural_key(ids[c]))


class Ownership:
    """Immutable result of compute(). Frames are copies: changing them changes nothing here."""

    def __init__(self, inp: Inputs, tl: Timeline):
        self._inp, self._tl = inp, tl
        self.as_of = date_of(inp.as_of_day)
        C = inp.customers
        self._rank = natural_order(C.ids)
        self._words = w = Words(inp)
        found = findings_of(tl, w) + left_undated_findings(tl, w)
        self._findings = tuple(sort_findings(found))
        self._expiring: dict[int, pd.DataFrame] = {}

    # --- the sheets (built on first use: validate and commission never need them) ---

    @functools.cached_property
    def _state(self) -> pd.DataFrame:
        return self._state_frame()

    @functools.cached_property
    def _log(self) -> pd.DataFrame:
        return self._log_frame(self._words)

    @property
    def state(self) -> pd.DataFrame:
        """客户归属 on as_of (contract.OWNERSHIP keys), one row per customer registered by then."""
        return self._state.copy()

    @property
    def log(self) -> pd.DataFrame:
        """归属记录 up to as_of (contract.OWNERSHIP_LOG keys), by customer, date, sequence."""
        return self._log[LOG_COLUMNS].copy()

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def _state_frame(self) -> pd.DataFrame:
        inp, tl = self._inp, self._tl
        P, C = inp.people, inp.customers
        order = self._rank
        owner = [tl.owner[c] for c in order]
        return pd.DataFrame({k: _column(v) for k, v in {
            "customer_id": [C.ids[c] for c in order],
            "customer_name": [C.names[c] for c in order],
            "owner_id": [P.ids[p] if p >= 0 else None for p in owner],
            "owner_name": [P.names[p] if p >= 0 else None for p in owner],
            "basis": [tl.basis[c] for c in order],
            "since": timestamps([tl.since[c] for c in order]),
            "protected_until": timestamps([tl.until[c] for c in order]),
            "state": [OWNED if p >= 0 else POOL for p in owner],
            "duplicate_of": [C.ids[inp.duplicates[c].original] if c in inp.duplicates else None for c in order],
        }.items()})

    @property
    def journal(self) -> pd.DataFrame:
        """归属记录 in the order the replay applied it (seq), with the person who acted
        (actor_id: registrant, visitor of a claim or refused claim, approver): for reports
        of a day's changes and for checking the cap over time."""
        j = self._log.sort_values("seq", kind="stable").reset_index(drop=True)
        return j[["seq", "actor_id"] + LOG_COLUMNS]

    def _log_frame(self, w: Words) -> pd.DataFrame:
        P, C = self._inp.people, self._inp.customers
        rank = np.empty(len(C.ids), dtype="int64")
        rank[self._rank] = np.arange(len(C.ids))
        log = self._tl.log
        cust = np.fromiter((e.cust for e in log), dtype="int64", count=len(log))
        day = np.fromiter((e.day for e in log), dtype="int64", count=len(log))
        seq = np.fromiter((e.seq for e in log), dtype="int64", count=len(log))
        entries = [log[i] for i in np.lexsort((seq, day, rank[cust])).tolist()]
        return pd.DataFrame({k: _column(v) for k, v in {
            "customer_id": [C.ids[e.cust] for e in entries],
            "date": timestamps([e.day for e in entries]),
            "event": [e.event for e in entries],
            "old_owner_id": [P.ids[e.old] if e.old >= 0 else None for e in entries],
            "new_owner_id": [P.ids[e.new] if e.new >= 0 else None for e in entries],
            "basis": [e.basis for e in entries],
            "detail": [detail(e, w) for e in entries],
            "seq": np.array([e.seq for e in entries], dtype="int64"),
            "actor_id": [P.ids[e.actor] if e.actor >= 0 else None for e in entries],
        }.items()})

    # --- questions ----------------------------------------------------------------

    def owner_on(self, customer_id: str, when) -> OwnerAt | None:
        """Owner of `customer_id` at the end of day `when` (≤ as_of); None = in the pool or
        not registered yet (or unknown). O(log changes of that customer)."""
        c = self._inp.customers.index.get(customer_id)
        if c is None:
            return None
        d = day_of(when)
        if d > self._inp.as_of_day:
            raise ValueError(f"owner_on({customer_id!r}, {when}) asks about a day after as_of {self.as_of}")
        sp, pr = self._tl.spells, self._tl.protection
        i = sp.at(c, d)
        if i < 0:
            return None
        p = sp.columns[0][i]
        if p == NO_ONE:
            return None
        j = pr.at(c, d)
        P = self._inp.people
        return OwnerAt(P.ids[p], P.names[p], sp.columns[1][i], date_of(sp.days[i]), date_of(pr.columns[0][j]))

    def expiring(self, within_days: int | None = None) -> pd.DataFrame:
        """Owned customers whose protection ends within `within_days` (default 到期预警天数)
        after as_of (0 = ends on as_of), by owner then date."""
        n = self._inp.rules.warn_days if within_days is None else int(within_days)
        if n not in self._expiring:     # a daily run asks once per person
            self._expiring[n] = self._expiring_frame(n)
        return self._expiring[n].copy()

    def _expiring_frame(self, n: int) -> pd.DataFrame:
        s = self._state[self._state["state"] == OWNED]
        left = (day_array(s["protected_until"]) - self._inp.as_of_day)
        s = s[(left >= 0) & (left <= n)].assign(days_left=left[(left >= 0) & (left <= n)])
        s = s[["owner_id", "owner_name", "customer_id", "customer_name", "protected_until", "days_left"]]
        key = s["customer_id"].map(natural_key)
        s = s.assign(_k=key).sort_values(["owner_id", "protected_until", "_k"], kind="stable")
        return s.drop(columns="_k").reset_index(drop=True)

    def counts(self) -> dict[str, int]:
        """The figures of the summary, taken from the sheets themselves."""
        st, lg = self._state, self._log
        return {
            "customers": len(st),
            "owned": int((st["state"] == OWNED).sum()),
            "pool": int((st["state"] == POOL).sum()),
            "duplicates": int(st["duplicate_of"].notna().sum()),
            "claims": int((lg["event"] == EV_CLAIM).sum()),
            "refused_cap": int((lg["basis"] == B_CAP).sum()),
            "refused_cooldown": int((lg["basis"] == B_COOLDOWN).sum()),
            "changes": len(lg),
        }

    def summary_lines(self, lang: str = "zh") -> list[str]:
        k = self.counts()
        exp = self.expiring()
        n = self._inp.rules.warn_days
        per_owner = exp.groupby("owner_id", sort=True).agg(
            name=("owner_name", "first"), count=("customer_id", "size"), first=("protected_until", "min"))
        if lang == "en":
            lines = [
                f"Ownership on {self.as_of}: {k['customers']} customers, {k['owned']} owned, {k['pool']} in "
                f"the public pool, {k['duplicates']} duplicates",
                f"{k['changes']} changes logged; {k['claims']} pool claims; {k['refused_cap'] + k['refused_cooldown']} "
                f"refused (cap {k['refused_cap']}, cooldown {k['refused_cooldown']})",
                f"Protection ending within {n} days: {len(exp)} customers"]
            lines += [f"  {sid} {r['name'] or ''}: {r['count']} (first {r['first'].date()})"
                      for sid, r in per_owner.iterrows()]
            return lines
        lines = [
            f"客户归属(截至 {self.as_of}): 客户 {k['customers']} 个, 归属中 {k['owned']} 个, "
            f"公海 {k['pool']} 个, 撞单 {k['duplicates']} 个",
            f"归属记录 {k['changes']} 条; 公海领取 {k['claims']} 次; 拒绝 {k['refused_cap'] + k['refused_cooldown']} 次"
            f"(超出上限 {k['refused_cap']}, 冷却期 {k['refused_cooldown']})",
            f"保护期 {n} 天内到期: {len(exp)} 个客户"]
        lines += [f"  {r['name'] or sid}({sid}): {r['count']} 个, 最早 {r['first'].date()} 到期"
                  for sid, r in per_owner.iterrows()]
        return lines

    # --- contracts (domain.md §4, §6.1) -------------------------------------------

    def owners_on(self, customer_ids, dates) -> pd.DataFrame:
        """owner_on for many (customer, date) pairs at once, vectorised (e.g. every contract).
        Columns owner_id, basis, since, protected_until; blank where in the pool / unknown."""
        c = self._cust_index(customer_ids)
        d = day_array(pd.Series(dates).astype("datetime64[ns]"))
        if len(d) and d.max() > self._inp.as_of_day:
            raise ValueError(f"owners_on asks about days after as_of {self.as_of}")
        sp, pr = self._tl.spells, self._tl.protection
        i = sp.at_many(c, d)
        owner = np.full(len(c), NO_ONE, dtype="int64")
        has = i >= 0
        owner[has] = np.asarray(sp.columns[0], dtype="int64")[i[has]]
        owned = owner >= 0
        j = pr.at_many(np.where(owned, c, -1), d)
        ids = np.asarray(self._inp.people.ids + ("",), dtype=object)
        basis = np.asarray(sp.columns[1] + [None], dtype=object)
        since = np.asarray(sp.days + [0], dtype="int64")
        until = np.asarray(pr.columns[0] + [0], dtype="int64")
        return pd.DataFrame({
            "owner_id": np.where(owned, ids[owner], None),
            "basis": np.where(owned, basis[i], None),
            "since": _dates(np.where(owned, since[i], -1), owned),
            "protected_until": _dates(np.where(owned, until[j], -1), owned),
        })

    def person_label(self, staff_id: str) -> str:
        """张三(S001) for a known 工号, the 工号 itself otherwise."""
        P = self._inp.people
        p = P.index.get(staff_id)
        return P.label(p) if p is not None else str(staff_id)

    def _cust_index(self, ids) -> np.ndarray:
        return pd.Index(self._inp.customers.ids, dtype="object").get_indexer(pd.Series(ids, dtype="object"))


def _column(values):
    """Text lists stay plain object columns (blank = None): building Arrow strings for
    ~10⁵ log rows costs more than the rest of the frame."""
    return pd.Series(values, dtype=object) if isinstance(values, list) else values


def _dates(days: np.ndarray, present: np.ndarray) -> np.ndarray:
    out = days.astype("datetime64[D]").astype("datetime64[ns]")
    out[~present] = np.datetime64("NaT")
    return out
