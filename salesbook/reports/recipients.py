"""Who receives which report by default (issue: manifest.json recipients). Pure.

statement        the person's own 邮箱 only
daily            the person and their 上级
team weekly      the team's 组长 / 销售主管 (active) and their 上级
department       every active 销售经理, 销售总监, 营销总监 and 销售副总 (weekly and monthly);
                 参数 报表抄送 goes in `cc`
Blank or malformed 邮箱 are left out; order is 人员 order, no address twice.
"""
from __future__ import annotations

import pandas as pd

from ..contract import ACTIVE_STATUSES
from ..domain.email import is_address
from ..domain.org import DEPARTMENT_ROLES, TEAM_LEAD_ROLES
from .figures import text


class Directory:
    def __init__(self, staff: pd.DataFrame):
        st = staff.drop_duplicates("staff_id", keep="first")
        self.order = list(text(st["staff_id"]))
        self.email = dict(zip(self.order, text(st["email"])))
        self.manager = dict(zip(self.order, text(st["manager_id"])))
        self.role = dict(zip(self.order, text(st["role"])))
        self.team = dict(zip(self.order, text(st["team"])))
        self.active = dict(zip(self.order, pd.Series(st["status"], dtype=object).isin(ACTIVE_STATUSES)))

    def addresses(self, ids) -> list[str]:
        out = []
        for sid in ids:
            e = (self.email.get(sid) or "").strip()
            if e and is_address(e) and e not in out:
                out.append(e)
        return out

    def statement(self, sid) -> list[str]:
        return self.addresses([sid])

    def daily(self, sid) -> list[str]:
        return self.addresses([sid, self.manager.get(sid)])

    def team_weekly(self, team) -> list[str]:
        leads = [sid for sid in self.order
                 if self.team.get(sid) == team and self.role.get(sid) in TEAM_LEAD_ROLES and self.active[sid]]
        return self.addresses(leads + [self.manager.get(sid) for sid in leads])

    def department(self) -> list[str]:
        return self.addresses([sid for sid in self.order
                               if self.role.get(sid) in DEPARTMENT_ROLES and self.active[sid]])
