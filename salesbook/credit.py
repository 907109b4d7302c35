"""Credit shares of contracts (domain.md §6.1) — one module for commission and validation.

A contract's credit goes to at most two people: the signer and one "other" person:
- 协作人工号 set → the collaborator gets 协作比例 (blank = 0.5), the signer the rest (COLLAB);
- else the signer is 内销 (blank 渠道 = 内销) and the customer's owner on the signing date is
  a 外销 person other than the signer who visited the customer on a day in
  [签约日 − 客户保护期天数, 签约日] (both ends included) → that owner gets 内外销分成比例 and
  the signer the rest (SPLIT, seed 004: 外销得业绩70%, 内销得业绩30%);
- else the signer alone (SOLO). A signer who is not the owner of a private customer keeps
  the credit (seed 004: 以付款为准): `non_owner_signers` names those contracts (for the 依据
  of their 提成明细 lines) and `signer_findings` warns on them for the manager to review.

The other's part of any document amount is rounded half-up to the fen and the signer gets
the rest, so the parts of a document always add up to the document exactly. Payments
inherit the shares of their contract: the split is fixed at signing (the owner on the
signing date), however late the money comes in.

Owners are asked through an `Owners` lookup: `owners(customer_ids, dates)` → a frame with
owner_id (None = public pool), basis and since per pair — `Ownership.owners_on`, or any
`owner_on(customer_id, date)` function wrapped by `owners_from()`. Shares ask only for the
70/30 candidates; the non-owner check only for the contracts it is given.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .domain.calendar import day_text
from .domain.documents import signer_review_due
from .domain.money import PPM, mul_ppm, ppm_of, to_ppm
from .findings import ERROR, WARNING, Finding, rule
from .tables.arrays import obj

SOLO, COLLAB, SPLIT = "solo", "collab", "split"   # rule behind a contract's shares

C_COLLAB_SHARE = rule("C-COLLAB-SHARE", ERROR, "协作比例不在 0 到 1 之间", "collaborator share outside 0..1")
C_SIGNER_NOT_OWNER = rule("C-SIGNER-NOT-OWNER", WARNING, "签约人不是私有客户的归属人(以付款为准)", "signer is not the owner of a private customer")
DEFAULT_COLLAB_SHARE = 0.5                           # §6.1: blank 协作比例 = 0.5




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
                    protection_days: int, split_ratio: float, owners) -> tuple[Shares, list[Finding]]:
    """Shares of each contract.

    owners (an Owners lookup) is asked only for contracts that could qualify for 70/30:
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
        findings.append(C_COLLAB_SHARE(
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
            asked = np.array(sorted(by_contract), dtype="int64")
            seen = owners(cust[asked], signed_on[asked])["owner_id"].to_numpy(dtype=object)
            for i, owner in zip(asked.tolist(), seen):
                visitors = by_contract[i]
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


def owners_from(owner_on):
    """An Owners lookup from anything that answers owners: an object with a vectorised
    `owners_on(customer_ids, dates)` (salesbook.ownership.Ownership) is used as it is; a
    plain `owner_on(customer_id, date)` → None (pool) or an object with owner_id / basis /
    since is asked once per distinct (customer, day) and remembered."""
    if getattr(owner_on, "is_owners_lookup", False):
        return owner_on
    if hasattr(owner_on, "owners_on"):
        def vectorised(customer_ids, dates) -> pd.DataFrame:
            return owner_on.owners_on(customer_ids, dates)
        vectorised.is_owners_lookup = True
        return vectorised
    cache: dict = {}

    def owners(customer_ids, dates) -> pd.DataFrame:
        rows = []
        for cust, when in zip(customer_ids, pd.Series(dates).astype("datetime64[ns]")):
            key = (cust, pd.Timestamp(when).date())
            if key not in cache:
                o = owner_on(*key)
                cache[key] = (getattr(o, "owner_id", None), getattr(o, "basis", None),
                              getattr(o, "since", None)) if o is not None else (None, None, None)
            rows.append(cache[key])
        frame = pd.DataFrame(rows, columns=["owner_id", "basis", "since"], dtype=object)
        frame["since"] = pd.to_datetime(frame["since"])
        return frame

    owners.is_owners_lookup = True
    return owners


def non_owner_signers(shares: Shares, positions, owners) -> dict[int, str]:
    """Contracts (by position in shares) whose customer, on the signing date, had an owner who
    is neither the signer nor the other person of the shares: the signer keeps the credit
    (以付款为准) and the manager should review it. → position: that owner's 工号."""
    pos = np.asarray(sorted(set(int(i) for i in positions)), dtype="int64")
    pos = pos[shares.rule[pos] != SPLIT] if len(pos) else pos
    if not len(pos):
        return {}
    owner = owners(shares.customer_id[pos], shares.signed_on[pos])["owner_id"].to_numpy(dtype=object)
    out = {}
    for i, o in zip(pos.tolist(), owner):
        if o is not None and not pd.isna(o) and o != shares.signer_id[i] and o != shares.other_id[i]:
            out[i] = o
    return out


def signer_findings(contracts: pd.DataFrame, staff: pd.DataFrame, visits: pd.DataFrame,
                    protection_days: int, as_of, owners, label=lambda sid: sid) -> list[Finding]:
    """§4 / §6.1: a 警告 on each 合同 row (neither rejected nor cancelled, signed ≤ as_of) whose
    signer is not the owner of the (private) customer on 签约日期 and keeps the credit: not the
    collaborator's or the 70/30 case, where the split is the rule. `owners` returns owner_id,
    basis and since; `label(工号)` names a person in the message."""
    c = contracts[signer_review_due(contracts) & contracts["signed_on"].notna().to_numpy()
                  & contracts["customer_id"].notna().to_numpy()]
    c = c[(c["signed_on"] <= pd.Timestamp(as_of)).to_numpy()].reset_index(drop=True)
    if c.empty:
        return []
    # the split ratio does not matter here: only which rule applies and to whom
    shares, _ = contract_shares(c, staff, visits, protection_days, 0.5, owners)
    seen = owners(shares.customer_id, shares.signed_on)
    owner = seen["owner_id"].to_numpy(dtype=object)
    flag = np.array([o is not None and not pd.isna(o) for o in owner], dtype=bool)
    flag &= (owner != shares.signer_id) & (owner != shares.other_id) & (shares.rule != SPLIT)
    out = []
    for i in np.flatnonzero(flag).tolist():
        cid, cust, who, owner_id = shares.contract_id[i], shares.customer_id[i], shares.signer_id[i], owner[i]
        when = day_text(shares.signed_on[i])
        basis, since = seen["basis"].iloc[i], day_text(seen["since"].iloc[i])
        out.append(C_SIGNER_NOT_OWNER(
            "contracts", int(shares.row[i]), "signer_id", who,
            f"合同 {cid} 的签约人 {who} 不是客户 {cust} 在签约日 {when} 的归属人"
            f"(归属人 {label(owner_id)}, 依据「{basis}」, 自 {since} 起); 按「以付款为准」业绩仍计给签约人",
            "请经理复核: 如业绩应分给归属人, 在合同上填写协作人工号和协作比例; 如客户应换归属, 在「归属调整」中登记",
            f"Contract {cid}: signer {who} is not the owner of customer {cust} on {when} "
            f"(owner {owner_id}, basis {basis}); the signer keeps the credit (paid-deal rule)",
            "Manager to review: add a collaborator and share, or record an ownership override"))
    return out


__all__ = ["SOLO", "COLLAB", "SPLIT", "Shares", "contract_shares", "credit_rows", "owners_from",
           "non_owner_signers", "signer_findings"]
