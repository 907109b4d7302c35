"""Rows that fed a closed month and changed since the close (警告).

The comparison itself is salesbook.close.diff (fingerprints over cell values); here each
change becomes one finding on the row as it is now (a deleted row has none: the finding
names the row it had when locked). The data may be corrected — the difference is paid or
recovered in the next open month as a 追溯调整 — but nobody should change a paid month
without knowing it.
"""
from __future__ import annotations

from ..close.diff import ADDED, CHANGED, describe
from ..findings import WARNING, rule
from .common import Context, sheet_zh

V_CLOSED_CHANGED = rule("V-CLOSED-CHANGED", WARNING, "已结账月份的数据被修改、新增或删除",
                        "data of a closed month edited, added or deleted")


def changed_since_close(ctx: Context):
    out = []
    for c in ctx.closed:
        what = {CHANGED: ("被修改", "was edited"), ADDED: ("有新增行", "has a new row")}.get(c.kind, ("被删除", "lost a row"))
        zh = f"已结账月份 {c.month.label} 的数据{what[0]}: {describe(c, sheet_zh)}"
        en = f"Data of closed month {c.month.label} {what[1]}: {describe(c, lambda k: k, 'en')}"
        column = c.cells[0][0] if c.kind == CHANGED and c.cells else None
        value = c.cells[0][2] if c.kind == CHANGED and c.cells else ""
        out.append(V_CLOSED_CHANGED(
            c.sheet, c.row if c.kind != "deleted" else None, column, value, zh,
            f"{c.month.label} 已按结账时的数据发放工资。若改动无误, 差额会在下一个未结账月份作为「追溯调整」"
            f"计入「调整」(提成明细有逐项说明); 若是误改, 请改回原值; 也可以反结账 {c.month.label} 后重新月结。",
            en,
            f"{c.month.label} was paid on the data as closed. If the change is right, the difference is paid in the "
            f"next open month as a retro adjustment (调整); if not, restore the old value; or reopen {c.month.label}."))
    return out
