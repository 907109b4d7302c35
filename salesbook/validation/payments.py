"""§4 payments: not beyond the contract, handed to finance, on a contract that counts."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..domain.documents import on_counting_contract
from ..findings import ERROR, WARNING, Finding, rule
from ..tables.parse import ROW
from .common import Context, first_by, key_text, row_list, row_list_en, yuan

OVERPAID = rule("V-OVERPAID", ERROR, "回款累计超过合同金额", "payments add up to more than the contract")
NOT_REMITTED = rule("V-NOT-REMITTED", WARNING, "回款未上交财务", "payment not handed to finance")
PAYMENT_NOT_COUNTED = rule("V-PAYMENT-NOT-COUNTED", WARNING, "回款的合同未批准或已取消", "payment on a contract that does not count")

def overpaid(ctx: Context) -> list[Finding]:
    """The payment row whose running total (回款日期 order, refunds subtract) crosses 合同金额."""
    pay = ctx.t["payments"]
    limit = pay["contract_id"].map(first_by(ctx.t["contracts"], "contract_id")["amount"])
    sub = pay.loc[limit.notna(), [ROW, "contract_id", "paid_on", "amount"]].assign(limit=limit)
    if sub.empty:
        return []
    sub = sub.sort_values(["contract_id", "paid_on", ROW], kind="stable", na_position="last")
    total = sub["amount"].fillna(0).groupby(sub["contract_id"], sort=False).cumsum()
    over = total > sub["limit"] + 0.005
    prev_over = over.groupby(sub["contract_id"], sort=False).shift(fill_value=False).astype(bool)
    cross = over & ~prev_over
    if not cross.any():
        return []
    # Rows of a contract are contiguous after the sort: the ones counted so far are a slice.
    rows = sub[ROW].to_numpy()
    pos = np.arange(len(sub))
    start = pos - sub.groupby("contract_id", sort=False).cumcount().to_numpy()
    cross = cross.to_numpy()
    out = []
    for r, cid, a, lim, tot, lo, hi in zip(rows[cross], sub["contract_id"][cross], sub["amount"][cross],
                                           sub["limit"][cross], total[cross], start[cross], pos[cross]):
        upto = np.sort(rows[lo:hi + 1])
        out.append(OVERPAID(
            "payments", int(r), "amount", a,
            f"合同 {key_text(cid)} 的回款累计 {yuan(tot)} 元, 超过合同金额 {yuan(lim)} 元({row_list(upto)}, 按回款日期累计)",
            f"检查本行金额是否多打了位数或重复登记; 如果确实多收了, 多出的部分按退款(负数金额)登记, "
            f"或先在「合同」表更正合同 {key_text(cid)} 的金额",
            f"Payments on contract {cid} add up to {yuan(tot)}, above its amount {yuan(lim)} "
            f"({row_list_en(upto)})",
            "Check this amount for a typo or a duplicate; record any excess as a refund"))
    return out


def remittance(ctx: Context) -> list[Finding]:
    pay = ctx.t["payments"]
    held = pay["remitted"] == "否"
    return [NOT_REMITTED(
        "payments", int(r), "remitted", "否",
        f"回款 {key_text(pid)}(合同 {key_text(cid)}{'' if pd.isna(a) else f', {yuan(a)} 元'})还没有上交财务, 暂不计提成",
        "款项交到财务后, 把「是否上交」改为「是」, 下次计算就会计入",
        f"Payment {key_text(pid)} has not been handed to finance; it earns no commission yet",
        "Set 是否上交 to 是 once finance has the money")
        for r, pid, cid, a in zip(pay.loc[held, ROW], pay.loc[held, "payment_id"], pay.loc[held, "contract_id"],
                                  pay.loc[held, "amount"])]


def payments_not_counted(ctx: Context) -> list[Finding]:
    pay = ctx.t["payments"]
    con = first_by(ctx.t["contracts"], "contract_id")
    approval = pay["contract_id"].map(con["approval"])
    status = pay["contract_id"].map(con["status"])
    crow = pay["contract_id"].map(con[ROW])
    known = crow.notna().to_numpy(dtype=bool)
    bad = known & ~on_counting_contract(pay, ctx.t["contracts"])
    out = []
    for r, cid, ap, st, cr in zip(pay.loc[bad, ROW], pay.loc[bad, "contract_id"], approval[bad], status[bad],
                                  crow[bad]):
        state = "已取消" if st == "已取消" else (f"审批状态为「{ap}」" if isinstance(ap, str) else "没有审批状态")
        out.append(PAYMENT_NOT_COUNTED(
            "payments", int(r), "contract_id", cid,
            f"合同 {key_text(cid)}(「合同」表第 {int(cr)} 行){state}, 这笔回款暂不计入业绩和提成",
            "合同批准后(或恢复执行后)会自动计入; 如果回款挂错了合同, 改正「合同编号」",
            f"Contract {key_text(cid)} (Contracts row {int(cr)}) is {'cancelled' if st == '已取消' else 'not approved'}; "
            "this payment does not count yet",
            "It counts once the contract is approved; fix the contract ID if it is wrong"))
    return out


