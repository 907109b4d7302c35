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
from salesbook.tables.parse import empty_table, parse_table


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


# --- commission helpers (appended) ---------------------------------------------

def contract(cid, signer, amount, signed="2026-03-05", customer="K1", collaborator=None, share=None,
             approval="已批准", status="执行中", approver="M1", list_price=None, **extra) -> dict:
    row = {"合同编号": cid, "客户编号": customer, "签约人工号": signer, "协作人工号": collaborator,
           "协作比例": share, "签约日期": signed, "原价": list_price if list_price is not None else amount,
           "合同金额": amount, "审批状态": approval, "审批人工号": approver, "合同状态": status}
    row.update(extra)
    return row


def payment(pid, cid, amount, paid="2026-03-20", collector="S1", remitted="是", **extra) -> dict:
    row = {"回款编号": pid, "合同编号": cid, "回款日期": paid, "金额": amount, "收款人工号": collector,
           "是否上交": remitted}
    row.update(extra)
    return row


def visit(date, sid, cid="K1", method="意向拜访", **extra) -> dict:
    row = {"日期": date, "工号": sid, "客户编号": cid, "拜访方式": method}
    row.update(extra)
    return row


def target(month, sid, sales) -> dict:
    return {"月份": month, "工号": sid, "销售目标": sales}


def attendance(month, sid, due=22, present=22, late=None, leave=None) -> dict:
    return {"月份": month, "工号": sid, "应出勤天数": due, "实际出勤天数": present, "迟到次数": late,
            "请假天数": leave}


def tiers(*rows, role="默认") -> list[dict]:
    """(下限, 上限, 比例) triples → 提成方案 rows for one role."""
    return [{"岗位": role, "下限": lo, "上限": up, "比例": rate} for lo, up, rate in rows]


def factors(*rows) -> list[dict]:
    return [{"达成率下限": lo, "系数": f} for lo, f in rows]


def settings_rows(**values) -> list[dict]:
    return [{"参数": k, "值": v} for k, v in values.items()]


class _Owner:
    def __init__(self, owner_id, basis="登记"):
        self.owner_id, self.basis = owner_id, basis


def owners(mapping: dict | None = None, calls: list | None = None):
    """A pure owner_on for engine tests: {customer: owner} or {customer: [(from, owner), ...]}
    (owner None = public pool). Calls are appended to `calls` when given."""
    mapping = mapping or {}

    def owner_on(customer_id, when):
        if calls is not None:
            calls.append((customer_id, when))
        spec = mapping.get(customer_id)
        if isinstance(spec, list):
            owner = None
            for start, who in sorted(spec):
                if dt.date.fromisoformat(start) <= when:
                    owner = who
            spec = owner
        return None if spec is None else _Owner(spec)

    return owner_on


# --- ownership helpers (appended) ----------------------------------------------

def duty(date, sid, order=None) -> dict:
    """One 值班 row: `sid` on front-desk duty on `date`, rotation position `order`."""
    return {"日期": date, "工号": sid, "顺序": order}


def override(cid, effective, new_owner, reason="经理调整", approver="M1") -> dict:
    """One 归属调整 row."""
    return {"客户编号": cid, "生效日期": effective, "新归属人工号": new_owner, "原因": reason,
            "批准人工号": approver}
