"""Plain-Chinese sentences: the 说明 of each 归属记录 row and the 警告 findings (with English)."""
from __future__ import annotations

from functools import lru_cache

from ..findings import WARNING, Finding, rule

O_DUPLICATE_CUSTOMER = rule("O-DUPLICATE-CUSTOMER", WARNING, "撞单: 电话或名称与先登记的客户相同", "duplicate customer (same phone or name)")
O_DESIGNATED_ABSENT = rule("O-DESIGNATED-ABSENT", WARNING, "指定顾问在登记日不在职", "designated consultant not employed that day")
O_NOBODY_ON_DUTY = rule("O-NOBODY-ON-DUTY", WARNING, "上门散客当天无人值班", "walk-in with nobody on duty")
O_REGISTRANT_ABSENT = rule("O-REGISTRANT-ABSENT", WARNING, "登记人在登记日不在职", "registrant not employed that day")
O_CAP_AT_REGISTRATION = rule("O-CAP-AT-REGISTRATION", WARNING, "登记时已达私有客户上限", "registration refused by the cap")
O_OVERRIDE_UNREGISTERED = rule("O-OVERRIDE-UNREGISTERED", WARNING, "归属调整生效时客户尚未登记", "override before the customer was registered")
O_OVERRIDE_ABSENT = rule("O-OVERRIDE-ABSENT", WARNING, "归属调整的新归属人不在职", "override to a person not employed that day")
O_NON_OWNER_VISITS = rule("O-NON-OWNER-VISITS", WARNING, "多次拜访他人的私有客户", "repeated visits to another owner's customer")
O_CLAIM_OVER_CAP = rule("O-CLAIM-OVER-CAP", WARNING, "公海领取被上限拒绝", "pool claim refused by the cap")
O_CLAIM_IN_COOLDOWN = rule("O-CLAIM-IN-COOLDOWN", WARNING, "原归属人冷却期内不能领回", "previous owner's claim within the cooldown")
O_EARLY_VISITS = rule("O-EARLY-VISITS", WARNING, "拜访早于客户登记日期", "visits before the customer's registration")
O_LEFT_UNDATED = rule("O-LEFT-UNDATED", WARNING, "离职人员没有填离职日期", "离职 without a leave date")
from ..domain.calendar import day_text
from .days import date_of
from .duplicates import PHONE
from . import records as R_
from .inputs import Inputs
from .protection import decided_by_deal
from .replay import (B_CAP, B_COOLDOWN, B_DESIGNATED, B_LEFT, B_NOBODY_ON_DUTY,
                     B_REFERRAL, B_REGISTERED, B_REGISTRANT_GONE, EV_CLAIM, EV_DUPLICATE,
                     EV_FALL, EV_OVERRIDE, EV_REFUSED, EV_REGISTER, EV_ROTATION, LogEntry, Timeline)


@lru_cache(maxsize=None)
def _d(day) -> str:
    """A day number as text (cached: the same days recur in thousands of sentences)."""
    return day_text(date_of(day))


class Words:
    """Names of people and customers as people read them."""

    def __init__(self, inp: Inputs):
        self.inp = inp
        self._labels = [inp.people.label(p) for p in range(len(inp.people.ids))]

    def person(self, p: int) -> str:
        return self._labels[p] if p >= 0 else "(无)"

    def customer(self, c: int) -> str:
        C = self.inp.customers
        name = C.names[c]
        return f"{C.ids[c]}「{name}」" if name else C.ids[c]


