"""撞单 (domain.md §5.4): customers that are the same real customer typed twice."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

PHONE, NAME = "电话", "客户名称"
MIN_PHONE_DIGITS = 6   # shorter digit runs ("-", "无", an extension) identify nobody


def phone_keys(phones) -> list:
    """Digits only, a leading 0086 / 86 country code dropped (when a full number follows)."""
    s = pd.Series(phones, dtype="object").astype("string").str.replace(r"\D", "", regex=True)
    s = s.str.replace(r"^0086(?=\d{8})", "", regex=True).str.replace(r"^86(?=\d{10})", "", regex=True)
    return _keys(s, s.str.len() >= MIN_PHONE_DIGITS)


def name_keys(names) -> list:
    """Full-width → half-width (NFKC), whitespace removed, letters case-folded."""
    s = pd.Series(names, dtype="object").astype("string").str.normalize("NFKC")
    s = s.str.replace(r"\s+", "", regex=True).str.lower()
    return _keys(s, s.str.len() > 0)


def _keys(s: pd.Series, ok: pd.Series) -> list:
    """str keys, None where there is no usable key."""
    ok = ok.fillna(False).to_numpy(dtype=bool)
    return [k if good else None for k, good in zip(s.tolist(), ok)]


@dataclass(frozen=True)
class Duplicate:
    original: int   # the earliest registered customer of the chain (重复于)
    matched: int    # the earlier customer this one matches directly
    how: str        # PHONE or NAME: what matched
    value: str      # the value as typed on this customer's row


def find_duplicates(order: list[int], phones: list, names: list, phone_text: list, name_text: list
                    ) -> dict[int, Duplicate]:
    """customer index → Duplicate, for every customer matching an earlier one.

    `order` is the registration order (time, then row). A customer matches the earliest
    earlier customer with the same phone key or name key; 重复于 then follows that
    customer to its own original, so it always names a customer that is not a duplicate.
    """
    rank = {c: i for i, c in enumerate(order)}
    first_phone: dict = {}
    first_name: dict = {}
    out: dict[int, Duplicate] = {}
    for c in order:
        pk, nk = phones[c], names[c]
        hits = []
        if pk is not None and pk in first_phone:
            hits.append((rank[first_phone[pk]], first_phone[pk], PHONE, phone_text[c]))
        if nk is not None and nk in first_name:
            hits.append((rank[first_name[nk]], first_name[nk], NAME, name_text[c]))
        if hits:
            _, m, how, value = min(hits)
            root = out[m].original if m in out else m
            out[c] = Duplicate(root, m, how, value)
        if pk is not None:
            first_phone.setdefault(pk, c)
        if nk is not None:
            first_name.setdefault(nk, c)
    return out
