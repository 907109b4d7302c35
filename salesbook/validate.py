"""Table-level validation: the rules of domain.md §4 that need only the parsed tables.

`book.load()` has already reported cells that do not parse; `settings.read_settings()`
the 参数 sheet; the ownership engine its own warnings (撞单, cap, walk-ins ...). Here:

- `check()`   every other §4 rule, as findings in plain Chinese (+ English);
- `usable()`  the tables without rows that have a 错误, cascaded along references
              (a payment of an excluded contract is left out too) with a 警告 per row
              left out, so nobody wonders where a row went;
- `sort_findings()` the order people read them in.

Everything is vectorised with pandas: the rules only loop in Python over the rows they
report. No I/O, no clock: `today` is a parameter.
"""
from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import contract as K
from .tables.parse import ROW, TEXT_DTYPE, empty_table
from .findings import ERROR, Finding, error, warning
from .domain.documents import contract_counts, on_counting_contract
from .settings import Settings

INTENT_VISIT_MAX_MINUTES = 15  # seed 000: 拜访时间不宜超过15分钟
REP_ROLES = ("销售代表", "客户代表", "电话销售", "会籍顾问", "组长")
NO_AUTHORITY = 1.0             # a role missing from 折扣权限 may only sign at list price
_EPS = 1e-9                    # float slack for money and ratio comparisons

# Who acts on which date (rule: nobody acts before 入职日期 or after 离职日期).
# (sheet, person column, date column, what they do: zh, en)
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
NOUNS = {
    "settings": ("参数", "setting"), "commission_plan": ("提成档位", "tier"),
    "performance_factors": ("绩效系数", "factor"), "discount_authority": ("折扣权限", "authority"),
    "staff": ("人员", "person"), "targets": ("目标", "target"), "attendance": ("考勤", "attendance"),
    "roster": ("值班", "duty"), "customers": ("客户", "customer"), "visits": ("拜访记录", "visit"),
    "contracts": ("合同", "contract"), "payments": ("回款", "payment"),
    "overrides": ("归属调整", "override"),
}

# One row per (month, person) and per (day, person) on duty; primary keys come from the contract.
UNIQUE_TOGETHER = {
    "targets": ("month", "staff_id"),
    "attendance": ("month", "staff_id"),
    "roster": ("date", "staff_id"),
}


# --- formatting for messages ---------------------------------------------------

def _yuan(x: float) -> str:
    x = float(x)
    if not np.isfinite(x):  # a blank amount reaches a message only next to other cells' rules
        return "(空)" if np.isnan(x) else str(x)
    return f"{x:,.0f}" if abs(x - round(x)) < 0.005 else f"{x:,.2f}"


def _day(x) -> str:
    return pd.Timestamp(x).strftime("%Y-%m-%d")


def _zhe(ratio: float) -> str:
    """0.85 -> '8.5 折', the way a discount is said at a sales desk."""
    return f"{ratio * 10:.2f}".rstrip("0").rstrip(".") + " 折"


def _pct(ratio: float) -> str:
    return f"{ratio * 100:.1f}".rstrip("0").rstrip(".") + "%"


def _rows(rows: Iterable, limit: int = 10) -> str:
    rows = [str(int(r)) for r in rows]
    more = f" 等 {len(rows)} 行" if len(rows) > limit else ""
    return "第 " + "、".join(rows[:limit]) + " 行" + more


def _rows_en(rows: Iterable, limit: int = 10) -> str:
    rows = [str(int(r)) for r in rows]
    return "rows " + ", ".join(rows[:limit]) + (f" … ({len(rows)} rows)" if len(rows) > limit else "")


def _id(v) -> str:
    """A key for a sentence; a blank one is reported by the required rule."""
    return "(未填编号)" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)


def _hdr(sheet: str, col: str) -> str:
    return K.SHEETS[sheet].col(col).zh


def _hdr_en(sheet: str, col: str) -> str:
    return K.SHEETS[sheet].col(col).en