def detail(e: LogEntry, w: Words) -> str:
    """The 说明 of one 归属记录 row."""
    R = w.inp.rules
    new = w.person(e.new)
    if e.event == EV_REGISTER:
        if e.basis == B_DESIGNATED:
            return f"客户持券、名片或点名顾问, 登记即归指定顾问 {new}"
        if e.basis == B_REFERRAL:
            return f"由客户 {w.customer(e.info.referrer)} 转介绍, 归推荐人当时的归属人 {new}"
        if e.basis == B_REGISTERED:
            return f"由登记人 {new} 登记, 归其所有, 保护期 {R.protection_days} 天"
        if e.basis == B_CAP:
            return (f"登记人 {w.person(e.info.person)} 当时已有 {e.info.held} 个私有客户, 达到上限 {R.cap}, "
                    f"不能再登记归属, 客户进入公海")
        if e.basis == B_REGISTRANT_GONE:
            return "登记人当天不在职, 客户进入公海"
    if e.event == EV_ROTATION:
        if e.basis == B_NOBODY_ON_DUTY:
            return "上门散客, 但当天值班表上没有在职的人, 无法轮客, 客户进入公海"
        prev, cands = e.info.pointer, e.info.candidates
        k = cands.index(e.new) + 1
        if prev < 0:
            before = "此前没有人轮到过, 从第一位开始"
        elif prev in cands:
            before = f"上一位轮到的是 {w.person(prev)}(第 {cands.index(prev) + 1} 位)"
        else:
            before = f"上一位轮到的 {w.person(prev)} 当天不值班, 从第一位开始"
        return f"上门散客, 公平轮客: 当天值班 {len(cands)} 人; {before}; 本次轮到第 {k} 位 {new}"
    if e.event == EV_DUPLICATE:
        dup = e.info.duplicate
        what = "电话" if dup.how == PHONE else "名称"
        head = f"与先登记的客户 {w.customer(dup.matched)} {what}相同, 判为撞单(重复于 {w.inp.customers.ids[dup.original]})"
        if e.new >= 0:
            return f"{head}; 归原客户当时的归属人 {new}"
        return f"{head}; 原客户当时在公海, 本客户也进入公海"
    if e.event == EV_FALL:
        until, base, deal, dated, start = e.info.until, e.info.base, e.info.deal, e.info.leave_dated, e.info.start
        if e.basis == B_LEFT:
            tail = "" if dated else "(人员表未填离职日期, 按截止日前已离职处理)"
            return f"归属人 {w.person(e.old)} 于 {_d(until)} 离职{tail}, 客户次日进入公海"
        last = f"最近一次跟进为 {_d(base)}" if base > start else f"归属起始日 {_d(base)} 后没有跟进"
        why = f"{last}, 保护 {R.protection_days} 天"
        if decided_by_deal(base, deal, R.protection_days, R.deal_days):
            why = f"最近一份已批准合同签于 {_d(deal)}, 成交保护 {R.deal_days} 天"
        return f"{why}, 到 {_d(until)} 止; 归属人 {w.person(e.old)} 期间没有新的跟进, 次日进入公海"
    if e.event == EV_CLAIM:
        return f"{new} 拜访公海客户, 领取为私有客户, 保护期 {R.protection_days} 天"
    if e.event == EV_REFUSED:
        if e.basis == B_COOLDOWN:
            p, fell, cool = e.info.person, e.info.fell, e.info.cooldown
            return (f"{w.person(p)} 是原归属人, 客户 {_d(fell)} 掉入公海, {cool} 天冷却期内(至 "
                    f"{_d(fell + cool - 1)})不能领回; 客户仍在公海")
        p, held = e.info.person, e.info.held
        return f"{w.person(p)} 拜访公海客户, 但已有 {held} 个私有客户(上限 {R.cap}), 未能领取; 客户仍在公海"
    if e.event == EV_OVERRIDE:
        approver, reason = e.info.approver, e.info.reason
        why = f", 原因: {reason}" if reason else ""
        return f"经理 {w.person(approver)} 批准归属调整{why}; 自生效日起归 {new}, 保护期重新计算"
    return ""


