"""§4 contracts: amounts, approvals, and discounts within the signer's or approver's authority
(seed 000 折扣权, seed 001 优惠审批制度)."""
from __future__ import annotations

import pandas as pd

from ..findings import ERROR, Finding, rule
from ..tables.parse import ROW
from .common import Context, first_by, key_text, pct, yuan, zhe

CONTRACT_AMOUNT = rule("V-CONTRACT-AMOUNT", ERROR, "合同金额 ≤ 0 或高于原价", "contract amount ≤ 0 or above list price")
APPROVER_MISSING = rule("V-APPROVER-MISSING", ERROR, "已批准但没有审批人", "approved without an approver")
DISCOUNT_AUTHORITY = rule("V-DISCOUNT-AUTHORITY", ERROR, "折扣超出签约人和审批人权限", "discount beyond the signer's and approver's authority")

NO_AUTHORITY = 1.0             # a role missing from 折扣权限 may only sign at list price
_EPS = 1e-9                    # float slack for money and ratio comparisons

def contract_amounts(ctx: Context) -> list[Finding]:
    df = ctx.t["contracts"]
    amount, price = df["amount"], df["list_price"]
    out = []
    nonpos = amount <= 0
    for r, cid, a in zip(df.loc[nonpos, ROW], df.loc[nonpos, "contract_id"], amount[nonpos]):
        out.append(CONTRACT_AMOUNT(
            "contracts", int(r), "amount", a, f"合同 {key_text(cid)} 的「合同金额」是 {yuan(a)} 元, 必须大于 0",
            "填写实际成交金额; 退款请在「回款」表记负数金额, 作废的合同把「合同状态」改为「已取消」",
            f"Contract {key_text(cid)}: amount {yuan(a)} must be above 0",
            "Enter the real amount; record refunds as negative payments, cancel void contracts"))
    over = amount > price + _EPS
    for r, cid, a, p in zip(df.loc[over, ROW], df.loc[over, "contract_id"], amount[over], price[over]):
        out.append(CONTRACT_AMOUNT(
            "contracts", int(r), "amount", a,
            f"合同 {key_text(cid)} 的「合同金额」{yuan(a)} 元 高于「原价」{yuan(p)} 元",
            "合同金额是打折后的成交价, 不能高于原价: 检查两个数是否填反或多打了一位",
            f"Contract {key_text(cid)}: amount {yuan(a)} is above the list price {yuan(p)}",
            "The amount is the price after discount; check the two figures"))
    return out


def approvers(ctx: Context) -> list[Finding]:
    df = ctx.t["contracts"]
    bad = (df["approval"] == "已批准") & df["approver_id"].isna()
    return [APPROVER_MISSING(
        "contracts", int(r), "approver_id", "", f"合同 {key_text(cid)} 的审批状态是「已批准」, 但没有填「审批人工号」",
        "填上批准这份合同的人的工号; 如果还没有人批准, 把「审批状态」改为「待审批」",
        f"Contract {key_text(cid)} is approved but names no approver",
        "Enter the approver's staff ID, or set the approval back to 待审批")
        for r, cid in zip(df.loc[bad, ROW], df.loc[bad, "contract_id"])]


def _authority(ctx: Context) -> pd.Series:
    """岗位 -> lowest 合同金额/原价 it may sign or approve (first row per role)."""
    da = ctx.t["discount_authority"]
    return first_by(da, "role")["min_discount"].dropna()


def discounts(ctx: Context) -> list[Finding]:
    """Below the signer's 最低折扣率 only with an approver whose role covers it (seed 000 折扣权, 001 优惠审批)."""
    df = ctx.t["contracts"]
    people = ctx.people
    if df.empty:
        return []
    auth = _authority(ctx)
    ratio = df["amount"] / df["list_price"]
    valid = (df["list_price"] > 0) & (df["amount"] > 0) & (df["amount"] <= df["list_price"] + _EPS)
    signer_role = df["signer_id"].map(people["role"])
    signer_min = signer_role.map(auth).fillna(NO_AUTHORITY)
    below = valid & signer_role.notna() & (ratio < signer_min - _EPS)  # unknown signer: reference rule
    if not below.any():
        return []
    sub = df[below]
    appr_role = sub["approver_id"].map(people["role"])
    appr_min = appr_role.map(auth).fillna(NO_AUTHORITY)
    covered = (sub["approval"] == "已批准") & sub["approver_id"].notna() & (ratio[below] >= appr_min - _EPS)
    sub = sub[~covered]
    out = []
    for rec, rt, srole, smin, arole, amin in zip(
            sub.rename(columns={ROW: "row"}).itertuples(index=False), ratio[sub.index], signer_role[sub.index], signer_min[sub.index],
            appr_role.reindex(sub.index), appr_min.reindex(sub.index)):
        out.append(_discount_finding(rec, rt, srole, smin, arole, amin, auth))
    return out


def _discount_finding(rec, rt, srole, smin, arole, amin, auth: pd.Series) -> Finding:
    cid, signer, approver = rec.contract_id, rec.signer_id, rec.approver_id
    has_rule = srole in auth.index
    signer_txt = (f"签约人 {signer}({srole}) 的折扣权限最低 {zhe(smin)}" if has_rule else
                  f"签约人 {signer} 的岗位「{srole}」在「折扣权限」表中没有设置, 视为没有折扣权(只能按原价签)")
    if rec.approval != "已批准":
        why = f"本合同审批状态为「{rec.approval}」, 还没有获批"
        why_en = f"it is not approved ({rec.approval})"
    elif not isinstance(approver, str):
        why = "本合同没有填写审批人"
        why_en = "no approver is named"
    elif not isinstance(arole, str):
        why = f"审批人 {approver} 不在「人员」表中, 无法确认其权限"
        why_en = f"approver {approver} is not on the Staff sheet"
    elif arole not in auth.index:
        why = f"审批人 {approver} 的岗位「{arole}」在「折扣权限」表中没有设置, 视为没有折扣审批权"
        why_en = f"approver {approver}'s role {arole} has no discount authority"
    else:
        why = f"审批人 {approver}({arole}) 的权限最低只到 {zhe(amin)}, 不够批这个折扣"
        why_en = f"approver {approver} ({arole}) may only approve down to {amin:g}"
    enough = [f"{role}({zhe(m)})" for role, m in auth.sort_values(ascending=False).items() if m <= rt + _EPS]
    who = f"(如 {'、'.join(enough[:3])})" if enough else "(「折扣权限」表中没有哪个岗位有这么大的权限)"
    floor = rec.list_price * smin
    return DISCOUNT_AUTHORITY(
        "contracts", int(rec.row), "amount", rec.amount,
        f"合同 {key_text(cid)} 按 {zhe(rt)} 成交(合同金额 {yuan(rec.amount)} 元 / 原价 {yuan(rec.list_price)} 元 = {pct(rt)}), "
        f"低于{signer_txt}; {why}",
        f"请由折扣权限足够的人{who}审批, 填写「审批人工号」并把「审批状态」改为「已批准」; "
        f"或者把合同金额提高到不低于 {yuan(floor)} 元",
        f"Contract {key_text(cid)} is at {rt:.4g} of list price, below signer {signer}'s limit {smin:g}, and {why_en}",
        f"Have someone with enough discount authority approve it, or raise the amount to at least {yuan(floor)}")


