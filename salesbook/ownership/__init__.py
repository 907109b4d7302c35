"""Customer ownership engine (客户归属, 争单管理 — domain.md §5): pure, no I/O, no clock.

    own = compute(tables, settings, as_of)      # tables: usable rows (错误 rows removed)
    own.state, own.log                           # 客户归属 / 归属记录 frames (contract keys)
    own.findings                                 # 警告s: cap, nobody on duty, 撞单, cooldown, ...
    own.owner_on("K001", date(2026, 3, 5))       # OwnerAt(owner_id, owner_name, basis, since,
                                                 #         protected_until) or None (pool)
    own.owners_on(customer_ids, dates)           # the same for many pairs at once (vectorised)
    own.journal                                  # 归属记录 in replay order, with the acting person
    own.expiring(7), own.summary_lines("zh"), own.signer_findings(tables["contracts"])

How it works. Every event up to as_of runs through one loop in global time order
(replay.py), because the private-customer cap and the rotation pointer couple customers.
Expiry is lazy (a heap of "would fall on" days, re-pushed when protection was extended).
Each customer keeps its ownership spells and its protection updates as sorted arrays,
so owner_on(customer, T) for any T ≤ as_of is two bisects.

Rules as implemented (§5), with the decisions taken where domain.md is silent:

Order of events. Days are the unit. Within a day: falls to the pool first (a customer is
in the pool from the day after its protection ends), then registrations by 登记日期 time
(then Excel row), then 归属调整, then visits (row order), then contracts. So a visit on
the registration day counts as the owner's follow-up, and an override beats a same-day
claim. owner_on(T) answers for the end of day T.

Registration (5.1). First rule that applies: 撞单 (5.4, see below) → 指定 (designated person
employed that day; otherwise a 警告 and the next rule) → 转介绍 (the referrer customer's
owner at that moment) → 上门散客: rotation (5.2) → 登记 by 登记人工号, capped. A capped-out
登记 or a registrant not employed that day puts the customer in the pool (logged, 警告).

Rotation (5.2). Candidates: that day's 值班 rows by 顺序 (blank 顺序 after the numbered ones),
then row; known people employed on that day; a name listed twice counts once. The pointer
is the person who received the previous rotation walk-in on any day; next = the one after
the pointer in today's list (cyclic), or the first when the pointer is not on it. Only
successful rotations move the pointer. "在职/试用 only" is read as "employed on that day"
(入职日期 ≤ day ≤ 离职日期), so a person who leaves in June does not lose March walk-ins
retroactively when 状态 turns 离职. A 离职 person without 离职日期 is never a rotation
candidate (we cannot tell when they were 在职); for the other rules they count as
employed up to the day before as_of, so their customers are in the pool on as_of (a 警告
asks for the date).

Protection and the pool (5.3). While owned: protected_until = max(ownership start, last
visit by the owner) + 客户保护期天数, raised to the last approved, not cancelled contract
signed during this ownership + 成交客户保护期天数 (contracts signed while the customer is
in the pool or under an earlier owner do not protect a later owner; contracts never claim),
and cut at the owner's 离职日期: a leaver's customers fall to the pool the day after they
leave (basis 离职). The customer falls on protected_until + 1 (event 掉入公海). A visit to a
pool customer by anyone employed that day claims it (公海领取) unless refused: the
previous owner within 前归属人冷却天数 of the fall (day of fall + cooldown − 1 is the last
refused day), or a person already holding 每人私有客户上限 private customers. Refused
claims are logged (领取被拒) and warned once per customer and person. 指定, 转介绍, 轮客,
撞单 and 调整 are not capped (a person may end above the cap through them). Visits by a
non-owner to a private customer change nothing; 3 or more by the same person to the same
customer give one 警告 (on the latest visit row). Visits dated before the customer's
registration day are ignored (one 警告 per customer).

Duplicates (5.4). Phone key: digits only, a leading 0086 / 86 dropped when a full number
follows, at least 6 digits; name key: NFKC (full-width → half-width), whitespace removed,
letters case-folded. A customer matching an earlier-registered one (time, then row) is a
duplicate: 重复于 names the earliest customer of the chain, the 警告 names the customer it
matched. It gets the original's owner at that moment (basis 撞单, uncapped) or, if the
original is in the pool, goes to the pool. After that it lives its own timeline.

Overrides (5.5). From 生效日期 the new owner holds the customer (basis 调整), the clock
restarts (start = 生效日期; earlier contracts no longer protect). An override before the
customer's registration or to a person not employed that day is ignored with a 警告.

Signer check (§4, §6.1). signer_findings warns on each contract (not 已驳回, not 已取消,
signed ≤ as_of) whose customer was private on 签约日期 with an owner other than the signer,
except when the owner is the collaborator, or in the 70/30 case (signer 内销, no
collaborator, owner 外销 who visited within 客户保护期天数 before signing).

Output. 客户归属: one row per customer registered by as_of, sorted by 客户编号 in natural
order (K2 before K10); a pool customer has no owner, 归属依据 = why it is in the pool
(保护期到期 / 离职 / 无人值班 / 超出上限 / 撞单 / 登记人不在职), 归属起始日 = the day it got
there. 归属记录: every change (登记 / 轮客 / 撞单 / 掉入公海 / 公海领取 / 领取被拒 / 调整),
with a plain-Chinese 说明. Customers registered after as_of, and events after it, are not
seen.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .inputs import prepare
from .replay import NON_OWNER_VISITS_TO_FLAG, replay
from .result import OWNED, POOL, Ownership, OwnerAt


def compute(tables: dict[str, pd.DataFrame], settings, as_of: dt.date) -> Ownership:
    """Ownership of every customer up to the end of day `as_of`."""
    inp = prepare(tables, settings, as_of)
    return Ownership(inp, replay(inp))


__all__ = ["compute", "Ownership", "OwnerAt", "OWNED", "POOL", "NON_OWNER_VISITS_TO_FLAG"]
