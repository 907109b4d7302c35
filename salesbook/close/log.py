"""The rules of the close log (pure): which month may be closed or reopened, and the new
state after a close or a reopen. "Now" and the operator are parameters.

- Only a month that has ended can be closed. The first close may be any month; after
  that months close in order (the month after the latest closed one), and a month before
  the first closed one cannot be closed any more (its successors are locked on top of it).
- Only the latest closed month can be reopened (later ones first), with a reason.
- 月结记录 is append-only: every close and reopen adds a row, none is ever changed.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .. import contract as K
from ..domain.calendar import Month
from ..domain.money import to_fen
from ..errors import UsageError
from . import fingerprint as FP
from .ledger import payroll_rows
from .state import CLOSED, REOPENED, CloseState


def check_close(state: CloseState, month: Month, today: dt.date) -> None:
    """Refuse a month that cannot be closed now (UsageError, zh + en). A closed month passes
    (closing it again is the unchanged / changed check of the caller)."""
    if month.last >= today:
        raise UsageError(f"{month.label} 还没有结束(今天是 {today}), 不能月结。月结只能在月份结束后进行。",
                         f"{month.label} has not ended yet (today is {today}); a month is closed after it ends.")
    if state.is_closed(month) or not state.closed:
        return
    latest, first = state.latest, state.closed[0]
    if month < first:
        raise UsageError(f"{month.label} 在第一个已结账月份 {first.label} 之前, 不能再结账。",
                         f"{month.label} is before the first closed month {first.label} and can no longer be closed.")
    if month != latest.next():
        raise UsageError(f"月份要按顺序结账: {latest.next().label} 还没有结账, 请先结 {latest.next().label}, 再结 {month.label}。",
                         f"Months close in order: close {latest.next().label} before {month.label}.")


def check_reopen(state: CloseState, month: Month, reason: str) -> None:
    if not (reason or "").strip():
        raise UsageError("反结账必须写明原因: --reason \"原因\"。", "A reopen needs a reason: --reason TEXT.")
    if not state.is_closed(month):
        raise UsageError(f"{month.label} 没有结账, 无需反结账。", f"{month.label} is not closed.")
    if month != state.latest:
        later = [m.label for m in state.closed if m > month]
        raise UsageError(f"请先反结账以后的月份: {'、'.join(reversed(later))}, 再反结账 {month.label}。",
                         f"Reopen the later closed months first: {', '.join(reversed(later))}.")


def _log_row(month: Month, now: dt.datetime, operator: str, fingerprint: str, status: str,
             report_dir: str, reason: str = "") -> dict:
    return {"month": month.label, "closed_at": now.replace(microsecond=0), "operator": operator,
            "fingerprint": fingerprint, "status": status, "report_dir": report_dir, "reason": reason or None}


def _append(frame: pd.DataFrame, rows) -> pd.DataFrame:
    new = pd.DataFrame(rows, columns=frame.columns) if not isinstance(rows, pd.DataFrame) else rows
    if not len(new):
        return frame
    if not len(frame):
        return new.reset_index(drop=True)
    return pd.concat([frame, new], ignore_index=True)


def lock(state: CloseState, month: Month, pay, restated: dict, current: pd.DataFrame, *, now: dt.datetime,
         operator: str, report_dir: str) -> CloseState:
    """The state after closing `month` with `pay` (its 调整 included); `restated`: closed
    months recomputed for the retro adjustments (Month → Pay); `current`: fingerprint rows now."""
    fed = FP.fed(current, month.index)
    log = _append(state.log, [_log_row(month, now, operator, FP.data_fingerprint(fed), CLOSED, report_dir)])
    rows = payroll_rows(pay, month)
    for m, p in sorted(restated.items()):
        rows += payroll_rows(p, month)
    payroll = _append(state.payroll, pd.DataFrame(rows).reindex(columns=K.CLOSE_PAYROLL.keys()))
    lines = _append(state.lines, _lines_rows(pay))
    prints = _append(state.prints, _delta(state.locked_prints(), fed, month))
    return CloseState(log, payroll, lines, prints, tuple(sorted(set(state.closed) | {month})))


def reopen(state: CloseState, month: Month, *, now: dt.datetime, operator: str, reason: str) -> CloseState:
    """The state after reopening `month`: a 已反结账 row, and everything its close recorded dropped."""
    row = state.log_row(month) or {}
    log = _append(state.log, [_log_row(month, now, operator, row.get("fingerprint") or "", REOPENED, "", reason)])
    keep_pay = state.payroll["recorded"] != month.label
    keep_lines = state.lines["month"] != month.label
    keep_prints = state.prints["recorded"] != month.label
    return CloseState(log, state.payroll[keep_pay].reset_index(drop=True),
                      state.lines[keep_lines].reset_index(drop=True),
                      state.prints[keep_prints].reset_index(drop=True),
                      tuple(m for m in state.closed if m != month))


def _lines_rows(pay) -> pd.DataFrame:
    out = pay.lines.copy()
    out["amount"] = to_fen(out["amount"].to_numpy(dtype="float64"))
    out["credited"] = to_fen(out["credited"].to_numpy(dtype="float64"))
    comp = pay.line_fen["component"] if "component" in pay.line_fen else pd.Series([None] * len(out))
    out["component"] = comp.astype(object).where(comp.notna(), None).to_numpy()
    return out.reindex(columns=K.CLOSE_LINES.keys())


def _delta(locked: pd.DataFrame, fed: pd.DataFrame, month: Month) -> pd.DataFrame:
    """New and changed rows as versions, gone rows as tombstones (multisets of (sheet, hash))."""
    def occ(f):
        n = f.groupby(["sheet", "hash"]).cumcount().to_numpy() if len(f) else np.array([], dtype="int64")
        return pd.MultiIndex.from_arrays([f["sheet"].to_numpy(), f["hash"].to_numpy(), n])

    lo, fo = occ(locked), occ(fed)
    new = fed[~fo.isin(lo)] if len(fed) else fed
    gone = locked[~lo.isin(fo)] if len(locked) else locked
    parts = []
    if len(new):
        parts.append(new.assign(recorded=month.label, deleted=False))
    if len(gone):
        parts.append(gone.assign(recorded=month.label, deleted=True))
    if not parts:
        return pd.DataFrame(columns=["recorded", "deleted", *FP.COLUMNS])
    return pd.concat(parts, ignore_index=True)[["recorded", "deleted", *FP.COLUMNS]]
