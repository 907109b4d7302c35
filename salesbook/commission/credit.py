"""Credit shares of contracts (domain.md §6.1) and the credited rows of documents.

A contract's credit goes to at most two people: the signer and one "other" person
(the collaborator, or the 外销 owner under the 70/30 rule). The other's part of any
document amount is rounded half-up to the fen and the signer gets the rest, so the
parts of a document always add up to the document exactly.

Payments inherit the shares of their contract: the split is fixed at signing (the
owner on the signing date), however late the money comes in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..findings import Finding, error
from ..domain.money import PPM, mul_ppm, ppm_of, to_ppm

SOLO, COLLAB, SPLIT = "solo", "collab", "split"   # rule behind a contract's shares
DEFAULT_COLLAB_SHARE = 0.5                           # §6.1: blank 协作比例 = 0.5


@dataclass(frozen=True)
class OwnerSeen:
    """What owner_on said about a contract's customer on its signing date."""
    owner_id: str | None
    basis: str | None


def month_index(values) -> np.ndarray:
    """datetime64 → year*12 + month-1 (NaT → -1), a cheap sortable month number."""
    s = pd.Series(values)
    idx = s.dt.year * 12 + s.dt.month - 1
    return idx.fillna(-1).astype("int64").to_numpy()


def month_number(month: str) -> int:
    y, m = (int(x) for x in month.split("-"))
    return y * 12 + m - 1


def month_label(idx: int) -> str:
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def obj(values) -> np.ndarray:
    """A text column as a numpy object array (None for blanks). pandas 3 keeps text in
    arrow strings, whose per-element access and isin are slow; hashing Python str is not."""
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=object, na_value=None)
    return np.asarray(values, dtype=object)


@dataclass(frozen=True)
class Shares:
    """Credit shares of contracts, as parallel numpy arrays (position = contract)."""
    contract_id: np.ndarray     # object
    customer_id: np.ndarray     # object
    signer_id: np.ndarray       # object
    other_id: np.ndarray        # object, None = signer alone
    other_ppm: np.ndarray       # int64
    rule: np.ndarray            # object: SOLO / COLLAB / SPLIT
    collab_default: np.ndarray  # bool: 协作比例 left blank
    visit_on: np.ndarray        # datetime64: the 外销 owner's qualifying visit
    signed_on: np.ndarray       # datetime64
    row: np.ndarray             # int64 Excel row
    pos: dict                   # 合同编号 → position

    def positions(self, contract_ids) -> np.ndarray:
        get = self.pos.get
        return np.fromiter((get(c, -1) for c in contract_ids), dtype="int64", count=len(contract_ids))

    def record(self, i: int) -> dict:
        return {k: getattr(self, k)[i] for k in ("contract_id", "customer_id", "signer_id", "other_id", "other_ppm",
                                                 "rule", "collab_default", "visit_on", "signed_on", "row")}


