"""§4 structure: required cells, unique keys, references that resolve, the 上级 tree."""
from __future__ import annotations

import difflib
import unicodedata

import pandas as pd

from .. import contract as K
from ..findings import ERROR, Finding, rule
from ..tables.parse import ROW
from .common import NOUNS, Context, isin, row_list, row_list_en, show

REQUIRED = rule("V-REQUIRED", ERROR, "必填项为空", "required cell empty")
DUPLICATE_KEY = rule("V-DUPLICATE-KEY", ERROR, "编号或组合重复", "duplicate key")
UNKNOWN_REFERENCE = rule("V-UNKNOWN-REFERENCE", ERROR, "找不到引用的工号/客户/合同", "reference to an unknown key")
MANAGER_CYCLE = rule("V-MANAGER-CYCLE", ERROR, "上级关系绕成圈", "manager chain is a loop")

UNIQUE_TOGETHER = {
    "targets": ("month", "staff_id"),
    "attendance": ("month", "staff_id"),
    "roster": ("date", "staff_id"),
}


def required(ctx: Context) -> list[Finding]:
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
                out.append(REQUIRED(
                    s.key, r, c.key, "", f"「{c.zh}」必须填写, 第 {r} 行是空的",
                    f"在第 {r} 行填上「{c.zh}」{hint}; 如果这一行是多余的, 把整行删除",
                    f"'{c.en}' is required but row {r} leaves it empty",
                    f"Fill in '{c.en}' on row {r}, or delete the row if it is not needed"))
    return out


def duplicates(ctx: Context) -> list[Finding]:
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
        what = " + ".join(f"{s.col(c).zh} {show(v)}" for c, v in zip(cols, vals))
        what_en = " + ".join(f"{s.col(c).en} {show(v)}" for c, v in zip(cols, vals))
        if len(cols) == 1:
            fix = (f"每个「{s.col(col).zh}」只能出现一次: 如果是同一{noun}, 删除第 {r} 行或把两行合并; "
                   f"如果是不同的{noun}, 给第 {r} 行换一个没用过的「{s.col(col).zh}」")
        else:
            fix = f"每个组合只能有一行: 把第 {f} 行和第 {r} 行合并成一行, 删掉另一行"
        out.append(DUPLICATE_KEY(
            s.key, r, col, vals[-1], f"{what} 重复: 第 {f} 行已经有了", fix,
            f"Duplicate {what_en}: row {f} already has it",
            f"Keep one row per {' + '.join(s.col(c).en for c in cols)}: merge rows {f} and {r}"))
    return out


def references(ctx: Context) -> list[Finding]:
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
            miss = df[c.key].notna().to_numpy() & ~isin(df[c.key], known)
            if not miss.any():
                continue
            bad = df.loc[miss, [ROW, c.key]]
            # Suggest a near spelling only where it is cheap (few rows, short lists).
            pool = _Spelling(known.unique().tolist()) if len(known) <= 2000 and len(bad) <= 200 else None
            tkey, tname = target.col(target.primary_key), target.zh
            for r, v in zip(bad[ROW], bad[c.key]):
                near = pool.near(v) if pool else []
                guess = f"是否应为「{near[0]}」? " if near else ""
                out.append(UNKNOWN_REFERENCE(
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


def manager_cycles(ctx: Context) -> list[Finding]:
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
                problem = f"上级关系绕成了一个圈: {chain}({row_list(sorted(rows))}), 找不到最上面的负责人"
                problem_en = f"The manager chain is a loop: {chain} ({row_list_en(sorted(rows))})"
            out.append(MANAGER_CYCLE(
                "staff", r, "manager_id", people.at[sid, "manager_id"], problem,
                "把其中一人的「上级工号」改成他真正的直接上级; 最高负责人的「上级工号」留空",
                problem_en, "Set each person's real direct manager; leave it empty for the top person"))
    return out


