"""Computing an open month next to closed ones (pure; the month's engine is a parameter).

For an open month N with closed months before it:
- the changes since the last lock (diff.changes) say from which closed month on history
  moved (`earliest`); every closed month from there is recomputed with today's data
  (the rows feeding a month feed every later one);
- closed months before `earliest` are read from their snapshots (state.history): carry-
  forward and streaks of what is computed next read the locked 签约业绩, 销售目标 and
  deficit, never the data again;
- each recomputed closed month gives its 追溯调整 lines (retro.adjustments), which N pays
  in its 调整 column. When N closes, the lines are part of its snapshot (state.adjusted
  then subtracts them), and the recomputed months are recorded as restated history, so
  the month after N neither pays them again nor reads stale history.
With no change since the last lock, nothing is recomputed (the cost is the fingerprint
comparison alone).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..commission.history import Locked
from ..domain.calendar import Month
from ..domain.money import fen_of
from . import diff as D
from . import retro as R
from .state import CloseState


@dataclass(frozen=True)
class Plan:
    locked: Locked | None                     # closed history the engine reads for N
    retro: tuple[R.RetroLine, ...] = ()       # what N pays for closed months
    restated: dict = field(default_factory=dict)   # Month -> Pay recomputed with today's data
    changes: tuple[D.Change, ...] = ()


def locked_history(state: CloseState, before: Month | None) -> Locked:
    """Snapshots of the closed months before `before` (None: every closed month)."""
    h = state.history()
    signed, target, carry = {}, {}, {}
    for r in h.to_dict("records"):
        m = Month.parse(r["month"])
        if before is not None and m >= before:
            continue
        key = (r["staff_id"], m.index)
        signed[key] = int(r["signed"])
        target[key] = int(r["sales_target"])
        carry[key] = int(r["carry_out"])
    return Locked(signed, target, carry)


def plan(state: CloseState, changes: list[D.Change], month: Month,
         recompute: Callable[[Month, Locked], object], sheet_name=lambda k: k) -> Plan:
    """What computing open `month` reads from the closed months and pays for them.
    recompute(M, locked) → the Pay of closed month M with today's data."""
    closed = [m for m in state.closed if m < month]
    if not closed:
        return Plan(None)
    changes = [c for c in changes if c.month < month]
    earliest = D.affected_from(changes)
    prefix = locked_history(state, earliest)
    if earliest is None:
        return Plan(prefix)
    lines: list[R.RetroLine] = []
    restated = {}
    for m in closed:
        if m < earliest:
            continue
        pay = recompute(m, prefix)
        restated[m] = pay
        general = [D.describe(c, sheet_name) for c in changes if c.month <= m][:5]
        lines += R.adjustments(m, state.locked_payroll(m), state.adjusted(m), pay,
                               _evidence(state, changes, m, pay, sheet_name), general)
    return Plan(prefix, tuple(lines), restated, tuple(changes))


def _evidence(state: CloseState, changes: list[D.Change], m: Month, pay, sheet_name) -> dict[str, list[str]]:
    """Per person: the changed rows behind their figures of month m, in words."""
    by_id = D.document_ids(changes, m)
    if not by_id:
        return {}
    docs: dict[str, set] = {}
    lf = pay.line_fen
    for sid, doc in zip(lf["staff_id"], lf["document_id"]):
        docs.setdefault(sid, set()).add(doc)
    locked = state.locked_lines(m)
    for sid, doc in zip(locked["staff_id"], locked["document_id"]):
        docs.setdefault(sid, set()).add(doc)
    out = {}
    for sid in set(docs) | set(pay.persons):
        mine = (docs.get(sid, set()) | {sid}) & set(by_id)
        seen, texts = set(), []
        for i in sorted(mine):
            for c in by_id[i]:
                if id(c) not in seen:
                    seen.add(id(c))
                    texts.append(D.describe(c, sheet_name))
        if texts:
            out[sid] = texts
    return out


def payroll_rows(pay, recorded: Month) -> list[dict]:
    """The snapshot rows (CLOSE_PAYROLL keys, money in fen) of a Pay."""
    rows = []
    for r in pay.payroll.to_dict("records"):
        p = pay.persons[r["staff_id"]]
        row = {k: v for k, v in r.items()}
        for k in ("signed", "collected", "commission_base", "commission", "base_salary", "attendance_bonus",
                  "performance_pay", "allowance", "awards", "adjustment", "total"):
            row[k] = fen_of(r[k])
        row["sales_target"] = p.target or 0
        row["perf_base"] = p.perf_base
        row["carry_out"] = p.carry_out
        row["recorded"] = recorded.label
        rows.append(row)
    return rows
