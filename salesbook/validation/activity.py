"""§4 activity: visits that run long, customers beyond their credit, reps without a target."""
from __future__ import annotations

import pandas as pd

from .. import contract as K
from ..domain.documents import contract_counts
from ..domain.org import REP_ROLES
from ..findings import WARNING, Finding, rule
from ..tables.parse import ROW
from .common import Context, isin, show_num, yuan

LONG_INTENT_VISIT = rule("V-LONG-INTENT-VISIT", WARNING, "意向拜访超过 15 分钟", "intent visit longer than 15 minutes")
CREDIT_LIMIT = rule("V-CREDIT-LIMIT", WARNING, "应收欠款超过信用额度", "receivables above the credit limit")
MISSING_TARGET = rule("V-MISSING-TARGET", WARNING, "在职销售没有当月目标", "active rep without a target for the month")

INTENT_VISIT_MAX_MINUTES = 15  # seed 000: 拜访时间不宜超过15分钟

def long_intent_visits(ctx: Context) -> list[Finding]:
    v = ctx.t["visits"]
    long = (v["method"] == "意向拜访") & (v["minutes"] > INTENT_VISIT_MAX_MINUTES)
    return [LONG_INTENT_VISIT(
        "visits", int(r), "minutes", m,
        f"意向拜访用了 {show_num(m)} 分钟, 超过 {INTENT_VISIT_MAX_MINUTES} 分钟(公司要求意向拜访不超过 15 分钟)",
        "核对时长是否填错; 如属实, 请主管了解原因(拜访时间过长, 客户注意力难以集中)",
        f"Intent visit took {show_num(m)} minutes, more than {INTENT_VISIT_MAX_MINUTES}",
        "Check the duration; if right, the supervisor should review the visit")
        for r, m in zip(v.loc[long, ROW], v.loc[long, "minutes"])]


def credit_limits(ctx: Context) -> list[Finding]:
    """Σ approved, non-cancelled 合同金额 − Σ their payments above 信用额度 (seed 000 信用管理)."""
    cust = ctx.t["customers"]
    limited = cust[cust["credit_limit"].notna() & cust["customer_id"].notna()]
    if limited.empty:
        return []
    con = ctx.t["contracts"]
    live = con[contract_counts(con)].drop_duplicates("contract_id")
    pay = ctx.t["payments"]
    paid_by_contract = pay.groupby("contract_id")["amount"].sum()
    live = live.assign(paid=live["contract_id"].map(paid_by_contract).fillna(0.0))
    signed = live.groupby("customer_id")["amount"].sum()
    paid = live.groupby("customer_id")["paid"].sum()
    s = limited["customer_id"].map(signed).fillna(0.0)
    p = limited["customer_id"].map(paid).fillna(0.0)
    owed = s - p
    over = owed > limited["credit_limit"] + 0.005
    out = []
    for r, cid, lim, o, sv, pv in zip(limited.loc[over, ROW], limited.loc[over, "customer_id"],
                                      limited.loc[over, "credit_limit"], owed[over], s[over], p[over]):
        out.append(CREDIT_LIMIT(
            "customers", int(r), "credit_limit", lim,
            f"客户 {cid} 的应收欠款 {yuan(o)} 元(已批准合同 {yuan(sv)} 元 − 已回款 {yuan(pv)} 元), "
            f"超过信用额度 {yuan(lim)} 元",
            "先催收回款再签新单; 如果经批准可以放宽, 提高「信用额度」",
            f"Customer {cid} owes {yuan(o)}, above its credit limit {yuan(lim)}",
            "Collect payments before new deals, or raise the approved credit limit"))
    return out


def missing_targets(ctx: Context) -> list[Finding]:
    if not ctx.month:
        return []
    try:
        period = pd.Period(ctx.month, freq="M")
    except ValueError:
        return []
    month = period.strftime("%Y-%m")
    st = ctx.t["staff"]
    tg = ctx.t["targets"]
    has = tg.loc[tg["month"] == month, "staff_id"].dropna()
    active = st["status"].isin(K.ACTIVE_STATUSES) & st["role"].isin(REP_ROLES)
    hired = st["hire_date"].isna() | (st["hire_date"] <= period.end_time)
    first = ~st["staff_id"].duplicated(keep="first")  # a duplicate row is an error of its own
    miss = active & hired & first & st["staff_id"].notna() & ~isin(st["staff_id"], has)
    return [MISSING_TARGET(
        "staff", int(r), "staff_id", sid,
        f"{role} {sid}({name}) 在「目标」表中没有 {month} 的目标, 达成率和绩效无法计算",
        f"在「目标」表中加一行: 月份 {month}, 工号 {sid}, 填上销售目标",
        f"{role} {sid} has no target row for {month}",
        f"Add a row to Targets: month {month}, staff ID {sid}, with a sales target")
        for r, sid, name, role in zip(st.loc[miss, ROW], st.loc[miss, "staff_id"], st.loc[miss, "name"],
                                      st.loc[miss, "role"])]