def _sname(sheet: str) -> str:
    return K.SHEETS[sheet].zh


# --- context ------------------------------------------------------------------

@dataclass
class _Ctx:
    t: dict[str, pd.DataFrame]
    settings: Settings
    today: pd.Timestamp
    month: str | None
    people: pd.DataFrame    # first 人员 row per 工号, indexed by 工号
    already: set            # (sheet, row, column) cells the reader already reported


def _tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every input sheet, an empty table for the ones not given."""
    return {s.key: tables[s.key] if s.key in tables else empty_table(s) for s in K.INPUT_SHEETS}


def _isin(s: pd.Series, values) -> np.ndarray:
    """`s.isin(values)` as a bool array, by Arrow: pandas' isin on arrow strings loops in Python."""
    try:
        arr = pa.array(s, type=pa.large_string(), from_pandas=True)
        vs = pa.array(pd.Series(values).astype(TEXT_DTYPE), type=pa.large_string(), from_pandas=True)
        return np.asarray(pc.is_in(arr, value_set=vs, skip_nulls=True).fill_null(False), dtype=bool)
    except (pa.ArrowException, TypeError, ValueError):  # not text after all: pandas knows best
        return s.isin(pd.Series(values)).to_numpy(bool)


def _first_by(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """First row per key (a duplicate key is an error of its own), indexed by the key."""
    sub = df[df[key].notna()]
    return sub.drop_duplicates(key, keep="first").set_index(key)


def check(tables: dict[str, pd.DataFrame], settings: Settings, *, today: dt.date,
          month: str | None = None, already: Iterable[Finding] = ()) -> list[Finding]:
    """Every table-level rule of domain.md §4 on the parsed tables.

    `month` (YYYY-MM): reps without a 目标 row for it are warned about.
    `already`: findings the reader made (book.findings); a cell that did not parse is
    blank in the table and is not reported again as empty.
    """
    t = _tables(tables)
    ctx = _Ctx(t, settings, pd.Timestamp(today), month, _first_by(t["staff"], "staff_id"),
               {(f.sheet, f.row, f.column) for f in already})
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule(ctx))
    return sort_findings(found)


# --- structure: required, unique, references, the 上级 tree --------------------

def _required(ctx: _Ctx) -> list[Finding]:
    out = []
    for s in K.INPUT_SHEETS:
        df = ctx.t[s.key]
        if df.empty:
            continue
        rows = df[ROW].to_numpy()
        for c in s.columns:
            if not c.required:
                continue
            blank = df[c.key].isna().to_numpy()
            for r in rows[blank] if blank.any() else ():
                r = int(r)
                if (s.key, r, c.key) in ctx.already:
                    continue
                hint = f"({c.help_zh})" if c.help_zh else ""
                out.append(error(
                    s.key, r, c.key, "", f"「{c.zh}」必须填写, 第 {r} 行是空的",
                    f"在第 {r} 行填上「{c.zh}」{hint}; 如果这一行是多余的, 把整行删除",
                    f"'{c.en}' is required but row {r} leaves it empty",
                    f"Fill in '{c.en}' on row {r}, or delete the row if it is not needed"))
    return out


def _duplicates(ctx: _Ctx) -> list[Finding]:
    out = []
    for s in K.INPUT_SHEETS:
        if s.key == "settings":  # settings.read_settings reports these
            continue
        if s.primary_key:
            out += _dup_findings(ctx.t[s.key], s, (s.primary_key,))
        if s.key in UNIQUE_TOGETHER:
            out += _dup_findings(ctx.t[s.key], s, UNIQUE_TOGETHER[s.key])
    return out


