"""The organisation (domain.md §2): role groups and who is employed when."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract import ACTIVE_STATUSES

# People who sell and carry a monthly 销售目标 (组长 lead a team and sell too).
REP_ROLES = ("销售代表", "客户代表", "电话销售", "会籍顾问", "组长")
# Who leads a 小组: receives the team's weekly report.
TEAM_LEAD_ROLES = ("组长", "销售主管")
# Who runs the department: receives the department's weekly and monthly reports.
DEPARTMENT_ROLES = ("销售经理", "销售总监", "营销总监", "销售副总")


def employed_in(staff: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> np.ndarray:
    """Per 人员 row: employed some day of [first, last] — hired by `last`, and either left on
    or after `first` or (no 离职日期) still 在职/试用."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    hired = staff["hire_date"].notna() & (staff["hire_date"] <= last)
    left = staff["leave_date"]
    stays = (left.notna() & (left >= first)) | (left.isna() & staff["status"].isin(ACTIVE_STATUSES))
    return (hired & stays).to_numpy(dtype=bool)
