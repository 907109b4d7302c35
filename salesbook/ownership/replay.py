"""The replay: every customer's timeline, in one global time order (domain.md §5).

The cap (§5.3) and the rotation pointer (§5.2) couple customers across time, so all
events run through one loop in (day, phase, time, row) order. Expiry is lazy: each owned
customer has one entry in a heap keyed by the day it would fall to the pool; when the
entry comes due and the protection has meanwhile been extended, it is pushed again.
Before the events of a day run, every fall due on or before that day is applied, so
private counts are right at every event. Cost: O(events · log customers).

The loop works on ints and lists only; names and sentences are made afterwards.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import NamedTuple

from .inputs import DEAL, REGISTRATION, VISIT, Inputs
from . import records as R_
from .people import next_on_duty
from .records import NO_INFO
from .protection import cut_by_leaving, protection_end
from .steps import Steps

# 事件 (归属记录)
EV_REGISTER, EV_ROTATION, EV_DUPLICATE = "登记", "轮客", "撞单"
EV_FALL, EV_CLAIM, EV_REFUSED, EV_OVERRIDE = "掉入公海", "公海领取", "领取被拒", "调整"
# 归属依据: why a customer has its owner ...
B_DESIGNATED, B_REFERRAL, B_ROTATION, B_REGISTERED = "指定", "转介绍", "轮客", "登记"
B_DUPLICATE, B_CLAIM, B_OVERRIDE = "撞单", "公海领取", "调整"
# ... or why it is in the pool (a refused claim leaves it there)
B_EXPIRED, B_LEFT, B_NOBODY_ON_DUTY, B_CAP = "保护期到期", "离职", "无人值班", "超出上限"
B_COOLDOWN, B_REGISTRANT_GONE = "冷却期", "登记人不在职"

NO_ONE = -1
NO_DAY = None
NON_OWNER_VISITS_TO_FLAG = 3   # visits by one person to another's private customer worth a look


class LogEntry(NamedTuple):   # a NamedTuple: made ~10⁵ times in the loop, cheaply
    cust: int
    day: int
    seq: int
    event: str
    old: int        # person index or NO_ONE
    new: int
    basis: str
    info: tuple     # a records.*Info: what the 说明 sentence needs (see texts.detail)
    actor: int      # who acted: the registrant, the visitor (claims, refusals), the approver


@dataclass(frozen=True)
class Timeline:
    """Everything the replay found; immutable once built."""
    owner: tuple            # per customer at as_of: person index or NO_ONE (unregistered customers excluded)
    basis: tuple
    since: tuple            # day the current owner / pool stay began
    until: tuple            # protection end (inclusive) or None in the pool
    spells: Steps           # per customer from each start day: owner (NO_ONE = pool), basis
    protection: Steps       # per customer from each day: the protection end (while owned)
    log: tuple              # LogEntry in processing order (days non-decreasing)
    notes: tuple            # records.* notes for findings, see texts.findings_of
    pointer: int            # rotation pointer at as_of


def replay(inp: Inputs) -> Timeline:
    R, P, C = inp.rules, inp.people, inp.customers
    n = len(C.ids)
    first_day, last_day = P.first_day, P.last_day
    N, M, cap, cool = R.protection_days, R.deal_days, R.cap, R.cooldown_days

    owner = [NO_ONE] * n
    basis: list = [None] * n
    since: list = [NO_DAY] * n
    until: list = [NO_DAY] * n
    base = [0] * n            # max(ownership start, last owner visit)
    deal = [None] * n         # last approved contract day in this ownership
    registered = [False] * n
    prev_owner = [NO_ONE] * n  # who lost the customer when it last fell
    fell = [NO_DAY] * n
    token = [0] * n           # current ownership spell id: older heap entries are stale
    count = [0] * len(P.ids)  # private customers per person, right now
    # step functions, as flat columns: spells (customer, start day, owner, basis) and
    # protection (customer, day, protection end)
    sp_c, sp_d, sp_o, sp_b = [], [], [], []
    pr_c, pr_d, pr_u = [], [], []
    pr_c_add, pr_d_add, pr_u_add = pr_c.append, pr_d.append, pr_u.append
    heap: list = []
    push, pop = heapq.heappush, heapq.heappop
    log: list = []
    notes: list = []
    pointer = NO_ONE

    def add_log(c, day, event, old, new, b, info=NO_INFO, actor=NO_ONE):
        log.append(LogEntry(c, day, len(log) + 1, event, old, new, b, info, actor))

    def protection(c, p):
        return protection_end(base[c], deal[c], N, M, last_day[p])

    def acquire(c, p, b, day):
        old = owner[c]
        if old >= 0:
            count[old] -= 1
        owner[c] = p
        count[p] += 1
        basis[c], since[c], base[c], deal[c] = b, day, day, None
        u = protection(c, p)
        until[c] = u
        token[c] += 1
        push(heap, (u + 1, c, token[c]))
        sp_c.append(c), sp_d.append(day), sp_o.append(p), sp_b.append(b)
        pr_c_add(c), pr_d_add(day), pr_u_add(u)
        return old

    def to_pool(c, b, day, lost):
        if owner[c] >= 0:
            count[owner[c]] -= 1
        owner[c] = NO_ONE
        basis[c], since[c], until[c], deal[c] = b, day, NO_DAY, None
        prev_owner[c], fell[c] = lost, day
        token[c] += 1
        sp_c.append(c), sp_d.append(day), sp_o.append(NO_ONE), sp_b.append(b)

    def extend(c, day):
        u = protection(c, owner[c])
        if u != until[c]:
            until[c] = u
            pr_c_add(c), pr_d_add(day), pr_u_add(u)

    def fall_due(today):
        """Apply every fall due on or before `today` (a customer falls the day after expiry)."""
        while heap and heap[0][0] <= today:
            fall_day, c, tok = pop(heap)
            if tok != token[c] or owner[c] < 0:
                continue
            due = until[c] + 1
            if due > fall_day:          # protection was extended meanwhile
                push(heap, (due, c, tok))
                continue
            p = owner[c]
            left = cut_by_leaving(until[c], last_day[p], base[c], deal[c], N, M)
            b = B_LEFT if left else B_EXPIRED
            info = R_.FallInfo(until[c], base[c], deal[c], P.leave_dated[p], since[c])
            to_pool(c, b, fall_day, p)
            add_log(c, fall_day, EV_FALL, p, NO_ONE, b, info)

    def register(c, day):
        nonlocal pointer
        registered[c] = True
        dup = inp.duplicates.get(c)
        if dup is not None:
            o = dup.original
            p = owner[o] if registered[o] else NO_ONE
            if p >= 0:
                acquire(c, p, B_DUPLICATE, day)
            else:
                to_pool(c, B_DUPLICATE, day, NO_ONE)
            add_log(c, day, EV_DUPLICATE, NO_ONE, p, B_DUPLICATE, R_.DuplicateInfo(dup))
            notes.append(R_.DuplicateNote(c, dup, p))
            return
        p = C.designated[c]
        if p >= 0:
            if first_day[p] <= day <= last_day[p]:
                acquire(c, p, B_DESIGNATED, day)
                add_log(c, day, EV_REGISTER, NO_ONE, p, B_DESIGNATED)
                return
            notes.append(R_.DesignatedGone(c, p, day))
        r = C.referrer[c]
        if r >= 0 and registered[r] and owner[r] >= 0:
            p = owner[r]
            acquire(c, p, B_REFERRAL, day)
            add_log(c, day, EV_REGISTER, NO_ONE, p, B_REFERRAL, R_.ReferralInfo(r))
            return
        if C.source[c] == "上门散客":
            cands = inp.roster.get(day, ())
            p = next_on_duty(cands, pointer)
            if p >= 0:
                info = R_.RotationInfo(pointer, cands)
                pointer = p
                acquire(c, p, B_ROTATION, day)
                add_log(c, day, EV_ROTATION, NO_ONE, p, B_ROTATION, info)
            else:
                to_pool(c, B_NOBODY_ON_DUTY, day, NO_ONE)
                add_log(c, day, EV_ROTATION, NO_ONE, NO_ONE, B_NOBODY_ON_DUTY)
                notes.append(R_.NobodyOnDuty(c, day))
            return
        p = C.registered_by[c]
        if p < 0 or not first_day[p] <= day <= last_day[p]:
            to_pool(c, B_REGISTRANT_GONE, day, NO_ONE)
            add_log(c, day, EV_REGISTER, NO_ONE, NO_ONE, B_REGISTRANT_GONE, R_.RegistrantInfo(p), p)
            notes.append(R_.RegistrantGone(c, p, day))
        elif count[p] >= cap:
            to_pool(c, B_CAP, day, NO_ONE)
            add_log(c, day, EV_REGISTER, NO_ONE, NO_ONE, B_CAP, R_.CapInfo(p, count[p]), p)
            notes.append(R_.CapAtRegistration(c, p, day, count[p]))
        else:
            acquire(c, p, B_REGISTERED, day)
            add_log(c, day, EV_REGISTER, NO_ONE, p, B_REGISTERED, NO_INFO, p)

    # visit aggregates for findings; refused / early: key -> [count, first day, last day,
    # first row, last row, extra]
    non_owner: list = []      # visit positions by a non-owner to a private customer
    non_owner_of: list = []   # ... and the owner at that moment
    non_owner_add, non_owner_of_add = non_owner.append, non_owner_of.append
    refused: dict = {}
    early: dict = {}
    v_staff = inp.visits["staff"].tolist()
    v_cust = inp.visits["cust"].tolist()
    v_row = inp.visits["row"].tolist()
    d_cust = inp.deals["cust"].tolist()
    o = inp.overrides
    o_cust, o_new, o_appr = o["cust"].tolist(), o["new_owner"].tolist(), o["approver"].tolist()
    o_reason = o["reason"].tolist()

    def tally(store, key, day, row, extra):
        t = store.get(key)
        if t is None:
            store[key] = [1, day, day, row, row, extra]
        else:
            t[0] += 1
            t[2], t[4], t[5] = day, row, extra

    kinds, refs, days = inp.events
    current = None
    for kind, i, day in zip(kinds, refs, days):
        if day != current:
            fall_due(day)
            current = day
        if kind == VISIT:
            c, p = v_cust[i], v_staff[i]
            if not registered[c]:
                tally(early, c, day, v_row[i], None)
                continue
            o_ = owner[c]
            if o_ == p:   # the owner's follow-up: protection from today
                if day > base[c]:
                    base[c] = day
                    extend(c, day)
            elif o_ >= 0:
                non_owner_add(i), non_owner_of_add(o_)   # aggregated after the loop
            elif first_day[p] <= day <= last_day[p]:
                if p == prev_owner[c] and day < fell[c] + cool:
                    add_log(c, day, EV_REFUSED, NO_ONE, NO_ONE, B_COOLDOWN, R_.CooldownInfo(p, fell[c], cool), p)
                    tally(refused, (c, p, B_COOLDOWN), day, v_row[i], fell[c])
                elif count[p] >= cap:
                    add_log(c, day, EV_REFUSED, NO_ONE, NO_ONE, B_CAP, R_.CapInfo(p, count[p]), p)
                    tally(refused, (c, p, B_CAP), day, v_row[i], count[p])
                else:
                    acquire(c, p, B_CLAIM, day)
                    add_log(c, day, EV_CLAIM, NO_ONE, p, B_CLAIM, NO_INFO, p)
        elif kind == REGISTRATION:
            register(i, day)
        elif kind == DEAL:
            c = d_cust[i]
            if registered[c] and owner[c] >= 0 and (deal[c] is None or day > deal[c]):
                deal[c] = day
                extend(c, day)
        else:  # OVERRIDE
            c, p = o_cust[i], o_new[i]
            if c < 0 or not registered[c]:
                notes.append(R_.OverrideUnregistered(i))
            elif p < 0 or not first_day[p] <= day <= last_day[p]:
                notes.append(R_.OverrideToAbsent(i, p))
            else:
                old = acquire(c, p, B_OVERRIDE, day)
                add_log(c, day, EV_OVERRIDE, old, p, B_OVERRIDE, R_.OverrideInfo(o_appr[i], o_reason[i]), o_appr[i])
    fall_due(inp.as_of_day)

    # one finding per (customer, person): the count stays sane on big data
    notes += _repeated_non_owner_visits(inp, non_owner, non_owner_of)
    for (c, p, why), (cnt, d1, d2, first_row, _, extra) in refused.items():
        notes.append(R_.RefusedClaims(c, p, why, cnt, d1, d2, first_row, extra))
    for c, (cnt, d1, d2, first_row, _, _) in early.items():
        notes.append(R_.EarlyVisits(c, cnt, d1, d2, first_row))

    return Timeline(tuple(owner), tuple(basis), tuple(since), tuple(until),
                    Steps.build(n, sp_c, sp_d, sp_o, sp_b), Steps.build(n, pr_c, pr_d, pr_u),
                    tuple(log), tuple(notes), pointer)




def _repeated_non_owner_visits(inp: Inputs, positions: list, owners: list) -> list:
    """One note per (customer, visitor) with NON_OWNER_VISITS_TO_FLAG or more visits to the
    customer while someone else owned it: (c, p, count, first day, last day, last row, owner then)."""
    if not positions:
        return []
    v = inp.visits.iloc[positions][["cust", "staff", "day", "row"]].assign(owner=owners)
    g = v.groupby(["cust", "staff"], sort=True)
    agg = g.agg(count=("day", "size"), first=("day", "min"), last=("day", "max"))
    tail = g.tail(1).set_index(["cust", "staff"])   # visits are in replay order: the latest last
    agg = agg[agg["count"] >= NON_OWNER_VISITS_TO_FLAG].join(tail[["row", "owner"]])
    return [R_.NonOwnerVisits(c, p, n, d1, d2, r, o) for (c, p), n, d1, d2, r, o in zip(
        agg.index, agg["count"].tolist(), agg["first"].tolist(), agg["last"].tolist(),
        agg["row"].tolist(), agg["owner"].tolist())]