def _dup_findings(df: pd.DataFrame, s: K.Sheet, cols: tuple[str, ...]) -> list[Finding]:
    if len(df) < 2 or not df.duplicated(list(cols)).any():  # the common case, cheaply
        return []
    sub = df.loc[df[list(cols)].notna().all(axis=1), [ROW, *cols]]
    sub = sub.assign(first=sub.groupby(list(cols), sort=False)[ROW].transform("first"))
    # itertuples drops names with a leading underscore: carry _row as `row`
    dup = sub[sub[ROW] != sub["first"]].rename(columns={ROW: "row"})
    col = cols[-1]  # the 工号 of (月份, 工号): the cell a person fixes
    noun, noun_en = NOUNS[s.key]
    out = []
    for rec in dup.itertuples(index=False):
        r, f = int(rec.row), int(rec.first)
        vals = [getattr(rec, c) for c in cols]
        what = " + ".join(f"{s.col(c).zh} {_show(v)}" for c, v in zip(cols, vals))
        what_en = " + ".join(f"{s.col(c).en} {_show(v)}" for c, v in zip(cols, vals))
        if len(cols) == 1:
            fix = (f"每个「{s.col(col).zh}」只能出现一次: 如果是同一{noun}, 删除第 {r} 行或把两行合并; "
                   f"如果是不同的{noun}, 给第 {r} 行换一个没用过的「{s.col(col).zh}」")
        else:
            fix = f"每个组合只能有一行: 把第 {f} 行和第 {r} 行合并成一行, 删掉另一行"
        out.append(error(
            s.key, r, col, vals[-1], f"{what} 重复: 第 {f} 行已经有了", fix,
            f"Duplicate {what_en}: row {f} already has it",
            f"Keep one row per {' + '.join(s.col(c).en for c in cols)}: merge rows {f} and {r}"))
    return out


def _show(v) -> str:
    return _day(v) if isinstance(v, (pd.Timestamp, np.datetime64)) else str(v)


def _references(ctx: _Ctx) -> list[Finding]:
    out = []
    for s in K.INPUT_SHEETS:
        df = ctx.t[s.key]
        if df.empty:
            continue
        for c in s.columns:
            if not c.ref:
                continue
            target = K.SHEETS[c.ref]
            known = ctx.t[c.ref][target.primary_key].dropna()
            miss = df[c.key].notna().to_numpy() & ~_isin(df[c.key], known)
            if not miss.any():
                continue
            bad = df.loc[miss, [ROW, c.key]]
            # Suggest a near spelling only where it is cheap (few rows, short lists).
            pool = _Spelling(known.unique().tolist()) if len(known) <= 2000 and len(bad) <= 200 else None
            tkey, tname = target.col(target.primary_key), target.zh
            for r, v in zip(bad[ROW], bad[c.key]):
                near = pool.near(v) if pool else []
                guess = f"是否应为「{near[0]}」? " if near else ""
                out.append(error(
                    s.key, int(r), c.key, v,
                    f"「{c.zh}」填的 {v} 在「{tname}」表的「{tkey.zh}」中找不到",
                    f"{guess}检查是否写错(大小写、全角字符、多余空格); "
                    f"如果是新{NOUNS[c.ref][0]}, 先在「{tname}」表中添加 {v}",
                    f"'{c.en}' {v} is not a {tkey.en} on sheet {target.en}",
                    (f"Did you mean '{near[0]}'? " if near else "")
                    + f"Check the spelling, or add {v} to {target.en} first"))
    return out


class _Spelling:
    """The known key a mistyped one most likely meant (case, full-width, spaces, then similarity)."""

    def __init__(self, known: list[str]):
        self.known = known
        self.folded = {_fold(k): k for k in reversed(known)}

    def near(self, typed: str) -> list[str]:
        hit = self.folded.get(_fold(typed))
        return [hit] if hit else difflib.get_close_matches(typed, self.known, n=1, cutoff=0.6)


def _fold(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split()).upper()


