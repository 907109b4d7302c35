"""What every validation rule shares: the tables in a Context, fast lookups, and the
words of its messages (row lists, 折 discounts, headers)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import contract as K
from ..domain.calendar import day_text
from ..domain.money import percent_text, yuan_text
from ..settings import Settings
from ..tables.parse import TEXT_DTYPE, empty_table

NOUNS = {
    "settings": ("参数", "setting"), "commission_plan": ("提成档位", "tier"),
    "performance_factors": ("绩效系数", "factor"), "discount_authority": ("折扣权限", "authority"),
    "staff": ("人员", "person"), "targets": ("目标", "target"), "attendance": ("考勤", "attendance"),
    "roster": ("值班", "duty"), "customers": ("客户", "customer"), "visits": ("拜访记录", "visit"),
    "contracts": ("合同", "contract"), "payments": ("回款", "payment"),
    "overrides": ("归属调整", "override"),
}


def yuan(x: float) -> str:
    """A yuan amount in a message: the one money text (12,345.60)."""
    x = float(x)
    if not np.isfinite(x):  # a blank amount reaches a message only next to other cells' rules
        return "(空)" if np.isnan(x) else str(x)
    return yuan_text(x)


def zhe(ratio: float) -> str:
    """0.85 -> '8.5 折', the way a discount is said at a sales desk."""
    return f"{ratio * 10:.2f}".rstrip("0").rstrip(".") + " 折"


def pct(ratio: float) -> str:
    return percent_text(ratio)


def row_list(rows: Iterable, limit: int = 10) -> str:
    rows = [str(int(r)) for r in rows]
    more = f" 等 {len(rows)} 行" if len(rows) > limit else ""
    return "第 " + "、".join(rows[:limit]) + " 行" + more


def row_list_en(rows: Iterable, limit: int = 10) -> str:
    rows = [str(int(r)) for r in rows]
    return "rows " + ", ".join(rows[:limit]) + (f" … ({len(rows)} rows)" if len(rows) > limit else "")


def key_text(v) -> str:
    """A key for a sentence; a blank one is reported by the required rule."""
    return "(未填编号)" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)


def header(sheet: str, col: str) -> str:
    return K.SHEETS[sheet].col(col).zh


def sheet_zh(sheet: str) -> str:
    return K.SHEETS[sheet].zh


@dataclass
class Context:
    t: dict[str, pd.DataFrame]
    settings: Settings
    today: pd.Timestamp
    month: str | None
    people: pd.DataFrame    # first 人员 row per 工号, indexed by 工号
    already: set            # (sheet, row, column) cells the reader already reported
    closed: tuple = ()      # rows changed since a month close locked them (close.diff.Change)


def tables_of(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every input sheet, an empty table for the ones not given."""
    return {s.key: tables[s.key] if s.key in tables else empty_table(s) for s in K.INPUT_SHEETS}


def isin(s: pd.Series, values) -> np.ndarray:
    """`s.isin(values)` as a bool array, by Arrow: pandas' isin on arrow strings loops in Python."""
    try:
        arr = pa.array(s, type=pa.large_string(), from_pandas=True)
        vs = pa.array(pd.Series(values).astype(TEXT_DTYPE), type=pa.large_string(), from_pandas=True)
        return np.asarray(pc.is_in(arr, value_set=vs, skip_nulls=True).fill_null(False), dtype=bool)
    except (pa.ArrowException, TypeError, ValueError):  # not text after all: pandas knows best
        return s.isin(pd.Series(values)).to_numpy(bool)


def first_by(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """First row per key (a duplicate key is an error of its own), indexed by the key."""
    sub = df[df[key].notna()]
    return sub.drop_duplicates(key, keep="first").set_index(key)


def show(v) -> str:
    return day_text(v) if isinstance(v, (pd.Timestamp, np.datetime64)) else str(v)


def show_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


