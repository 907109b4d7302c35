"""Which contracts and payments count (domain.md §4, §6.2): one definition for every rule.

    审批状态 × 合同状态    执行中   已完成   已取消
    已批准                 counts   counts   —
    待审批                 review   review   —
    已驳回                 —        —        —

counts   "a contract that counts": it carries 签约业绩, protects its customer (§5.3), is
         in the reports' figures and the receivables; its remitted payments carry 回款业绩.
review   the signer check of §6.1 (signer not the customer's owner) looks at it already:
         the manager should see the warning before approving it, not after.
—        neither. A payment on such a contract is warned about ("暂不计入业绩和提成")
         and does not count: the warning and the engines read `payment_counts` below.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

APPROVED, PENDING, REJECTED = "已批准", "待审批", "已驳回"
CANCELLED = "已取消"
REMITTED = "是"


def counts(approval, status) -> bool:
    """One contract's 审批状态 and 合同状态: does it count?"""
    return approval == APPROVED and status != CANCELLED


def contract_counts(contracts: pd.DataFrame) -> np.ndarray:
    """Per contract row: approved and not cancelled."""
    return ((contracts["approval"] == APPROVED) & (contracts["status"] != CANCELLED)).to_numpy(dtype=bool)


def signer_review_due(contracts: pd.DataFrame) -> np.ndarray:
    """Per contract row: counts or may still count (neither rejected nor cancelled)."""
    return ((contracts["approval"] != REJECTED) & (contracts["status"] != CANCELLED)).to_numpy(dtype=bool)


def counting_contract_ids(contracts: pd.DataFrame) -> pd.Index:
    """合同编号 of the contracts that count (the first row of a 编号 typed twice decides)."""
    first = contracts[contracts["contract_id"].notna()].drop_duplicates("contract_id", keep="first")
    return pd.Index(first.loc[contract_counts(first), "contract_id"].to_numpy(dtype=object), dtype=object)


def on_counting_contract(payments: pd.DataFrame, contracts: pd.DataFrame) -> np.ndarray:
    """Per payment row: its contract counts (whatever 是否上交)."""
    ids = counting_contract_ids(contracts)
    return ids.get_indexer(pd.Series(payments["contract_id"], dtype=object)) >= 0


def payment_counts(payments: pd.DataFrame, contracts: pd.DataFrame) -> np.ndarray:
    """Per payment row: it carries 回款业绩 — remitted (是否上交 = 是) on a contract that counts.
    Refunds (negative 金额) count the same way and subtract."""
    remitted = (payments["remitted"] == REMITTED).to_numpy(dtype=bool)
    return remitted & on_counting_contract(payments, contracts)
