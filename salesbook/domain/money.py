"""Exact money: integer fen (分) end to end, ratios as integer millionths (ppm).

Workbook amounts arrive as float yuan; they are converted once to fen here and
every later step is integer arithmetic. Rounding is half-up (away from zero, as
finance staff round by hand) and happens only where a product with a ratio makes a
fraction of a fen.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

PPM = 1_000_000  # ratios (shares, rates, factors) are held as integer millionths


def to_fen(yuan) -> np.ndarray:
    """Float yuan (NaN = 0) → int64 fen, half-up. Rounding x*100 to 6 places first
    removes binary noise (1.005*100 = 100.49999…) before the half-up step."""
    x = np.asarray(pd.to_numeric(pd.Series(yuan, dtype="float64")).fillna(0.0), dtype="float64")
    cents = np.round(x * 100.0, 6)
    return (np.sign(cents) * np.floor(np.abs(cents) + 0.5)).astype("int64")


def fen_of(yuan) -> int:
    """One float yuan (None/NaN = 0) → fen, the same rounding as to_fen."""
    if yuan is None:
        return 0
    x = float(yuan)
    if x != x:
        return 0
    cents = round(x * 100.0, 6)
    return int(math.copysign(math.floor(abs(cents) + 0.5), cents))


def to_ppm(ratio) -> np.ndarray:
    x = np.asarray(pd.Series(ratio, dtype="float64").fillna(0.0), dtype="float64")
    return np.rint(x * PPM).astype("int64")


def ppm_of(ratio) -> int:
    return int(round(float(ratio) * PPM))


def div_half_up(num, den):
    """Integer division rounded half-up (away from zero); works on ints and int64 arrays."""
    if isinstance(num, np.ndarray):
        return np.sign(num) * ((np.abs(num) * 2 + den) // (2 * den))
    sign = -1 if num < 0 else 1
    return sign * ((abs(num) * 2 + den) // (2 * den))


def mul_ppm(fen, ppm):
    """fen × ratio, rounded half-up to the fen."""
    return div_half_up(fen * ppm, PPM)


def yuan(fen: int) -> float:
    """Fen → float yuan for the written sheets (exactly two decimals)."""
    return round(int(fen) / 100.0, 2)


def money_text(fen: int) -> str:
    """Fen as people write money: 12,345.60 (negative with a minus sign)."""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def ratio_text(ppm: int, places: int = 0) -> str:
    """Millionths as a percentage: 700000 → '70%', 45000 → '4.5%'."""
    pct = ppm / 10_000
    text = f"{pct:.{max(places, 4)}f}".rstrip("0").rstrip(".")
    return text + "%"


def factor_text(ppm: int) -> str:
    """Millionths as a plain number: 1200000 → '1.2'."""
    return f"{ppm / PPM:.6f}".rstrip("0").rstrip(".")


def yuan_text(yuan) -> str:
    """A float yuan amount as money text (the same text as money_text of its fen)."""
    return money_text(fen_of(yuan))


def percent_text(fraction: float, places: int = 1) -> str:
    """0.8523 → '85.2%' (a ratio shown to people, e.g. 达成率)."""
    return f"{fraction * 100:.{places}f}".rstrip("0").rstrip(".") + "%"
