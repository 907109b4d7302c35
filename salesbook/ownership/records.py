"""Typed records of the replay: what each 归属记录 row carries for its 说明, and the notes
that become 警告 findings. People and customers are indexes (see inputs.py), days are day
numbers (days.py); texts.py turns them into sentences.

NamedTuples: the replay makes ~10⁵ of them, and a NamedTuple costs little more than a tuple.
"""
from __future__ import annotations

from typing import NamedTuple

# --- what a 归属记录 row knows besides who and when (LogEntry.info) -----------------


class NoInfo(NamedTuple):
    """Registration by 指定 / 登记, a claim: the event says it all."""


NO_INFO = NoInfo()


class ReferralInfo(NamedTuple):
    referrer: int            # the customer who referred this one


class CapInfo(NamedTuple):
    person: int              # who was refused (registrant or visitor)
    held: int                # private customers they held then (≥ 每人私有客户上限)


class RegistrantInfo(NamedTuple):
    person: int              # the registrant who was not employed that day (−1 unknown)


class RotationInfo(NamedTuple):
    pointer: int             # who received the previous rotation walk-in (−1 none yet)
    candidates: tuple        # that day's candidates in rotation order


class DuplicateInfo(NamedTuple):
    duplicate: object        # duplicates.Duplicate: the customer matched, how, the original


class FallInfo(NamedTuple):
    until: int               # last protected day
    base: int                # max(ownership start, last owner visit)
    deal: int | None         # last contract day of the ownership
    leave_dated: bool        # False: the owner is 离职 without a 离职日期
    start: int               # first day of the ownership


class CooldownInfo(NamedTuple):
    person: int              # the previous owner who tried to claim it back
    fell: int                # the day the customer fell to the pool
    cooldown: int            # 前归属人冷却天数


class OverrideInfo(NamedTuple):
    approver: int            # who approved the 归属调整
    reason: str


# --- notes that become findings (Timeline.notes) ---------------------------------------


class DuplicateNote(NamedTuple):
    customer: int
    duplicate: object        # duplicates.Duplicate
    owner: int               # owner it got (−1 pool)


class DesignatedGone(NamedTuple):
    customer: int
    person: int              # the designated consultant, not employed that day
    day: int


class NobodyOnDuty(NamedTuple):
    customer: int
    day: int


class RegistrantGone(NamedTuple):
    customer: int
    person: int              # −1 unknown
    day: int


class CapAtRegistration(NamedTuple):
    customer: int
    person: int
    day: int
    held: int


class OverrideUnregistered(NamedTuple):
    override: int            # row position in Inputs.overrides


class OverrideToAbsent(NamedTuple):
    override: int
    person: int              # the new owner, not employed on 生效日期 (−1 unknown)


class NonOwnerVisits(NamedTuple):
    customer: int
    person: int              # the visitor
    count: int
    first: int               # day
    last: int                # day
    row: int                 # Excel row of the latest visit
    owner: int               # the owner at that visit


class RefusedClaims(NamedTuple):
    customer: int
    person: int
    why: str                 # B_CAP or B_COOLDOWN
    count: int
    first: int
    last: int
    row: int                 # Excel row of the first refused visit
    extra: int               # held count (cap) or the day it fell (cooldown)


class EarlyVisits(NamedTuple):
    customer: int
    count: int
    first: int
    last: int
    row: int                 # Excel row of the first such visit
