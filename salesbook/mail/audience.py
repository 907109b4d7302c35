"""Who gets which report (domain.md §8), checked against 人员 before anything is sent.

The recipients come from the manifest (the report step applies the routing defaults);
here they are checked and completed:
- a statement goes to its own person's 邮箱 and nobody else, in its own message;
- a 离职 person gets nothing; 报表抄送 is added to department reports;
- people a report is meant for who cannot receive it (no 邮箱, 离职) are named, never
  silently skipped.
Every report goes out as one message per recipient: each envelope has exactly one address,
so the send log, a refused address and a rerun concern exactly one person.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..contract import ACTIVE_STATUSES
from ..domain.email import is_address
from ..domain.org import DEPARTMENT_ROLES, TEAM_LEAD_ROLES
from .manifest import Report

LEFT = "离职"


@dataclass(frozen=True)
class Person:
    staff_id: str
    name: str
    email: str          # "" when 人员.邮箱 is blank or not an address
    status: str
    manager_id: str | None
    role: str
    team: str | None


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str                 # display name ("" for an address not in 人员)
    own: bool                 # the report is about this very person (own daily / statement)


@dataclass
class Routing:
    """The checked recipients of one report and what the summary must say about it."""

    report: Report
    recipients: list[Recipient] = field(default_factory=list)
    unreachable: list[tuple[str, str]] = field(default_factory=list)   # (zh, en)
    refused: list[tuple[str, str]] = field(default_factory=list)       # privacy refusals (zh, en)


class Staff:
    """人员 as the mail step needs it: by 工号 and by address."""

    def __init__(self, table: pd.DataFrame):
        self.by_id: dict[str, Person] = {}
        self.by_address: dict[str, Person] = {}
        for r in table.itertuples(index=False):
            email = _text(getattr(r, "email", None))
            p = Person(_text(r.staff_id), _text(r.name) or _text(r.staff_id),
                       email if is_address(email) else "", _text(r.status),
                       _text(r.manager_id) or None, _text(r.role), _text(r.team) or None)
            self.by_id[p.staff_id] = p
            if p.email:
                self.by_address.setdefault(p.email.lower(), p)

    def names(self) -> dict[str, str]:
        return {sid: p.name for sid, p in self.by_id.items()}

    def active(self) -> list[Person]:
        return [p for p in self.by_id.values() if p.status in ACTIVE_STATUSES]


def _text(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()


def route(report: Report, staff: Staff, report_cc: tuple[str, ...]) -> Routing:
    out = Routing(report)
    if report.kind == "statement":
        return _statement(out, staff)
    wanted = list(report.recipients) + list(report.cc)
    if report.scope == "department":
        wanted += list(report_cc)
    own = staff.by_id.get(report.key) if report.scope == "person" and report.key else None
    seen: set[str] = set()
    for address in wanted:
        low = address.strip().lower()
        if not low or low in seen:
            continue
        seen.add(low)
        person = staff.by_address.get(low)
        if person is not None and person.status == LEFT:
            out.unreachable.append(_left(person))
            continue
        is_own = own is not None and person is own
        out.recipients.append(Recipient(address.strip(), person.name if person else "", is_own))
    out.unreachable += [_no_address(p) for p in _meant_for(report, staff) if not p.email]
    return out


def _statement(out: Routing, staff: Staff) -> Routing:
    """Only the person's own 邮箱 from 人员; anything else in the manifest is refused."""
    person = staff.by_id.get(out.report.key or "")
    if person is None:
        out.refused.append((f"工资条 {out.report.period} 的工号「{out.report.key}」不在「人员」表里, 不发送",
                            f"Statement {out.report.period}: staff ID '{out.report.key}' is not in Staff; not sent"))
        return out
    if person.status == LEFT:
        out.unreachable.append(_left(person))
        return out
    if not person.email:
        out.unreachable.append(_no_address(person))
    for address in out.report.recipients + out.report.cc:
        if person.email and address.strip().lower() == person.email.lower():
            if not out.recipients:
                out.recipients.append(Recipient(person.email, person.name, True))
        else:
            out.refused.append((f"{person.name}({person.staff_id})的工资条只发给本人, 清单里的「{address}」不是本人邮箱, 已拒绝",
                                f"{person.name} ({person.staff_id})'s statement goes to that person only; "
                                f"'{address}' is not their address and was refused"))
    if person.email and not out.recipients and not out.refused:
        out.refused.append((f"{person.name}({person.staff_id})的工资条在报表清单里没有收件人, 未发送",
                            f"{person.name} ({person.staff_id})'s statement has no recipient in the manifest; not sent"))
    return out


def _meant_for(report: Report, staff: Staff) -> list[Person]:
    """Who the routing defaults (issue 9) send this report to: used only to name the
    people who cannot receive it."""
    if report.scope == "person":
        me = staff.by_id.get(report.key or "")
        boss = staff.by_id.get(me.manager_id) if me and me.manager_id else None
        return [p for p in (me, boss) if p is not None and p.status != LEFT]
    if report.scope == "team":
        leads = [p for p in staff.active() if p.team == report.key and p.role in TEAM_LEAD_ROLES]
        bosses = [staff.by_id[p.manager_id] for p in leads if p.manager_id in staff.by_id]
        return _unique(leads + [b for b in bosses if b.status != LEFT])
    return [p for p in staff.active() if p.role in DEPARTMENT_ROLES]


def _unique(people: list[Person]) -> list[Person]:
    return list({p.staff_id: p for p in people}.values())


def _no_address(p: Person) -> tuple[str, str]:
    return (f"{p.name}({p.staff_id})在「人员」表没有有效的邮箱, 收不到报表: 请填写「邮箱」列",
            f"{p.name} ({p.staff_id}) has no valid e-mail in Staff and cannot receive reports: fill in Email")


def _left(p: Person) -> tuple[str, str]:
    return (f"{p.name}({p.staff_id})已离职, 不发送", f"{p.name} ({p.staff_id}) has left; nothing sent")
