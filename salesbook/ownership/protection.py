"""How long an owner keeps a customer (domain.md §5.3), in day numbers — the one formula.

    protected until = max(ownership start, last visit by the owner) + 客户保护期天数,
                      raised to last approved, not cancelled contract + 成交客户保护期天数,
                      cut at the owner's last day of employment (离职日期)

The customer falls to the pool the day after. `base` is max(start, last owner visit);
`deal` the last contract day of this ownership (None = none).
"""
from __future__ import annotations


def natural_end(base: int, deal: int | None, protection_days: int, deal_days: int) -> int:
    """The protection end before any 离职 cut."""
    end = base + protection_days
    return deal + deal_days if deal is not None and deal + deal_days > end else end


def protection_end(base: int, deal: int | None, protection_days: int, deal_days: int, last_day: int) -> int:
    """The protection end of an owner employed until `last_day`."""
    end = natural_end(base, deal, protection_days, deal_days)
    return end if end <= last_day else last_day


def decided_by_deal(base: int, deal: int | None, protection_days: int, deal_days: int) -> bool:
    """Whether the contract clause set the end (on a tie both give the same day; the deal is named)."""
    return deal is not None and deal + deal_days >= base + protection_days


def cut_by_leaving(until: int, last_day: int, base: int, deal: int | None,
                   protection_days: int, deal_days: int) -> bool:
    """Whether an end `until` is the owner's leaving day rather than the natural end."""
    return until == last_day and last_day < natural_end(base, deal, protection_days, deal_days)
