"""Commission tiers (提成方案, domain.md §6.3).

A tier is [下限, 上限) with a rate; 上限 blank = no ceiling. The person's 岗位 rows are
used, else the `默认` rows.
- 累进 (progressive, like tax brackets): each tier pays its rate on the part of the base
  inside it; gaps between tiers pay nothing.
- 全额 (whole): the whole base at the rate of the highest tier reached (下限 ≤ base). At a
  boundary the higher tier applies, because 下限 is inclusive.
A base below every 下限, or ≤ 0, earns nothing. The products are summed exactly (fen ×
millionths) and rounded half-up to the fen once, so tier amounts shown to people may
differ from the total by a fen of rounding; the total is the exact one.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..contract import DEFAULT_ROLE
from ..domain.money import PPM, div_half_up, fen_of, ppm_of

PROGRESSIVE, WHOLE = "累进", "全额"


@dataclass(frozen=True)
class Tier:
    lower: int          # fen, inclusive
    upper: int | None   # fen, exclusive; None = no ceiling
    rate: int           # ppm


@dataclass(frozen=True)
class TierPart:
    """One tier's contribution: the part of the base it applies to and what it pays."""
    tier: Tier
    portion: int        # fen of base taxed at this tier's rate
    exact: int          # portion × rate, in fen×ppm (exact)

    @property
    def fen(self) -> int:
        return div_half_up(self.exact, PPM)


@dataclass(frozen=True)
class Plan:
    role: str                  # the 岗位 whose rows apply (may be 默认); "" = none found
    tiers: tuple[Tier, ...]


def plans(table: pd.DataFrame) -> dict[str, tuple[Tier, ...]]:
    """提成方案 rows → role → tiers sorted by 下限."""
    out: dict[str, list[Tier]] = {}
    for role, lo, up, rate in zip(table["role"], table["lower"], table["upper"], table["rate"]):
        if pd.isna(role) or pd.isna(lo) or pd.isna(rate):
            continue
        out.setdefault(role, []).append(Tier(fen_of(lo), None if pd.isna(up) else fen_of(up), ppm_of(rate)))
    return {r: tuple(sorted(t, key=lambda x: (x.lower, x.upper is None, x.upper or 0))) for r, t in out.items()}


def plan_for(role, table_plans: dict[str, tuple[Tier, ...]]) -> Plan:
    if isinstance(role, str) and role in table_plans:
        return Plan(role, table_plans[role])
    if DEFAULT_ROLE in table_plans:
        return Plan(DEFAULT_ROLE, table_plans[DEFAULT_ROLE])
    return Plan("", ())


def commission(base: int, tiers: tuple[Tier, ...], method: str) -> tuple[int, tuple[TierPart, ...]]:
    """(commission in fen, the tier parts behind it) for a base in fen."""
    if base <= 0 or not tiers:
        return 0, ()
    if method == WHOLE:
        reached = [t for t in tiers if t.lower <= base]
        if not reached:
            return 0, ()
        top = max(reached, key=lambda t: (t.lower, t.rate))
        part = TierPart(top, base, base * top.rate)
        return part.fen, (part,)
    parts = []
    for t in tiers:
        hi = base if t.upper is None else min(base, t.upper)
        portion = hi - t.lower
        if portion > 0:
            parts.append(TierPart(t, portion, portion * t.rate))
    return div_half_up(sum(p.exact for p in parts), PPM), tuple(parts)
