"""The input tables as plain integer arrays, in the one global order the replay follows."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..tables.parse import empty_table
from .. import contract as K
from ..domain.documents import contract_counts
from .days import FAR_PAST, day_and_time, day_array, day_of
from .duplicates import find_duplicates, name_keys, phone_keys
from .people import People, people_of, roster_by_day

# Phases of one day (§5 and our decisions): falls to the pool happen at the start of the
# day (the day after expiry), then registrations by time, overrides, visits, contracts.
REGISTRATION, OVERRIDE, VISIT, DEAL = 0, 1, 2, 3


@dataclass(frozen=True)
class Rules:
    protection_days: int   # 客户保护期天数
    deal_days: int         # 成交客户保护期天数
    cap: int               # 每人私有客户上限
    cooldown_days: int     # 前归属人冷却天数
    warn_days: int         # 到期预警天数

    @classmethod
    def of(cls, settings) -> "Rules":
        return cls(settings.protection_days, settings.deal_protection_days, settings.private_cap,
                   settings.cooldown_days, settings.expiry_warning_days)


@dataclass(frozen=True)
class Customers:
    """Customers registered on or before as_of, as parallel lists indexed by customer index."""
    ids: list
    names: list
    rows: list
    reg_day: list
    source: list
    registered_by: list     # person index, -1 unknown
    designated: list        # person index, -1 none / unknown
    referrer: list          # customer index, -1 none / unknown / not registered by as_of
    phone_text: list
    order: list             # customer indexes in registration order (time, then row)
    index: dict             # 客户编号 -> index


@dataclass(frozen=True)
class Inputs:
    as_of_day: int
    rules: Rules
    people: People
    roster: dict
    customers: Customers
    duplicates: dict        # customer index -> Duplicate
    visits: pd.DataFrame    # day, staff (index), cust (index), row — known people and customers, ≤ as_of
    deals: pd.DataFrame     # day, cust — approved, not cancelled contracts, ≤ as_of
    overrides: pd.DataFrame  # day, cust, new_owner, approver, reason, row — ≤ as_of
    events: tuple           # (kind list, ref list, day list) in replay order


def _table(tables: dict, key: str) -> pd.DataFrame:
    t = tables.get(key)
    return t if t is not None else empty_table(K.SHEETS[key])


def prepare(tables: dict, settings, as_of) -> Inputs:
    as_of_day = day_of(as_of)
    rules = Rules.of(settings)
    people = people_of(_table(tables, "staff"), as_of_day)
    roster = roster_by_day(_table(tables, "roster"), people)
    customers, reg_tod = _customers(_table(tables, "customers"), people, as_of_day)
    cindex = pd.Index(customers.ids, dtype="object")

    v = _table(tables, "visits")
    visits = pd.DataFrame({"day": day_array(v["date"]), "staff": people.indexer(v["staff_id"]),
                           "cust": cindex.get_indexer(pd.Series(v["customer_id"], dtype="object")),
                           "row": v["_row"].to_numpy(dtype="int64")})
    visits = visits[(visits["staff"] >= 0) & (visits["cust"] >= 0) & (visits["day"] > FAR_PAST)
                    & (visits["day"] <= as_of_day)].reset_index(drop=True)

    c = _table(tables, "contracts")
    ok = contract_counts(c)
    deals = pd.DataFrame({"day": day_array(c["signed_on"]),
                          "cust": cindex.get_indexer(pd.Series(c["customer_id"], dtype="object")),
                          "row": c["_row"].to_numpy(dtype="int64")})[ok]
    deals = deals[(deals["cust"] >= 0) & (deals["day"] > FAR_PAST) & (deals["day"] <= as_of_day)]
    deals = deals.reset_index(drop=True)

    o = _table(tables, "overrides")
    overrides = pd.DataFrame({
        "day": day_array(o["effective"]), "cust": cindex.get_indexer(pd.Series(o["customer_id"], dtype="object")),
        "new_owner": people.indexer(o["new_owner_id"]), "approver": people.indexer(o["approver_id"]),
        "reason": pd.Series(o["reason"], dtype="object").where(o["reason"].notna(), "").to_numpy(),
        "new_owner_id": pd.Series(o["new_owner_id"], dtype="object").to_numpy(),
        "customer_id": pd.Series(o["customer_id"], dtype="object").to_numpy(),
        "row": o["_row"].to_numpy(dtype="int64")})
    overrides = overrides[(overrides["day"] > FAR_PAST) & (overrides["day"] <= as_of_day)
                          & overrides["customer_id"].notna().to_numpy()].reset_index(drop=True)

    n = len(customers.ids)
    dups = find_duplicates(customers.order, phone_keys(customers.phone_text), name_keys(customers.names),
                           customers.phone_text, customers.names)
    events = _order_events(customers, reg_tod, overrides, visits, deals, n)
    return Inputs(as_of_day, rules, people, roster, customers, dups, visits, deals, overrides, events)


def _customers(t: pd.DataFrame, people: People, as_of_day: int) -> tuple[Customers, np.ndarray]:
    t = t[t["customer_id"].notna()].drop_duplicates("customer_id", keep="first")
    day, tod = day_and_time(t["registered_at"])
    keep = (day > FAR_PAST) & (day <= as_of_day)
    t, day, tod = t[keep], day[keep], tod[keep]
    ids = t["customer_id"].to_numpy(dtype=object).tolist()
    index = {cid: i for i, cid in enumerate(ids)}
    rows = t["_row"].to_numpy(dtype="int64")
    ref = pd.Index(ids, dtype="object").get_indexer(pd.Series(t["referrer_id"], dtype="object"))
    order = np.lexsort((rows, tod, day)).tolist()

    def texts(col):
        v = t[col].to_numpy(dtype=object, na_value=None)
        return v.tolist()

    cust = Customers(
        ids=ids, names=texts("customer_name"), rows=rows.tolist(), reg_day=day.tolist(),
        source=texts("source"), registered_by=people.indexer(t["registered_by"]).tolist(),
        designated=people.indexer(t["designated_id"]).tolist(), referrer=ref.tolist(),
        phone_text=texts("phone"), order=order, index=index)
    return cust, tod


def _order_events(customers: Customers, reg_tod, overrides, visits, deals, n) -> tuple:
    """All events sorted by (day, phase, time of day, Excel row): lists for the replay loop."""
    kinds = [np.full(n, REGISTRATION), np.full(len(overrides), OVERRIDE), np.full(len(visits), VISIT),
             np.full(len(deals), DEAL)]
    refs = [np.arange(n), np.arange(len(overrides)), np.arange(len(visits)), np.arange(len(deals))]
    days = [np.asarray(customers.reg_day, dtype="int64"), overrides["day"].to_numpy("int64"),
            visits["day"].to_numpy("int64"), deals["day"].to_numpy("int64")]
    tods = [np.asarray(reg_tod, dtype="int64"), np.zeros(len(overrides), "int64"),
            np.zeros(len(visits), "int64"), np.zeros(len(deals), "int64")]
    rows = [np.asarray(customers.rows, dtype="int64"), overrides["row"].to_numpy("int64"),
            visits["row"].to_numpy("int64"), deals["row"].to_numpy("int64")]
    kind, ref, day, tod, row = (np.concatenate(x) for x in (kinds, refs, days, tods, rows))
    idx = np.lexsort((row, tod, kind, day))
    return kind[idx].tolist(), ref[idx].tolist(), day[idx].tolist()