def _manager_cycles(ctx: _Ctx) -> list[Finding]:
    """Every 人员 row on a 上级 cycle (unknown managers are the reference rule's)."""
    people = ctx.people
    known = people.index
    boss = {sid: m for sid, m in zip(known, people["manager_id"]) if isinstance(m, str) and m in known}
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
    cycles = []
    for start in boss:
        path, node = [], start
        while node in boss and node not in state:
            state[node] = 1
            path.append(node)
            node = boss[node]
        if state.get(node) == 1:  # walked back into this walk: a cycle
            cycles.append(path[path.index(node):])
        for n in path:
            state[n] = 2
    out = []
    for cyc in cycles:
        rows = [int(people.at[sid, ROW]) for sid in cyc]
        chain = " → ".join(cyc + [cyc[0]])
        for sid, r in zip(cyc, rows):
            if len(cyc) == 1:
                problem = f"{sid} 的「上级工号」填的是本人"
                problem_en = f"{sid} is their own manager"
            else:
                problem = f"上级关系绕成了一个圈: {chain}({_rows(sorted(rows))}), 找不到最上面的负责人"
                problem_en = f"The manager chain is a loop: {chain} ({_rows_en(sorted(rows))})"
            out.append(error(
                "staff", r, "manager_id", people.at[sid, "manager_id"], problem,
                "把其中一人的「上级工号」改成他真正的直接上级; 最高负责人的「上级工号」留空",
                problem_en, "Set each person's real direct manager; leave it empty for the top person"))
    return out


# --- people act only while employed; nothing happens in the future --------------

def _employment(ctx: _Ctx) -> list[Finding]:
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
                problem = f"{who_zh} 的入职日期是 {_day(h)}, 本行的{act}日期 {_day(d)} 在入职之前"
                problem_en = f"{sid} joined on {_day(h)}, but this {act_en} is dated {_day(d)}"
                fix_col = "入职日期"
            else:
                problem = f"{who_zh} 已于 {_day(lv)} 离职, 本行的{act}日期 {_day(d)} 在离职之后"
                problem_en = f"{sid} left on {_day(lv)}, but this {act_en} is dated {_day(d)}"
                fix_col = "离职日期"
            out.append(error(
                sheet, int(r), who, sid, problem,
                f"检查本行的「{_hdr(sheet, when)}」和「{_hdr(sheet, who)}」是否填错; "
                f"如果是「人员」表第 {prow} 行的「{fix_col}」填错了, 改正那里",
                problem_en,
                f"Check this row's date and person; or correct {fix_col} on Staff row {prow}"))
    return out


def _future_dates(ctx: _Ctx) -> list[Finding]:
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
                out.append(error(
                    s.key, int(r), c.key, v,
                    f"「{c.zh}」{_day(v)} 晚于今天({_day(ctx.today)}), 还没发生的事不能登记",
                    "检查年份、月份是否写错(例如把 2025 写成了 2026), 改成实际发生的日期",
                    f"'{c.en}' {_day(v)} is after today ({_day(ctx.today)})",
                    "Check the year and month; enter the date it actually happened"))
    return out


# --- contracts ----------------------------------------------------------------

def _contract_amounts(ctx: _Ctx) -> list[Finding]:
    df = ctx.t["contracts"]
    amount, price = df["amount"], df["list_price"]
    out = []
    nonpos = amount <= 0
    for r, cid, a in zip(df.loc[nonpos, ROW], df.loc[nonpos, "contract_id"], amount[nonpos]):
        out.append(error(
            "contracts", int(r), "amount", a, f"合同 {_id(cid)} 的「合同金额」是 {_yuan(a)} 元, 必须大于 0",
            "填写实际成交金额; 退款请在「回款」表记负数金额, 作废的合同把「合同状态」改为「已取消」",
            f"Contract {_id(cid)}: amount {_yuan(a)} must be above 0",
            "Enter the real amount; record refunds as negative payments, cancel void contracts"))
    over = amount > price + _EPS
    for r, cid, a, p in zip(df.loc[over, ROW], df.loc[over, "contract_id"], amount[over], price[over]):
        out.append(error(
            "contracts", int(r), "amount", a,
            f"合同 {_id(cid)} 的「合同金额」{_yuan(a)} 元 高于「原价」{_yuan(p)} 元",
            "合同金额是打折后的成交价, 不能高于原价: 检查两个数是否填反或多打了一位",
            f"Contract {_id(cid)}: amount {_yuan(a)} is above the list price {_yuan(p)}",
            "The amount is the price after discount; check the two figures"))
    return out


