"""The demo workbook assigns without error, and the summary's counts match the sheets."""
import datetime as dt
import re

import pandas as pd
import pytest

from salesbook import api
from salesbook import contract as K
from salesbook.demo import write_demo
from salesbook.credit import signer_findings
from salesbook.ownership import compute

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = write_demo(tmp_path_factory.mktemp("demo"), "small", seed=7, today=TODAY)
    run = api.prepare(path, today=TODAY)
    return run, compute(run.tables, run.settings, TODAY)


def numbers(line: str) -> list[int]:
    return [int(x) for x in re.findall(r"(\d+) (?:个|次|条)", line)]


def test_demo_assigns_and_the_summary_counts_match_the_sheets(demo):
    run, own = demo
    state, log = own.state, own.log
    customers = run.tables["customers"]
    assert len(state) == (customers["registered_at"] < pd.Timestamp(TODAY + dt.timedelta(days=1))).sum() > 0
    lines = own.summary_lines()
    total, owned, pool, dups = numbers(lines[0])
    assert (total, owned, pool, dups) == (len(state), (state["state"] == "归属中").sum(),
                                          (state["state"] == "公海").sum(), state["duplicate_of"].notna().sum())
    changes, claims, refused, cap, cooldown = (int(x) for x in re.findall(r"\d+", lines[1]))
    assert changes == len(log) and claims == (log["event"] == "公海领取").sum()
    assert (cap, cooldown) == ((log["basis"] == "超出上限").sum(), (log["basis"] == "冷却期").sum())
    assert refused == cap + cooldown
    exp = own.expiring()
    assert numbers(lines[2]) == [len(exp)]
    assert sum(numbers(x)[0] for x in lines[3:]) == len(exp)
    # every rule of §5 shows up in the demo's log
    assert {"登记", "轮客", "掉入公海", "公海领取", "调整"} <= set(log["event"])
    # owned rows are protected up to as_of at least; pool rows have no owner
    o = state[state["state"] == "归属中"]
    assert (o["protected_until"] >= pd.Timestamp(TODAY)).all() and o["owner_id"].notna().all()
    assert state.loc[state["state"] == "公海", "owner_id"].isna().all()


def test_demo_findings_point_at_real_cells(demo):
    run, own = demo
    t = run.tables
    found = own.findings + signer_findings(t["contracts"], t["staff"], t["visits"], run.settings.protection_days,
                                           own.as_of, own.owners_on, label=own.person_label)
    assert found
    for f in found:
        assert f.level == "警告" and f.problem and f.suggestion and f.problem_en
        sheet = K.SHEETS[f.sheet]
        assert f.column in sheet.by_key
        assert f.row in set(run.tables[f.sheet]["_row"])
