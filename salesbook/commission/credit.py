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
from .money import PPM, mul_ppm, ppm_of, to_fen, to_ppm

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


def channel_of(staff: pd.DataFrame) -> pd.Series:
    """工号 → 渠道, blank = 内销 (domain.md §2)."""
    return staff.set_index("staff_id")["channel"].where(lambda s: s.notna(), "内销")


def contract_shares(contracts: pd.DataFrame, staff: pd.DataFrame, visits: pd.DataFrame,
                    protection_days: int, split_ratio: float, seen) -> tuple[pd.DataFrame, list[Finding]]:
    """Shares of each contract, indexed by 合同编号.

    Columns: signer_id, other_id (None = signer alone), other_ppm, rule (SOLO/COLLAB/SPLIT),
    visit_on (the 外销 owner's qualifying visit, for the 依据 text), _row.
    seen (owner_lookup(owner_on)) is asked only for contracts that could qualify for 70/30: signer 内销, no
    collaborator, and some 外销 person other than the signer visited the customer within the
    protection window before signing. The answer must name that visitor as the owner.
    """
    findings: list[Finding] = []
    c = contracts[["contract_id", "customer_id", "signer_id", "collaborator_id", "collab_share",
                   "signed_on", "_row"]].copy()
    channel = channel_of(staff)
    has_collab = c["collaborator_id"].notna().to_numpy()
    share = c["collab_share"].where(c["collab_share"].notna(), DEFAULT_COLLAB_SHARE)
    bad = has_collab & ~share.between(0, 1).to_numpy()
    for r, cid, v in zip(c["_row"][bad], c["contract_id"][bad], c["collab_share"][bad]):
        findings.append(error(
            "contracts", int(r), "collab_share", v,
            f"合同 {cid} 的协作比例「{v}」不在 0 到 1 之间, 无法分业绩(暂按 0~1 截断计算)",
            "把协作比例改成 0 到 1 之间的小数或百分数, 如 0.5 或 50%",
            f"Contract {cid}: collaborator share {v} is not between 0 and 1 (clipped)",
            "Type a share between 0 and 1, e.g. 0.5 or 50%"))
    share = share.clip(0, 1)
    other_id = c["collaborator_id"].where(has_collab, None).astype("object")
    other_ppm = np.where(has_collab, to_ppm(share), 0).astype("int64")
    rule = np.where(has_collab, COLLAB, SOLO).astype("object")
    collab_default = has_collab & c["collab_share"].isna().to_numpy()
    visit_on = pd.Series(pd.NaT, index=c.index, dtype="datetime64[ns]")

    # 70/30 candidates, vectorised: 内销 signer, no collaborator, a 外销 visitor in the window.
    signer_channel = c["signer_id"].map(channel).fillna("内销")
    cand = c[(~has_collab) & (signer_channel == "内销").to_numpy()]
    if len(cand) and len(visits):
        v = visits[["customer_id", "staff_id", "date"]]
        v = v[v["staff_id"].map(channel).to_numpy() == "外销"]
        pairs = cand[["contract_id", "customer_id", "signer_id", "signed_on"]].reset_index().merge(
            v, on="customer_id")
        window = pd.Timedelta(days=int(protection_days))
        pairs = pairs[(pairs["date"] <= pairs["signed_on"]) & (pairs["date"] >= pairs["signed_on"] - window)
                      & (pairs["staff_id"] != pairs["signer_id"])]
        if len(pairs):
            # latest qualifying visit per (contract, visitor): the one the 依据 text cites
            last = pairs.groupby(["index", "staff_id"], sort=True)["date"].max()
            by_contract: dict = {}
            for (i, visitor), when in last.items():
                by_contract.setdefault(i, {})[visitor] = when
            ppm = ppm_of(split_ratio)
            for i, visitors in by_contract.items():
                owner = seen(c.at[i, "customer_id"], c.at[i, "signed_on"].date()).owner_id
                if owner in visitors:
                    other_id.at[i] = owner
                    other_ppm[c.index.get_loc(i)] = ppm
                    rule[c.index.get_loc(i)] = SPLIT
                    visit_on.at[i] = visitors[owner]
    out = pd.DataFrame({
        "contract_id": c["contract_id"].to_numpy(), "customer_id": c["customer_id"].to_numpy(),
        "signer_id": c["signer_id"].to_numpy(), "other_id": other_id.to_numpy(),
        "other_ppm": other_ppm, "rule": rule, "collab_default": collab_default, "visit_on": visit_on.to_numpy(),
        "signed_on": c["signed_on"].to_numpy(), "_row": c["_row"].to_numpy(),
    })
    return out.set_index("contract_id", drop=False), findings


def credit_rows(docs: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """One row per document share. docs: doc_pos, contract_id, amount_fen (+ anything).

    Returns doc_pos, staff_id, share_ppm, credited_fen, part ('signer' / 'other').
    """
    sh = shares.loc[docs["contract_id"].to_numpy()]
    amount = docs["amount_fen"].to_numpy(dtype="int64")
    other_ppm = sh["other_ppm"].to_numpy(dtype="int64")
    other_part = mul_ppm(amount, other_ppm)
    pos = docs["doc_pos"].to_numpy()
    signer = pd.DataFrame({"doc_pos": pos, "staff_id": sh["signer_id"].to_numpy(),
                           "share_ppm": PPM - other_ppm, "credited_fen": amount - other_part,
                           "part": "signer"})
    has_other = sh["other_id"].notna().to_numpy()
    other = pd.DataFrame({"doc_pos": pos[has_other], "staff_id": sh["other_id"].to_numpy()[has_other],
                          "share_ppm": other_ppm[has_other], "credited_fen": other_part[has_other],
                          "part": "other"})
    return pd.concat([signer, other], ignore_index=True)


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


__all__ = ["SOLO", "COLLAB", "SPLIT", "contract_shares", "credit_rows", "owner_lookup",
           "month_index", "month_number", "month_label", "channel_of", "to_fen"]