def _approval(ctx: _Ctx) -> list[Finding]:
    df = ctx.t["contracts"]
    bad = (df["approval"] == "已批准") & df["approver_id"].isna()
    return [error(
        "contracts", int(r), "approver_id", "", f"合同 {_id(cid)} 的审批状态是「已批准」, 但没有填「审批人工号」",
        "填上批准这份合同的人的工号; 如果还没有人批准, 把「审批状态」改为「待审批」",
        f"Contract {_id(cid)} is approved but names no approver",
        "Enter the approver's staff ID, or set the approval back to 待审批")
        for r, cid in zip(df.loc[bad, ROW], df.loc[bad, "contract_id"])]


def _authority(ctx: _Ctx) -> pd.Series:
    """岗位 -> lowest 合同金额/原价 it may sign or approve (first row per role)."""
    da = ctx.t["discount_authority"]
    return _first_by(da, "role")["min_discount"].dropna()


def _discounts(ctx: _Ctx) -> list[Finding]:
    """Below the signer's 最低折扣率 only with an approver whose role covers it (seed 000 折扣权, 001 优惠审批)."""
    df = ctx.t["contracts"]
    people = ctx.people
    if df.empty:
        return []
    auth = _authority(ctx)
    ratio = df["amount"] / df["list_price"]
    valid = (df["list_price"] > 0) & (df["amount"] > 0) & (df["amount"] <= df["list_price"] + _EPS)
    signer_role = df["signer_id"].map(people["role"])
    signer_min = signer_role.map(auth).fillna(NO_AUTHORITY)
    below = valid & signer_role.notna() & (ratio < signer_min - _EPS)  # unknown signer: reference rule
    if not below.any():
        return []
    sub = df[below]
    appr_role = sub["approver_id"].map(people["role"])
    appr_min = appr_role.map(auth).fillna(NO_AUTHORITY)
    covered = (sub["approval"] == "已批准") & sub["approver_id"].notna() & (ratio[below] >= appr_min - _EPS)
    sub = sub[~covered]
    out = []
    for rec, rt, srole, smin, arole, amin in zip(
            sub.rename(columns={ROW: "row"}).itertuples(index=False), ratio[sub.index], signer_role[sub.index], signer_min[sub.index],
            appr_role.reindex(sub.index), appr_min.reindex(sub.index)):
        out.append(_discount_finding(rec, rt, srole, smin, arole, amin, auth))
    return out


def _discount_finding(rec, rt, srole, smin, arole, amin, auth: pd.Series) -> Finding:
    cid, signer, approver = rec.contract_id, rec.signer_id, rec.approver_id
    has_rule = srole in auth.index
    signer_txt = (f"签约人 {signer}({srole}) 的折扣权限最低 {_zhe(smin)}" if has_rule else
                  f"签约人 {signer} 的岗位「{srole}」在「折扣权限」表中没有设置, 视为没有折扣权(只能按原价签)")
    if rec.approval != "已批准":
        why = f"本合同审批状态为「{rec.approval}」, 还没有获批"
        why_en = f"it is not approved ({rec.approval})"
    elif not isinstance(approver, str):
        why = "本合同没有填写审批人"
        why_en = "no approver is named"
    elif not isinstance(arole, str):
        why = f"审批人 {approver} 不在「人员」表中, 无法确认其权限"
        why_en = f"approver {approver} is not on the Staff sheet"
    elif arole not in auth.index:
        why = f"审批人 {approver} 的岗位「{arole}」在「折扣权限」表中没有设置, 视为没有折扣审批权"
        why_en = f"approver {approver}'s role {arole} has no discount authority"
    else:
        why = f"审批人 {approver}({arole}) 的权限最低只到 {_zhe(amin)}, 不够批这个折扣"
        why_en = f"approver {approver} ({arole}) may only approve down to {amin:g}"
    enough = [f"{role}({_zhe(m)})" for role, m in auth.sort_values(ascending=False).items() if m <= rt + _EPS]
    who = f"(如 {'、'.join(enough[:3])})" if enough else "(「折扣权限」表中没有哪个岗位有这么大的权限)"
    floor = rec.list_price * smin
    return error(
        "contracts", int(rec.row), "amount", rec.amount,
        f"合同 {_id(cid)} 按 {_zhe(rt)} 成交(合同金额 {_yuan(rec.amount)} 元 / 原价 {_yuan(rec.list_price)} 元 = {_pct(rt)}), "
        f"低于{signer_txt}; {why}",
        f"请由折扣权限足够的人{who}审批, 填写「审批人工号」并把「审批状态」改为「已批准」; "
        f"或者把合同金额提高到不低于 {_yuan(floor)} 元",
        f"Contract {_id(cid)} is at {rt:.4g} of list price, below signer {signer}'s limit {smin:g}, and {why_en}",
        f"Have someone with enough discount authority approve it, or raise the amount to at least {_yuan(floor)}")


