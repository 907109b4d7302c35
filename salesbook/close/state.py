"""What the workbook says about its closed months (pure records).

Four sheets carry it, all written by the one writer in the same atomic replace:
- 月结记录 (visible, append-only): one row per close (已结账) and per reopen (已反结账);
  replaying it in order gives the months closed now.
- 月结快照 (hidden): 业绩提成 of each closed month as locked (记录于 = 月份), plus, when a
  later close recomputes a closed month because its data changed, that month as restated
  (记录于 = the later close). Paid figures are always the original lock; carry-forward and
  streaks read the latest row of each month, so history is never silently rewritten and
  never read stale. Two extra columns keep what the rules need: 绩效工资基数 (a retro
  绩效工资 uses the locked base) and 结转扣回 (the deficit handed to the next month).
- 月结明细 (hidden): 提成明细 of each closed month as locked, with 调整项目 on the
  追溯调整 lines (which component of which closed month they settle).
- 月结指纹 (hidden): per-row fingerprints, as deltas: each close appends the rows that are
  new or changed since the previous lock, and a tombstone (删除 = 是) for each locked row
  that is gone. Replaying the deltas gives the rows as last locked. A reopen drops the
  rows its close recorded (记录于 = that month) in every hidden sheet.

Money is integer fen in memory; the sheets hold yuan with two decimals (exact in fen).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import contract as K
from ..domain.calendar import Month
from ..domain.money import to_fen, yuan
from . import fingerprint as FP

CLOSED, REOPENED = "已结账", "已反结账"
RETRO = "追溯调整"
YES = "是"
MONEY_KEYS = tuple(c.key for c in K.CLOSE_PAYROLL.columns if c.type == K.MONEY)
COMPONENTS = ("提成", "全勤奖", "绩效工资", "奖励", "底薪", "津贴")
COMPONENT_KEYS = {"提成": "commission", "全勤奖": "attendance_bonus", "绩效工资": "performance_pay",
                  "奖励": "awards", "底薪": "base_salary", "津贴": "allowance"}


def _text(frame: pd.DataFrame, sheet: K.Sheet) -> pd.DataFrame:
    out = pd.DataFrame({c.key: frame[c.key].astype(object).where(frame[c.key].notna(), None)
                        if c.key in frame else pd.Series([None] * len(frame), dtype=object)
                        for c in sheet.columns})
    return out.reset_index(drop=True)


def _fen(values: pd.Series) -> np.ndarray:
    return to_fen(pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64"))


@dataclass(frozen=True)
class CloseState:
    log: pd.DataFrame                 # CLOSE_LOG keys, text
    payroll: pd.DataFrame             # CLOSE_PAYROLL keys; MONEY_KEYS as int64 fen
    lines: pd.DataFrame               # CLOSE_LINES keys; amount/credited as int64 fen
    prints: pd.DataFrame              # recorded, deleted (bool) + fingerprint.COLUMNS
    _closed: tuple = field(default=(), repr=False)

    # --- reading ----------------------------------------------------------------

    @classmethod
    def empty(cls) -> "CloseState":
        return cls.from_sheets({})

    @classmethod
    def from_sheets(cls, sheets: dict[str, pd.DataFrame]) -> "CloseState":
        """From the text tables of reader.load_close_sheets (absent sheets = empty)."""
        def get(sheet):
            return _text(sheets.get(sheet.key, pd.DataFrame()), sheet)

        log = get(K.CLOSE_LOG)
        log = log[log["month"].notna()].reset_index(drop=True)
        log["closed_at"] = pd.to_datetime(log["closed_at"], errors="coerce")
        payroll = get(K.CLOSE_PAYROLL)
        payroll["achievement"] = pd.to_numeric(payroll["achievement"], errors="coerce")
        for k in MONEY_KEYS:
            payroll[k] = _fen(payroll[k])
        lines = get(K.CLOSE_LINES)
        for k in ("amount", "credited"):
            lines[k] = _fen(lines[k])
        lines["share"] = pd.to_numeric(lines["share"], errors="coerce")
        raw = get(K.CLOSE_PRINTS)
        prints = pd.DataFrame({
            "recorded": raw["recorded"].astype(object), "deleted": (raw["deleted"] == YES).to_numpy(bool),
            "sheet": raw["sheet"].astype(object),
            "row": pd.to_numeric(raw["row"], errors="coerce").fillna(0).astype("int64"),
            "key": raw["key"].fillna("").astype(object),
            "start": _month_indexes(raw["start"]),
            "hash": np.array([FP.int_of(h) for h in raw["fingerprint"]], dtype="int64"),
            "text": raw["values"].fillna("").astype(object)})
        return cls(log, payroll, lines, prints, _replay(log))

    # --- the closed months ------------------------------------------------------

    @property
    def closed(self) -> tuple[Month, ...]:
        return self._closed

    def is_closed(self, month: Month) -> bool:
        return month in self._closed

    @property
    def latest(self) -> Month | None:
        return self._closed[-1] if self._closed else None

    def log_row(self, month: Month) -> dict | None:
        """The 月结记录 row of the month's current close."""
        rows = self.log[(self.log["month"] == month.label) & (self.log["status"] == CLOSED)]
        return rows.iloc[-1].to_dict() if len(rows) else None

    # --- the locked figures -----------------------------------------------------

    def locked_payroll(self, month: Month) -> pd.DataFrame:
        p = self.payroll
        return p[(p["month"] == month.label) & (p["recorded"] == month.label)].reset_index(drop=True)

    def locked_lines(self, month: Month) -> pd.DataFrame:
        return self.lines[self.lines["month"] == month.label].reset_index(drop=True)

    def history(self) -> pd.DataFrame:
        """The latest row of each (closed month, person): the original lock or its last restatement."""
        p = self.payroll
        if not len(p):
            return p
        order = p.assign(_r=[Month.parse(r).index for r in p["recorded"]])
        return order.sort_values("_r", kind="stable").drop_duplicates(["month", "staff_id"], keep="last") \
            .drop(columns="_r").reset_index(drop=True)

    def adjusted(self, month: Month) -> dict[tuple[str, str], int]:
        """fen already paid as 追溯调整 for `month`, per (工号, component), by later closes."""
        ln = self.lines
        sel = ln[(ln["source_type"] == RETRO) & (ln["document_id"] == month.label)]
        return {k: int(v) for k, v in sel.groupby(["staff_id", "component"])["credited"].sum().items()}

    def locked_prints(self) -> pd.DataFrame:
        """The rows as last locked (fingerprint.COLUMNS): the deltas replayed in close order."""
        return replay_prints(self.prints, [m.label for m in self._closed])

    # --- writing ----------------------------------------------------------------

    def frames(self) -> dict[str, pd.DataFrame]:
        """The four sheets as frames with contract keys (money in yuan), for the writer."""
        payroll = self.payroll.copy()
        for k in MONEY_KEYS:
            payroll[k] = [yuan(int(x)) for x in payroll[k]]
        lines = self.lines.copy()
        for k in ("amount", "credited"):
            lines[k] = [yuan(int(x)) for x in lines[k]]
        p = self.prints
        prints = pd.DataFrame({
            "recorded": p["recorded"], "sheet": p["sheet"], "row": p["row"].astype("int64"), "key": p["key"],
            "start": [Month.from_index(int(s)).label if s >= 0 else None for s in p["start"]],
            "fingerprint": [FP.hex_of(h) for h in p["hash"]], "values": p["text"],
            "deleted": np.where(p["deleted"].to_numpy(bool), YES, None)}, columns=K.CLOSE_PRINTS.keys())
        return {"close_log": self.log.reindex(columns=K.CLOSE_LOG.keys()),
                "close_payroll": payroll.reindex(columns=K.CLOSE_PAYROLL.keys()),
                "close_lines": lines.reindex(columns=K.CLOSE_LINES.keys()),
                "close_prints": prints}