def findings_of(tl: Timeline, w: Words) -> list[Finding]:
    """The 警告 findings of the replay, pointing at the row to look at."""
    inp, R, C = w.inp, w.inp.rules, w.inp.customers
    out: list[Finding] = []
    for x in tl.notes:
        if isinstance(x, R_.DuplicateNote):
            c, dup, p = x
            col = "phone" if dup.how == PHONE else "customer_name"
            what, what_en = ("电话", "phone") if dup.how == PHONE else ("名称", "name")
            orig = C.ids[dup.original]
            tail = (f"按撞单归原客户的归属人 {w.person(p)}" if p >= 0 else "原客户当时在公海, 本客户也进入公海")
            out.append(O_DUPLICATE_CUSTOMER(
                "customers", C.rows[c], col, dup.value,
                f"撞单: 客户 {w.customer(c)} 与先登记的客户 {w.customer(dup.matched)} {what}相同"
                f"(重复于 {orig}); {tail}",
                f"如确是同一客户, 请只保留客户 {orig} 一行并把拜访、合同改到 {orig} 下; 如不是同一客户, 请更正{what}",
                f"Duplicate customer: {C.ids[c]} has the same {what_en} as {C.ids[dup.matched]}, registered "
                f"earlier (duplicate of {orig})",
                f"If it is the same customer keep only {orig}; otherwise correct the {what_en}"))
        elif isinstance(x, R_.DesignatedGone):
            c, p, day = x
            out.append(O_DESIGNATED_ABSENT(
                "customers", C.rows[c], "designated_id", inp.people.ids[p],
                f"指定顾问 {w.person(p)} 在登记日 {_d(day)} 不在职, 客户 {C.ids[c]} 不能按「指定」归属, 已按后续规则处理",
                "核对指定顾问工号和登记日期; 如需指定给别人, 在「归属调整」中登记",
                f"Designated consultant {inp.people.ids[p]} was not employed on {_d(day)}; the next rule applied",
                "Check the designated consultant and the registration date"))
        elif isinstance(x, R_.NobodyOnDuty):
            c, day = x
            out.append(O_NOBODY_ON_DUTY(
                "customers", C.rows[c], "registered_at", _d(day),
                f"上门散客 {w.customer(c)} 登记日 {_d(day)} 没有在职的值班人员, 无法轮客, 客户进入公海",
                f"在「值班」表补上 {_d(day)} 的值班人员后重新计算, 或在「归属调整」中指定归属人",
                f"Walk-in {C.ids[c]} on {_d(day)}: nobody on duty, the customer is in the public pool",
                f"Add the {_d(day)} duty roster (值班) and rerun, or record an ownership override"))
        elif isinstance(x, R_.RegistrantGone):
            c, p, day = x
            who = inp.people.ids[p] if p >= 0 else ""
            out.append(O_REGISTRANT_ABSENT(
                "customers", C.rows[c], "registered_by", who,
                f"登记人 {who} 在登记日 {_d(day)} 不在职, 客户 {C.ids[c]} 进入公海",
                "核对登记人工号和登记日期",
                f"Registrant {who} was not employed on {_d(day)}; customer {C.ids[c]} is in the pool",
                "Check the registrant and the registration date"))
        elif isinstance(x, R_.CapAtRegistration):
            c, p, day, held = x
            out.append(O_CAP_AT_REGISTRATION(
                "customers", C.rows[c], "registered_by", inp.people.ids[p],
                f"登记人 {w.person(p)} 在 {_d(day)} 已有 {held} 个私有客户, 达到上限 {R.cap}, "
                f"客户 {C.ids[c]} 不能登记归其所有, 进入公海",
                "让不再跟进的客户释放到公海, 或由经理在「归属调整」中分配; 也可在「参数」中调高「每人私有客户上限」",
                f"{inp.people.ids[p]} already held {held} private customers (cap {R.cap}) on {_d(day)}; "
                f"customer {C.ids[c]} went to the pool",
                "Release customers, record an override, or raise 每人私有客户上限"))
        elif isinstance(x, R_.OverrideUnregistered):
            i = x.override
            o = inp.overrides.iloc[i]
            out.append(O_OVERRIDE_UNREGISTERED(
                "overrides", int(o["row"]), "effective", _d(o["day"]),
                f"生效日期 {_d(o['day'])} 时客户 {o['customer_id']} 还没有登记, 本条归属调整未生效",
                "核对生效日期和该客户在「客户」表的登记日期",
                f"Customer {o['customer_id']} was not registered yet on {_d(o['day'])}; override ignored",
                "Check the effective date and the customer's registration date"))
        elif isinstance(x, R_.OverrideToAbsent):
            i, p = x
            o = inp.overrides.iloc[i]
            out.append(O_OVERRIDE_ABSENT(
                "overrides", int(o["row"]), "new_owner_id", o["new_owner_id"],
                f"新归属人 {o['new_owner_id']} 在生效日期 {_d(o['day'])} 不在职, 本条归属调整未生效",
                "改成当天在职的人员, 或核对生效日期",
                f"New owner {o['new_owner_id']} was not employed on {_d(o['day'])}; override ignored",
                "Pick a person employed on that date"))
        elif isinstance(x, R_.NonOwnerVisits):
            c, p, cnt, d1, d2, row, owner = x
            out.append(O_NON_OWNER_VISITS(
                "visits", row, "staff_id", inp.people.ids[p],
                f"{w.person(p)} 在客户 {w.customer(c)} 归属他人期间拜访了 {cnt} 次({_d(d1)} 至 {_d(d2)}), "
                f"最近一次时归属人是 {w.person(owner)}; 拜访不改变归属",
                "请经理确认是否为协作或争单; 如应换人跟进, 在「归属调整」中登记",
                f"{inp.people.ids[p]} visited {C.ids[c]}, owned by someone else, {cnt} times "
                f"({_d(d1)}..{_d(d2)}); visits do not move ownership",
                "Manager to review; record an override if the customer should change hands"))
        elif isinstance(x, R_.RefusedClaims):
            c, p, why, cnt, d1, d2, row, extra = x
            times = f"(共 {cnt} 次, {_d(d1)} 至 {_d(d2)})" if cnt > 1 else ""
            times_en = f" ({cnt} times, {_d(d1)}..{_d(d2)})" if cnt > 1 else ""
            if why == B_CAP:
                out.append(O_CLAIM_OVER_CAP(
                    "visits", row, "staff_id", inp.people.ids[p],
                    f"{w.person(p)} 拜访公海客户 {w.customer(c)} 时已有 {extra} 个私有客户, 达到上限 {R.cap}, "
                    f"未能领取{times}; 客户仍在公海",
                    "让不再跟进的客户释放到公海后再领取, 或由经理在「归属调整」中分配",
                    f"{inp.people.ids[p]} could not claim pool customer {C.ids[c]}: already {extra} private "
                    f"customers (cap {R.cap}){times_en}",
                    "Release customers first, or record an ownership override"))
            else:
                out.append(O_CLAIM_IN_COOLDOWN(
                    "visits", row, "staff_id", inp.people.ids[p],
                    f"{w.person(p)} 是客户 {w.customer(c)} 的原归属人, 客户 {_d(extra)} 掉入公海, "
                    f"{R.cooldown_days} 天冷却期内(至 {_d(extra + R.cooldown_days - 1)})不能领回{times}; 客户仍在公海",
                    "冷却期过后再拜访即可领取, 或由经理在「归属调整」中分配",
                    f"{inp.people.ids[p]} is the previous owner of {C.ids[c]} (fell to the pool {_d(extra)}) and "
                    f"may not claim it back within {R.cooldown_days} days{times_en}",
                    "Claim it after the cooldown, or record an ownership override"))
        elif isinstance(x, R_.EarlyVisits):
            c, cnt, d1, d2, row = x
            times = f"{cnt} 次拜访({_d(d1)} 至 {_d(d2)})" if cnt > 1 else f"拜访({_d(d1)})"
            out.append(O_EARLY_VISITS(
                "visits", row, "date", _d(d1),
                f"客户 {w.customer(c)} 的{times}早于其登记日期 {_d(C.reg_day[c])}, 不计入归属",
                "核对拜访日期, 或把客户的登记日期改成第一次接触的日期",
                f"{cnt} visit(s) to {C.ids[c]} before its registration date {_d(C.reg_day[c])} are ignored "
                f"for ownership", "Check the visit dates or the registration date"))
    return out


def left_undated_findings(tl: Timeline, w: Words) -> list[Finding]:
    """People with 状态 离职 but no 离职日期 who held customers: we assumed they left before as_of."""
    P = w.inp.people
    held = {p for p in tl.spells.columns[0] if p >= 0}
    out = []
    for p in sorted(held):
        if not P.leave_dated[p]:
            out.append(O_LEFT_UNDATED(
                "staff", P.rows[p], "leave_date", "",
                f"{P.label(p)} 的状态是离职但没有填离职日期; 计算归属时按 {_d(w.inp.as_of_day - 1)} 离职处理, "
                f"其客户进入公海",
                "填写实际的离职日期后重新计算",
                f"{P.ids[p]} is 离职 without a leave date; treated as gone before {_d(w.inp.as_of_day)}",
                "Fill in the leave date (离职日期) and rerun"))
    return out