# --- payments -------------------------------------------------------------------

def _overpaid(ctx: _Ctx) -> list[Finding]:
    """The payment row whose running total (回款日期 order, refunds subtract) crosses 合同金额."""
    pay = ctx.t["payments"]
    limit = pay["contract_id"].map(_first_by(ctx.t["contracts"], "contract_id")["amount"])
    sub = pay.loc[limit.notna(), [ROW, "contract_id", "paid_on", "amount"]].assign(limit=limit)
    if sub.empty:
        return []
    sub = sub.sort_values(["contract_id", "paid_on", ROW], kind="stable", na_position="last")
    total = sub["amount"].fillna(0).groupby(sub["contract_id"], sort=False).cumsum()
    over = total > sub["limit"] + 0.005
    prev_over = over.groupby(sub["contract_id"], sort=False).shift(fill_value=False).astype(bool)
    cross = over & ~prev_over
    if not cross.any():
        return []
    # Rows of a contract are contiguous after the sort: the ones counted so far are a slice.
    rows = sub[ROW].to_numpy()
    pos = np.arange(len(sub))
    start = pos - sub.groupby("contract_id", sort=False).cumcount().to_numpy()
    cross = cross.to_numpy()
    out = []
    for r, cid, a, lim, tot, lo, hi in zip(rows[cross], sub["contract_id"][cross], sub["amount"][cross],
                                           sub["limit"][cross], total[cross], start[cross], pos[cross]):
        upto = np.sort(rows[lo:hi + 1])
        out.append(error(
            "payments", int(r), "amount", a,
            f"合同 {_id(cid)} 的回款累计 {_yuan(tot)} 元, 超过合同金额 {_yuan(lim)} 元({_rows(upto)}, 按回款日期累计)",
            f"检查本行金额是否多打了位数或重复登记; 如果确实多收了, 多出的部分按退款(负数金额)登记, "
            f"或先在「合同」表更正合同 {_id(cid)} 的金额",
            f"Payments on contract {cid} add up to {_yuan(tot)}, above its amount {_yuan(lim)} "
            f"({_rows_en(upto)})",
            "Check this amount for a typo or a duplicate; record any excess as a refund"))
    return out


def _remittance(ctx: _Ctx) -> list[Finding]:
    pay = ctx.t["payments"]
    held = pay["remitted"] == "否"
    return [warning(
        "payments", int(r), "remitted", "否",
        f"回款 {_id(pid)}(合同 {_id(cid)}{'' if pd.isna(a) else f', {_yuan(a)} 元'})还没有上交财务, 暂不计提成",
        "款项交到财务后, 把「是否上交」改为「是」, 下次计算就会计入",
        f"Payment {_id(pid)} has not been handed to finance; it earns no commission yet",
        "Set 是否上交 to 是 once finance has the money")
        for r, pid, cid, a in zip(pay.loc[held, ROW], pay.loc[held, "payment_id"], pay.loc[held, "contract_id"],
                                  pay.loc[held, "amount"])]


