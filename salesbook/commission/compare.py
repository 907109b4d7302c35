"""方案对比: the month under an alternative 提成方案 / 绩效系数, person by person."""
from __future__ import annotations

import pandas as pd

from .. import contract as K
from ..settings import Settings, read_settings
from ..domain.money import yuan

# 参数 an alternative plan workbook may change; everything else stays the company's.
PLAN_KEYS = ("提成基数", "提成计算方式", "全勤奖", "部门最高业绩奖", "连续6个月组内第一奖励",
             "连续12个月部门第一奖励", "连续未达标预警月数")



def alternative(tables: dict, settings: Settings, alt_tables: dict) -> tuple[dict, Settings]:
    """The company's tables with the alternative 提成方案 / 绩效系数 (each only if the
    alternative has rows), and its settings with the plan 参数 the alternative sets."""
    out = dict(tables)
    for key in ("commission_plan", "performance_factors"):
        if alt_tables.get(key) is not None and len(alt_tables[key]):
            out[key] = alt_tables[key]
    changes = {}
    alt_settings_table = alt_tables.get("settings")
    if alt_settings_table is not None and len(alt_settings_table):
        alt_values, _ = read_settings(alt_settings_table)
        typed = set(alt_settings_table.loc[alt_settings_table["value"].notna(), "key"])
        for k in PLAN_KEYS:
            if k in typed:
                attr = K.SETTINGS_BY_KEY[k].attr
                changes[attr] = getattr(alt_values, attr)
    return out, settings.replace(**changes)


def compare_plans(tables: dict, settings: Settings, month: str, owner_on, alt_tables: dict,
                  lang: str = "zh") -> pd.DataFrame:
    """Old vs new 提成, 绩效工资 and 应发合计 per person, the difference, and a total row
    (contract.PLAN_COMPARISON keys; `lang` names the total row).
    Credit shares do not depend on the plan, so both runs share one cached owner lookup."""
    from ..credit import owners_from
    from .engine import compute

    seen = owners_from(owner_on)
    old = compute(tables, settings, month, seen)
    new_tables, new_settings = alternative(tables, settings, alt_tables)
    new = compute(new_tables, new_settings, month, seen)
    rows, tot = [], [0] * 7
    for sid, p in old.persons.items():
        q = new.persons[sid]
        vals = (p.commission, q.commission, p.performance_pay, q.performance_pay, p.total, q.total,
                q.total - p.total)
        tot = [a + b for a, b in zip(tot, vals)]
        rows.append((sid, p.name, p.role, p.team) + tuple(yuan(v) for v in vals))
    total_label = "Total" if lang == "en" else "合计"
    rows.append((total_label, "", "", "") + tuple(yuan(v) for v in tot))
    return pd.DataFrame(rows, columns=K.PLAN_COMPARISON.keys())