def _replay(log: pd.DataFrame) -> tuple[Month, ...]:
    closed: list[Month] = []
    for month, status in zip(log["month"], log["status"]):
        m = Month.parse(month)
        if status == CLOSED and m not in closed:
            closed.append(m)
        elif status == REOPENED and m in closed:
            closed.remove(m)
    return tuple(sorted(closed))


def replay_prints(prints: pd.DataFrame, recorded: list[str]) -> pd.DataFrame:
    """Replay fingerprint deltas: versions add a row, tombstones take one row of the same
    (sheet, fingerprint) away. Only deltas recorded by the given closes count."""
    p = prints[prints["recorded"].isin(recorded)]
    if not len(p):
        return FP.empty()
    order = {m: i for i, m in enumerate(recorded)}
    p = p.assign(_o=p["recorded"].map(order)).sort_values("_o", kind="stable")
    live = p[~p["deleted"].to_numpy(bool)]
    dead = p[p["deleted"].to_numpy(bool)]
    if len(dead):
        # the n-th tombstone of (sheet, hash) removes the n-th version (multisets: identical rows)
        live = live.assign(_n=live.groupby(["sheet", "hash"]).cumcount())
        dead = dead.assign(_n=dead.groupby(["sheet", "hash"]).cumcount())
        gone = pd.MultiIndex.from_frame(dead[["sheet", "hash", "_n"]])
        mine = pd.MultiIndex.from_frame(live[["sheet", "hash", "_n"]])
        live = live[~mine.isin(gone)]
    return live[list(FP.COLUMNS)].reset_index(drop=True)


def _month_indexes(texts: pd.Series) -> np.ndarray:
    """月份 texts → Month.index (blank: FP.ALWAYS); each distinct text parsed once (a
    fingerprint sheet holds a row per input row, a few hundred distinct months)."""
    codes, uniques = pd.factorize(texts.fillna(""), sort=False)
    index = np.array([Month.parse(s).index if s else FP.ALWAYS for s in uniques], dtype="int64")
    return index[codes] if len(codes) else np.empty(0, dtype="int64")