def _payments_on_unapproved(ctx: _Ctx) -> list[Finding]:
    pay = ctx.t["payments"]
    con = _first_by(ctx.t["contracts"], "contract_id")
    approval = pay["contract_id"].map(con["approval"])
    status = pay["contract_id"].map(con["status"])
    crow = pay["contract_id"].map(con[ROW])
    known = crow.notna().to_numpy(dtype=bool)
    bad = known & ~on_counting_contract(pay, ctx.t["contracts"])
    out = []
    for r, cid, ap, st, cr in zip(pay.loc[bad, ROW], pay.loc[bad, "contract_id"], approval[bad], status[bad],
                                  crow[bad]):
        state = "已取消" if st == "已取消" else (f"审批状态为「{ap}」" if isinstance(ap, str) else "没有审批状态")
        out.append(warning(
            "payments", int(r), "contract_id", cid,
            f"合同 {_id(cid)}(「合同」表第 {int(cr)} 行){state}, 这笔回款暂不计入业绩和提成",
            "合同批准后(或恢复执行后)会自动计入; 如果回款挂错了合同, 改正「合同编号」",
            f"Contract {_id(cid)} (Contracts row {int(cr)}) is {'cancelled' if st == '已取消' else 'not approved'}; "
            "this payment does not count yet",
            "It counts once the contract is approved; fix the contract ID if it is wrong"))
    return out


# --- visits, customers, people -------------------------------------------------

def _long_intent_visits(ctx: _Ctx) -> list[Finding]:
    v = ctx.t["visits"]
    long = (v["method"] == "意向拜访") & (v["minutes"] > INTENT_VISIT_MAX_MINUTES)
    return [warning(
        "visits", int(r), "minutes", m,
        f"意向拜访用了 {_show_num(m)} 分钟, 超过 {INTENT_VISIT_MAX_MINUTES} 分钟(公司要求意向拜访不超过 15 分钟)",
        "核对时长是否填错; 如属实, 请主管了解原因(拜访时间过长, 客户注意力难以集中)",
        f"Intent visit took {_show_num(m)} minutes, more than {INTENT_VISIT_MAX_MINUTES}",
        "Check the duration; if right, the supervisor should review the visit")
        for r, m in zip(v.loc[long, ROW], v.loc[long, "minutes"])]


def _show_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _credit_limits(ctx: _Ctx) -> list[Finding]:
    """Σ approved, non-cancelled 合同金额 − Σ their payments above 信用额度 (seed 000 信用管理)."""
    cust = ctx.t["customers"]
    limited = cust[cust["credit_limit"].notna() & cust["customer_id"].notna()]
    if limited.empty:
        return []
    con = ctx.t["contracts"]
    live = con[contract_counts(con)].drop_duplicates("contract_id")
    pay = ctx.t["payments"]
    paid_by_contract = pay.groupby("contract_id")["amount"].sum()
    live = live.assign(paid=live["contract_id"].map(paid_by_contract).fillna(0.0))
    signed = live.groupby("customer_id")["amount"].sum()
    paid = live.groupby("customer_id")["paid"].sum()
    s = limited["customer_id"].map(signed).fillna(0.0)
    p = limited["customer_id"].map(paid).fillna(0.0)
    owed = s - p
    over = owed > limited["credit_limit"] + 0.005
    out = []
    for r, cid, lim, o, sv, pv in zip(limited.loc[over, ROW], limited.loc[over, "customer_id"],
                                      limited.loc[over, "credit_limit"], owed[over], s[over], p[over]):
        out.append(warning(
            "customers", int(r), "credit_limit", lim,
            f"客户 {cid} 的应收欠款 {_yuan(o)} 元(已批准合同 {_yuan(sv)} 元 − 已回款 {_yuan(pv)} 元), "
            f"超过信用额度 {_yuan(lim)} 元",
            "先催收回款再签新单; 如果经批准可以放宽, 提高「信用额度」",
            f"Customer {cid} owes {_yuan(o)}, above its credit limit {_yuan(lim)}",
            "Collect payments before new deals, or raise the approved credit limit"))
    return out