def contract_shares(contracts: pd.DataFrame, staff: pd.DataFrame, visits: pd.DataFrame,
                    protection_days: int, split_ratio: float, seen) -> tuple[Shares, list[Finding]]:
    """Shares of each contract.

    seen (owner_lookup(owner_on)) is asked only for contracts that could qualify for 70/30:
    signer 内销, no collaborator, and some 外销 person other than the signer visited the
    customer on a day in [签约日 − protection_days, 签约日]. The owner it names must be
    one of those visitors.
    """
    findings: list[Finding] = []
    cid, cust = obj(contracts["contract_id"]), obj(contracts["customer_id"])
    signer, collab = obj(contracts["signer_id"]), obj(contracts["collaborator_id"])
    signed_on = contracts["signed_on"].to_numpy(dtype="datetime64[ns]")
    rows = contracts["_row"].to_numpy(dtype="int64")
    raw_share = contracts["collab_share"].to_numpy(dtype="float64")
    has_collab = np.array([c is not None for c in collab], dtype=bool)
    share = np.where(np.isnan(raw_share), DEFAULT_COLLAB_SHARE, raw_share)
    bad = has_collab & ((share < 0) | (share > 1))
    for r, c, v in zip(rows[bad], cid[bad], raw_share[bad]):
        findings.append(error(
            "contracts", int(r), "collab_share", v,
            f"合同 {c} 的协作比例「{v:g}」不在 0 到 1 之间, 无法分业绩(暂按 0~1 截断计算)",
            "把协作比例改成 0 到 1 之间的小数或百分数, 如 0.5 或 50%",
            f"Contract {c}: collaborator share {v:g} is not between 0 and 1 (clipped)",
            "Type a share between 0 and 1, e.g. 0.5 or 50%"))
    share = np.clip(share, 0, 1)
    other_id = np.where(has_collab, collab, None).astype(object)
    other_ppm = np.where(has_collab, to_ppm(share), 0).astype("int64")
    rule = np.where(has_collab, COLLAB, SOLO).astype(object)
    collab_default = has_collab & np.isnan(raw_share)
    visit_on = np.full(len(cid), np.datetime64("NaT"), dtype="datetime64[ns]")

    # 70/30 candidates, vectorised: 内销 signer, no collaborator, a 外销 visitor in the window.
    channel = dict(zip(obj(staff["staff_id"]), obj(staff["channel"])))
    inner = np.array([channel.get(s) in (None, "内销") for s in signer], dtype=bool)
    cand = np.flatnonzero(~has_collab & inner)
    if len(cand) and len(visits):
        # factorize instead of per-row lookups: 200k visits, a few hundred people
        codes, uniques = pd.factorize(visits["staff_id"])
        outer_u = np.array([channel.get(u) == "外销" for u in uniques] + [False], dtype=bool)
        outer = np.flatnonzero(outer_u[codes])   # code -1 (blank) → the trailing False
        v = pd.DataFrame({"customer_id": obj(visits["customer_id"].take(outer)),
                          "visitor": np.asarray(uniques, dtype=object)[codes[outer]],
                          "date": visits["date"].to_numpy(dtype="datetime64[ns]")[outer]})
        c = pd.DataFrame({"i": cand, "customer_id": pd.Series(cust[cand], dtype=object),
                          "signer": pd.Series(signer[cand], dtype=object), "signed_on": signed_on[cand]})
        pairs = c.merge(v, on="customer_id")
        window = np.timedelta64(int(protection_days), "D")
        keep = ((pairs["date"] <= pairs["signed_on"]) & (pairs["date"] >= pairs["signed_on"] - window)
                & (pairs["visitor"] != pairs["signer"])).to_numpy()
        pairs = pairs[keep]
        if len(pairs):
            # latest qualifying visit per (contract, visitor): the one the 依据 text cites
            last = pairs.groupby(["i", "visitor"], sort=True)["date"].max()
            by_contract: dict = {}
            for (i, visitor), when in zip(last.index, last.to_numpy()):
                by_contract.setdefault(int(i), {})[visitor] = when
            ppm = ppm_of(split_ratio)
            for i, visitors in by_contract.items():
                owner = seen(cust[i], pd.Timestamp(signed_on[i]).date()).owner_id
                if owner in visitors:
                    other_id[i], other_ppm[i], rule[i], visit_on[i] = owner, ppm, SPLIT, visitors[owner]
    return Shares(cid, cust, signer, other_id, other_ppm, rule, collab_default, visit_on, signed_on, rows,
                  {c: i for i, c in enumerate(cid)}), findings


def credit_rows(pos: np.ndarray, amount_fen: np.ndarray, shares: Shares) -> pd.DataFrame:
    """One row per document share. pos: each document's contract position in shares.

    Returns doc (document position), staff_id, share_ppm, credited_fen, part ('signer'/'other').
    """
    other_ppm = shares.other_ppm[pos]
    other_part = mul_ppm(amount_fen.astype("int64"), other_ppm)
    doc = np.arange(len(pos))
    other = shares.other_id[pos]
    has_other = np.array([o is not None for o in other], dtype=bool)
    return pd.DataFrame({
        "doc": np.concatenate([doc, doc[has_other]]),
        "staff_id": pd.Series(np.concatenate([shares.signer_id[pos], other[has_other]]), dtype=object),
        "share_ppm": np.concatenate([PPM - other_ppm, other_ppm[has_other]]),
        "credited_fen": np.concatenate([amount_fen - other_part, other_part[has_other]]),
        "part": pd.Series(["signer"] * len(pos) + ["other"] * int(has_other.sum()), dtype=object),
    })


def owner_lookup(owner_on):
    """owner_on with a per-run cache: each (customer, date) is asked once."""
    cache: dict = {}

    def seen(customer_id: str, when: dt.date) -> OwnerSeen:
        key = (customer_id, when)
        if key not in cache:
            o = owner_on(customer_id, when)
            cache[key] = OwnerSeen(getattr(o, "owner_id", None) if o is not None else None,
                                   getattr(o, "basis", None) if o is not None else None)
        return cache[key]

    return seen


__all__ = ["SOLO", "COLLAB", "SPLIT", "Shares", "contract_shares", "credit_rows", "owner_lookup",
           "month_index", "month_number", "month_label", "obj"]
