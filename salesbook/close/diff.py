"""Which input rows changed since the close that last locked them (pure).

Rows are compared as multisets of (sheet, fingerprint): re-ordering a sheet changes
nothing; a locked row whose fingerprint is no longer among the rows feeding a closed
month is gone, a row feeding one that was not locked is new. A gone row and a new or
moved row with the same key (合同编号, 月份+工号 …; for 拜访 the same row number) are one
edit, reported cell by cell (old → new); the rest are deletions and additions. A row
whose date moved past every closed month, or was blanked, still pairs with its locked
version by key, so a payment moved out of October reads as an edit of 回款日期.

Each change names the earliest closed month it touches: the month the row started
feeding (its date's month, or the first closed month for 人员/参数/plan rows).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import contract as K
from ..domain.calendar import Month
from . import fingerprint as FP

CHANGED, ADDED, DELETED = "changed", "added", "deleted"


@dataclass(frozen=True)
class Change:
    kind: str                      # CHANGED / ADDED / DELETED
    sheet: str                     # contract sheet key
    row: int                       # Excel row now (CHANGED/ADDED) or when locked (DELETED)
    key: str                       # the row's key text ("" for 拜访)
    month: Month                   # earliest closed month the row fed
    cells: tuple[tuple[str, str, str], ...] = ()   # (column key, old, new) for CHANGED
    old: str = ""                  # locked canonical text (CHANGED/DELETED)
    new: str = ""                  # current canonical text (CHANGED/ADDED)

    def values(self, which: str) -> dict[str, str]:
        text = self.old if which == "old" else self.new
        return dict(zip(K.SHEETS[self.sheet].keys(), text.split(FP.SEP))) if text else {}


def _occurrence(frame: pd.DataFrame) -> pd.MultiIndex:
    n = frame.groupby(["sheet", "hash"]).cumcount().to_numpy()
    return pd.MultiIndex.from_arrays([frame["sheet"].to_numpy(), frame["hash"].to_numpy(), n])


def changes(locked: pd.DataFrame, current: pd.DataFrame, closed: tuple[Month, ...]) -> list[Change]:
    """Changes of the rows that feed a closed month, since their last lock. `locked`: the
    replayed fingerprints (state.locked_prints); `current`: fingerprint.table_rows now."""
    if not closed or (not len(locked) and not len(current)):
        return []
    first, last = closed[0], closed[-1]
    now_fed = FP.fed(current, last.index)
    old_occ, new_occ = _occurrence(locked), _occurrence(now_fed)
    gone = locked[~old_occ.isin(new_occ)]
    new = now_fed[~new_occ.isin(old_occ)]
    if not len(gone) and not len(new):
        return []
    new_left = set(new.index)
    out: list[Change] = []
    by_key = {}
    by_row = {}
    cur = current
    for i, sheet, key, row, start in zip(cur.index, cur["sheet"], cur["key"], cur["row"], cur["start"]):
        if key:
            by_key.setdefault((sheet, key), []).append(i)
        else:
            by_row[(sheet, int(row))] = i
    for g in gone.itertuples(index=False):
        cand = by_key.get((g.sheet, g.key), []) if g.key else [by_row.get((g.sheet, int(g.row)))]
        match = next((i for i in cand if i is not None and (i in new_left or not _feeds(cur.at[i, "start"], last))),
                     None)
        if match is None:
            out.append(Change(DELETED, g.sheet, int(g.row), g.key, _touch(g.start, first), old=g.text))
            continue
        new_left.discard(match)
        c = cur.loc[match]
        out.append(Change(CHANGED, g.sheet, int(c["row"]), g.key, _touch(min(_s(g.start), _s(c["start"])), first),
                          _cells(g.sheet, g.text, c["text"]), old=g.text, new=c["text"]))
    for i in sorted(new_left):
        c = cur.loc[i]
        out.append(Change(ADDED, c["sheet"], int(c["row"]), c["key"], _touch(c["start"], first), new=c["text"]))
    order = {s.key: n for n, s in enumerate(K.INPUT_SHEETS)}
    return sorted(out, key=lambda c: (order.get(c.sheet, 99), c.row, c.kind))


def _feeds(start: int, last: Month) -> bool:
    return start == FP.ALWAYS or 0 <= start <= last.index


def _s(start: int) -> int:
    """Start as a sortable month index (ALWAYS first, a blank date last)."""
    return {FP.ALWAYS: -1, FP.NEVER: 1 << 40}.get(int(start), int(start))


def _touch(start: int, first: Month) -> Month:
    start = int(start)
    if start < 0 or start >= 1 << 40:
        return first
    return max(Month.from_index(start), first)


def _cells(sheet: str, old: str, new: str) -> tuple[tuple[str, str, str], ...]:
    keys = K.SHEETS[sheet].keys()
    a, b = old.split(FP.SEP), new.split(FP.SEP)
    a += [""] * (len(keys) - len(a))
    b += [""] * (len(keys) - len(b))
    return tuple((k, x, y) for k, x, y in zip(keys, a, b) if x != y)


def affected_from(found: list[Change]) -> Month | None:
    """The earliest closed month a change touches (every later closed month is touched too:
    the rows that feed a month feed every later one)."""
    return min((c.month for c in found), default=None)


def document_ids(found: list[Change], month: Month) -> dict[str, list[Change]]:
    """Changes touching `month` or earlier, by the document or person id they concern (合同编号,
    回款编号, and 工号 for 人员/目标/考勤 rows), to name them in a 追溯调整 line."""
    out: dict[str, list[Change]] = {}
    for c in found:
        if c.month > month:
            continue
        ids = set()
        for which in ("old", "new"):
            v = c.values(which)
            for k in ("payment_id", "contract_id", "staff_id"):
                if v.get(k):
                    ids.add(v[k])
        for i in ids:
            out.setdefault(i, []).append(c)
    return out


def describe(c: Change, sheet_name, lang: str = "zh", limit: int = 3) -> str:
    """One change in words: 回款 第 6 行 金额 10000 → 8000."""
    name = sheet_name(c.sheet)
    if c.kind == CHANGED:
        sheet = K.SHEETS[c.sheet]
        parts = [f"{sheet.col(k).header(lang)} {o or ('(空)' if lang != 'en' else '(blank)')} → "
                 f"{n or ('(空)' if lang != 'en' else '(blank)')}" for k, o, n in c.cells[:limit]]
        more = (f" 等 {len(c.cells)} 处" if lang != "en" else f" and {len(c.cells) - limit} more") \
            if len(c.cells) > limit else ""
        return (f"{name} 第 {c.row} 行 " if lang != "en" else f"{name} row {c.row}: ") + ", ".join(parts) + more
    label = c.key or (c.new or c.old).split(FP.SEP)[0]
    if c.kind == ADDED:
        return f"{name} 第 {c.row} 行 新增({label})" if lang != "en" else f"{name} row {c.row} added ({label})"
    return f"{name} 原第 {c.row} 行 已删除({label})" if lang != "en" else f"{name} row {c.row} (as locked) deleted ({label})"