def _missing_targets(ctx: _Ctx) -> list[Finding]:
    if not ctx.month:
        return []
    try:
        period = pd.Period(ctx.month, freq="M")
    except ValueError:
        return []
    month = period.strftime("%Y-%m")
    st = ctx.t["staff"]
    tg = ctx.t["targets"]
    has = tg.loc[tg["month"] == month, "staff_id"].dropna()
    active = st["status"].isin(K.ACTIVE_STATUSES) & st["role"].isin(REP_ROLES)
    hired = st["hire_date"].isna() | (st["hire_date"] <= period.end_time)
    first = ~st["staff_id"].duplicated(keep="first")  # a duplicate row is an error of its own
    miss = active & hired & first & st["staff_id"].notna() & ~_isin(st["staff_id"], has)
    return [warning(
        "staff", int(r), "staff_id", sid,
        f"{role} {sid}({name}) 在「目标」表中没有 {month} 的目标, 达成率和绩效无法计算",
        f"在「目标」表中加一行: 月份 {month}, 工号 {sid}, 填上销售目标",
        f"{role} {sid} has no target row for {month}",
        f"Add a row to Targets: month {month}, staff ID {sid}, with a sales target")
        for r, sid, name, role in zip(st.loc[miss, ROW], st.loc[miss, "staff_id"], st.loc[miss, "name"],
                                      st.loc[miss, "role"])]


RULES = (
    _required, _duplicates, _references, _manager_cycles, _employment, _future_dates,
    _contract_amounts, _approval, _discounts, _overpaid, _remittance, _payments_on_unapproved,
    _long_intent_visits, _credit_limits, _missing_targets,
)


# --- usable rows ------------------------------------------------------------------

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
    t = _tables(tables)
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
            hit = keep[sheet] & _isin(df[col], gone.index)
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
    out = out[~_isin(out[key], df.loc[kept, key].dropna())]
    return out.drop_duplicates(key).set_index(key)[ROW]


def _cascade_notes(sheet, col, ref, rows, keys, gone: pd.Series, ref_dropped: pd.Series) -> list[Finding]:
    noun, noun_en = NOUNS[sheet]
    ref_zh, ref_en = _sname(ref), K.SHEETS[ref].en
    out = []
    for r, key in zip(rows, keys):
        cause = int(gone[key])
        own_error = bool(ref_dropped.get(cause, True))
        if own_error:
            why, why_en = "有错误", "has an error"
        else:
            why, why_en = "未计入(原因见该行的提示)", "was left out"
        out.append(warning(
            sheet, int(r), col, key,
            f"因「{ref_zh}」第 {cause} 行({key}){why}, 本{noun}未计入任何计算",
            f"改正「{ref_zh}」第 {cause} 行后重新运行, 本{noun}会自动计入",
            f"Left out because {ref_en} row {cause} ({key}) {why_en}",
            f"Fix {ref_en} row {cause} and run again; this {noun_en} will then count"))
    return out


# --- order -----------------------------------------------------------------------

_SHEET_ORDER = {s.key: i for i, s in enumerate(K.ALL_SHEETS)}
_COLUMN_ORDER = {(s.key, c.key): i for s in K.ALL_SHEETS for i, c in enumerate(s.columns)}


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Contract sheet order, then 错误 before 警告, then row, then column (as laid out in the sheet)."""
    return sorted(findings, key=lambda f: (
        _SHEET_ORDER.get(f.sheet, len(_SHEET_ORDER)), f.sheet,
        0 if f.level == ERROR else 1,
        -1 if f.row is None else f.row,
        -1 if f.column is None else _COLUMN_ORDER.get((f.sheet, f.column), 999), f.column or "",
        f.problem))
