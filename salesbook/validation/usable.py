"""Usable rows: the tables without rows that have a 错误, cascaded along references."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .. import contract as K
from ..findings import ERROR, WARNING, Finding, rule, sort_findings
from ..tables.parse import ROW
from .common import NOUNS, isin, sheet_zh, tables_of

LEFT_OUT = rule("V-LEFT-OUT", WARNING, "因所引用的行有错误而未计入", "left out because a row it refers to has an error")

# Rows that depend on a row of another sheet: (dependent sheet, its column, the sheet it refers to).
# 上级工号 is left out on purpose: a manager's mistake must not drop the whole team.
# People first, then customers, then contracts: a row with several causes is named after
# the root one (the person with the error rather than the customer left out because of them).
_REF_ORDER = ("staff", "customers", "contracts")
CASCADES = tuple(sorted(
    ((s.key, c.key, c.ref)
     for s in K.INPUT_SHEETS for c in s.columns
     if c.ref and (s.key, c.key) != ("staff", "manager_id")),
    key=lambda e: _REF_ORDER.index(e[2])))


def usable(tables: dict[str, pd.DataFrame], findings: Iterable[Finding]
           ) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    """The tables without rows that have a 错误, and without rows that depend on them.

    A row depends on another when it names it: a payment its contract, a visit its
    customer and its person... Each row left out only because of another gets a 警告
    naming that row, so the report can say which rows did not count and why.
    """
    t = tables_of(tables)
    bad: dict[str, set[int]] = {}
    for f in findings:
        if f.level == ERROR and f.row is not None and f.sheet in t:
            bad.setdefault(f.sheet, set()).add(int(f.row))
    # sheet -> Series(_row -> True if left out for its own error, False if by cascade)
    dropped = {k: pd.Series(True, index=pd.Index(sorted(bad.get(k, ())), dtype="int64")) for k in t}
    keep = {k: ~df[ROW].isin(dropped[k].index).to_numpy(bool) for k, df in t.items()}
    notes: list[Finding] = []
    changed = True
    while changed:  # a referral chain of customers may need a few passes
        changed = False
        for sheet, col, ref in CASCADES:
            if keep[ref].all() or t[sheet].empty:
                continue
            gone = _gone_keys(t[ref], keep[ref], K.SHEETS[ref].primary_key)
            if gone.empty:
                continue
            df = t[sheet]
            hit = keep[sheet] & isin(df[col], gone.index)
            if not hit.any():
                continue
            changed = True
            keep[sheet] &= ~hit
            rows = df[ROW].to_numpy()[hit]
            dropped[sheet] = pd.concat([dropped[sheet], pd.Series(False, index=rows)])
            notes += _cascade_notes(sheet, col, ref, rows, df[col].to_numpy()[hit], gone, dropped[ref])
    out = {k: df[keep[k]].reset_index(drop=True) for k, df in t.items()}
    return out, sort_findings(notes)


def _gone_keys(df: pd.DataFrame, kept: np.ndarray, key: str) -> pd.Series:
    """Keys of left-out rows that no kept row still has -> first left-out row with that key."""
    out = df.loc[~kept & df[key].notna().to_numpy(bool), [key, ROW]]
    out = out[~isin(out[key], df.loc[kept, key].dropna())]
    return out.drop_duplicates(key).set_index(key)[ROW]


def _cascade_notes(sheet, col, ref, rows, keys, gone: pd.Series, ref_dropped: pd.Series) -> list[Finding]:
    noun, noun_en = NOUNS[sheet]
    ref_zh, ref_en = sheet_zh(ref), K.SHEETS[ref].en
    out = []
    for r, key in zip(rows, keys):
        cause = int(gone[key])
        own_error = bool(ref_dropped.get(cause, True))
        if own_error:
            why, why_en = "有错误", "has an error"
        else:
            why, why_en = "未计入(原因见该行的提示)", "was left out"
        out.append(LEFT_OUT(
            sheet, int(r), col, key,
            f"因「{ref_zh}」第 {cause} 行({key}){why}, 本{noun}未计入任何计算",
            f"改正「{ref_zh}」第 {cause} 行后重新运行, 本{noun}会自动计入",
            f"Left out because {ref_en} row {cause} ({key}) {why_en}",
            f"Fix {ref_en} row {cause} and run again; this {noun_en} will then count"))
    return out
