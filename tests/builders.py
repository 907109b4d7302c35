"""Build hand-made inputs for tests, the way a user would type them.

Rows are given as dicts keyed by the Chinese header (as in domain.md §3), or as
lists in contract column order. `tables()` gives the parsed tables an engine takes
(parsed by the same code as a real file); `write_book()` writes a real .xlsx whose
every input sheet has the contract headers.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd

from salesbook import contract as K
from salesbook.book import empty_table, parse_table


def _rows_for(sheet: K.Sheet, rows) -> list[list]:
    out = []
    for r in rows:
        if isinstance(r, dict):
            unknown = set(r) - {c.zh for c in sheet.columns}
            if unknown:
                raise KeyError(f"{sheet.zh}: no such header {unknown}")
            out.append([r.get(c.zh) for c in sheet.columns])
        else:
            out.append(list(r) + [None] * (len(sheet.columns) - len(r)))
    return out


def _as_text(v):
    """What fastexcel hands over for a cell value (everything is read as text)."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d 00:00:00")
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def tables(**sheets) -> dict[str, pd.DataFrame]:
    """Parsed tables for every input sheet (empty unless given), keyed by contract key."""
    out = {}
    for s in K.INPUT_SHEETS:
        rows = sheets.get(s.key)
        if not rows:
            out[s.key] = empty_table(s)
            continue
        raw = pd.DataFrame([[_as_text(v) for v in r] for r in _rows_for(s, rows)],
                           columns=[c.key for c in s.columns], dtype="object")
        table, findings = parse_table(s, raw)
        if findings:
            raise ValueError(f"test rows do not parse: {findings}")
        out[s.key] = table
    return out


def write_book(path: Path, **sheets) -> Path:
    """A real workbook with every input sheet (contract headers) and the given rows."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in K.INPUT_SHEETS:
        ws = wb.create_sheet(s.zh)
        ws.append(s.headers())
        for r in _rows_for(s, sheets.get(s.key) or ()):
            ws.append(r)
    wb.save(path)
    return Path(path)


def staff(sid, name=None, role="销售代表", channel="外销", team="一组", manager=None,
          hired="2024-01-01", left=None, status="在职", **extra) -> dict:
    row = {"工号": sid, "姓名": name or sid, "岗位": role, "渠道": channel, "大区": "华东",
           "小组": team, "上级工号": manager, "入职日期": hired, "离职日期": left, "状态": status}
    row.update(extra)
    return row


def customer(cid, registered="2026-01-05", by="S1", source="陌生拜访", name=None, phone=None,
             designated=None, referrer=None, **extra) -> dict:
    row = {"客户编号": cid, "客户名称": name or f"客户{cid}", "电话": phone, "来源": source,
           "登记日期": registered, "登记人工号": by, "指定顾问工号": designated, "推荐客户编号": referrer}
    row.update(extra)
    return row
