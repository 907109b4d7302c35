"""§4 dates: people act only while employed; nothing is dated in the future."""
from __future__ import annotations

import pandas as pd

from .. import contract as K
from ..domain.calendar import day_text
from ..findings import ERROR, Finding, rule
from ..tables.parse import ROW
from .common import Context, header

NOT_EMPLOYED = rule("V-NOT-EMPLOYED", ERROR, "入职前或离职后的活动", "acts before joining or after leaving")
FUTURE_DATE = rule("V-FUTURE-DATE", ERROR, "日期在未来", "date in the future")

ACTS = (
    ("visits", "staff_id", "date", "拜访", "visit"),
    ("contracts", "signer_id", "signed_on", "签约", "signing"),
    ("contracts", "collaborator_id", "signed_on", "协作签约", "collaborating"),
    ("contracts", "approver_id", "signed_on", "审批合同", "approving"),
    ("payments", "collector_id", "paid_on", "收款", "collecting"),
    ("customers", "registered_by", "registered_at", "登记客户", "registering"),
    ("roster", "staff_id", "date", "值班", "front-desk duty"),
    ("overrides", "approver_id", "effective", "批准归属调整", "approving"),
    ("overrides", "new_owner_id", "effective", "接手客户", "taking over"),
)

# What one row of a sheet is called in a sentence ("本回款未计入").
def employment(ctx: Context) -> list[Finding]:
    people = ctx.people
    out = []
    for sheet, who, when, act, act_en in ACTS:
        df = ctx.t[sheet]
        if df.empty or people.empty:
            continue
        ids = df[who]
        day = df[when].dt.normalize()
        hire = ids.map(people["hire_date"])
        leave = ids.map(people["leave_date"])
        before = (day < hire).to_numpy(bool)
        after = (day > leave).to_numpy(bool)
        hit = before | after
        if not hit.any():
            continue
        for r, sid, d, h, lv, early in zip(df[ROW][hit], ids[hit], day[hit], hire[hit], leave[hit], before[hit]):
            prow = int(people.at[sid, ROW])
            name = people.at[sid, "name"]
            who_zh = f"{sid}({name})" if isinstance(name, str) else sid
            if early:
                problem = f"{who_zh} 的入职日期是 {day_text(h)}, 本行的{act}日期 {day_text(d)} 在入职之前"
                problem_en = f"{sid} joined on {day_text(h)}, but this {act_en} is dated {day_text(d)}"
                fix_col = "入职日期"
            else:
                problem = f"{who_zh} 已于 {day_text(lv)} 离职, 本行的{act}日期 {day_text(d)} 在离职之后"
                problem_en = f"{sid} left on {day_text(lv)}, but this {act_en} is dated {day_text(d)}"
                fix_col = "离职日期"
            out.append(NOT_EMPLOYED(
                sheet, int(r), who, sid, problem,
                f"检查本行的「{header(sheet, when)}」和「{header(sheet, who)}」是否填错; "
                f"如果是「人员」表第 {prow} 行的「{fix_col}」填错了, 改正那里",
                problem_en,
                f"Check this row's date and person; or correct {fix_col} on Staff row {prow}"))
    return out


def future_dates(ctx: Context) -> list[Finding]:
    out = []
    for s in K.INPUT_SHEETS:
        df = ctx.t[s.key]
        for c in s.columns:
            if c.type not in K.DATE_TYPES or c.future_ok or df.empty:
                continue
            late = (df[c.key] >= ctx.today + pd.Timedelta(days=1)).to_numpy()
            if not late.any():
                continue
            for r, v in zip(df.loc[late, ROW], df.loc[late, c.key]):
                out.append(FUTURE_DATE(
                    s.key, int(r), c.key, v,
                    f"「{c.zh}」{day_text(v)} 晚于今天({day_text(ctx.today)}), 还没发生的事不能登记",
                    "检查年份、月份是否写错(例如把 2025 写成了 2026), 改成实际发生的日期",
                    f"'{c.en}' {day_text(v)} is after today ({day_text(ctx.today)})",
                    "Check the year and month; enter the date it actually happened"))
    return out


