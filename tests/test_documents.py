"""Which contracts and payments count: the whole 审批状态 × 合同状态 table, for every use."""
import pytest

from builders import contract, payment, tables
from salesbook.domain.documents import contract_counts, payment_counts, signer_review_due

#            审批状态   合同状态   counts  review  a remitted payment on it counts
TABLE = [
    ("已批准", "执行中", True, True, True),
    ("已批准", "已完成", True, True, True),
    ("已批准", "已取消", False, False, False),
    ("待审批", "执行中", False, True, False),
    ("待审批", "已完成", False, True, False),
    ("待审批", "已取消", False, False, False),
    ("已驳回", "执行中", False, False, False),
    ("已驳回", "已完成", False, False, False),
    ("已驳回", "已取消", False, False, False),
]


@pytest.mark.parametrize("approval, status, counts, review, paid", TABLE)
def test_state_table(approval, status, counts, review, paid):
    t = tables(contracts=[contract("C1", "S1", 1000, approval=approval, status=status)],
               payments=[payment("P1", "C1", 500), payment("P2", "C1", 200, remitted="否")])
    assert contract_counts(t["contracts"]).tolist() == [counts]
    assert signer_review_due(t["contracts"]).tolist() == [review]
    assert payment_counts(t["payments"], t["contracts"]).tolist() == [paid, False]   # unremitted never


def test_the_table_covers_every_state():
    from salesbook import contract as K

    assert {(a, s) for a, s, *_ in TABLE} == {(a, s) for a in K.APPROVAL_STATES for s in K.CONTRACT_STATES}
