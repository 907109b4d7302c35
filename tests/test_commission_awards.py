"""Awards and streaks (domain.md §6.6), hand-made months, ties included."""
import pytest

from builders import contract, staff, target
from test_commission_rules import row, run

PEOPLE = [staff("S1", team="一组"), staff("S2", team="一组"), staff("S3", team="二组"),
          staff("S4", team="二组"), staff("M1", role="销售经理", team=None)]


def months(first: str, n: int) -> list[str]:
    y, m = (int(x) for x in first.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def sales(plan: dict[str, dict[str, float]]) -> list[dict]:
    """{month: {staff: signed amount}} → contracts signed on the 15th."""
    out = []
    for month, by in plan.items():
        for sid, amount in by.items():
            out.append(contract(f"C{month}{sid}", sid, amount, signed=f"{month}-15"))
    return out


def pay_for(month, plan, **kw):
    kw.setdefault("staff", PEOPLE)
    return run(month=month, contracts=sales(plan), **kw)


def awards(pay, sid):
    r = row(pay, sid)
    return r["awards"], r["remarks"]


def test_department_best_needs_target_met_and_ties_all_receive():
    plan = {"2026-03": {"S1": 80000, "S2": 80000, "S3": 200000, "S4": 80000}}
    pay = pay_for("2026-03", plan, targets=[target("2026-03", "S1", 50000), target("2026-03", "S2", 80000),
                                            target("2026-03", "S3", 300000)])
    assert awards(pay, "S1")[0] == 200 and awards(pay, "S2")[0] == 200
    assert "部门最高业绩奖" in awards(pay, "S1")[1] and "并列" in awards(pay, "S1")[1]
    assert awards(pay, "S3")[0] == 0      # higher, but below target
    assert awards(pay, "S4")[0] == 0      # no target: no 达成率
    none = pay_for("2026-03", plan, targets=[target("2026-03", "S3", 300000)])
    assert none.payroll["awards"].sum() == 0


def _team_top(n, tie_month=None, broken_month=None, gap_month=None):
    plan = {}
    for i, m in enumerate(months("2025-04", n)):
        by = {"S1": 100000, "S2": 50000, "S3": 10, "S4": 5}
        if m == tie_month:
            by["S2"] = 100000
        if m == broken_month:
            by["S2"] = 100000.01
        if m == gap_month:
            by = {}
        plan[m] = by
    return plan


@pytest.mark.parametrize("n,award", [(5, 0), (6, 300), (7, 0), (11, 0), (12, 300 + 500)])
def test_six_months_top_of_team(n, award):
    # S1 also tops the whole department, so month 12 adds the 12-month award
    plan = _team_top(n)
    month = months("2025-04", n)[-1]
    got, remark = awards(pay_for(month, plan), "S1")
    assert got == award
    assert ("连续6个月组内第一奖励" in remark) == bool(award)


def test_six_months_team_streak_with_a_tie_counts_for_both():
    plan = _team_top(6, tie_month="2025-06")
    pay = pay_for("2025-09", plan)
    assert awards(pay, "S1")[0] == 300
    assert awards(pay, "S2")[0] == 0     # S2 was top (tied) only once


@pytest.mark.parametrize("kind", ["broken_month", "gap_month"])
def test_six_months_team_streak_broken(kind):
    plan = _team_top(6, **{kind: "2025-06"})
    assert awards(pay_for("2025-09", plan), "S1")[0] == 0


def test_team_of_one_with_no_team_is_never_top():
    plan = {m: {"M1": 999999} for m in months("2025-04", 6)}
    assert awards(pay_for("2025-09", plan), "M1")[0] == 0   # blank 小组: no team award


@pytest.mark.parametrize("n,award", [(11, 0), (12, 500 + 300), (24, 500 + 300)])
def test_twelve_months_top_of_department(n, award):
    # S3 is alone at the top of the department and of 二组 every month
    plan = {m: {"S1": 100, "S3": 1000, "S4": 10} for m in months("2024-04", n)}
    month = months("2024-04", n)[-1]
    got, remark = awards(pay_for(month, plan), "S3")
    assert got == award
    assert ("连续12个月部门第一奖励" in remark) == (n % 12 == 0)


@pytest.mark.parametrize("n,flag", [(2, False), (3, True), (4, True)])
def test_raise_suggested_after_three_months_top_of_department(n, flag):
    plan = {m: {"S1": 1000, "S3": 500} for m in months("2026-01", n)}
    remark = awards(pay_for(months("2026-01", n)[-1], plan), "S1")[1]
    assert ("建议调薪" in remark) == flag
    assert "建议调薪" not in awards(pay_for(months("2026-01", n)[-1], plan), "S3")[1]


def test_raise_with_department_tie():
    plan = {m: {"S1": 1000, "S3": 1000} for m in months("2026-01", 3)}
    pay = pay_for("2026-03", plan)
    assert "建议调薪" in awards(pay, "S1")[1] and "建议调薪" in awards(pay, "S3")[1]


def _below(n, met_month=None, no_target_month=None):
    ms = months("2026-01", n)
    plan = {m: {"S1": 99999.99 if m != met_month else 100000} for m in ms}
    targets = [target(m, "S1", 100000) for m in ms if m != no_target_month]
    return ms[-1], plan, targets


@pytest.mark.parametrize("n,warn,flag", [(2, 3, False), (3, 3, True), (4, 3, True), (2, 2, True), (1, 2, False)])
def test_demotion_warning_after_exactly_n_months(n, warn, flag):
    month, plan, targets = _below(n)
    pay = pay_for(month, plan, targets=targets, settings={"连续未达标预警月数": warn})
    assert ("降级预警" in row(pay, "S1")["remarks"]) == flag


@pytest.mark.parametrize("kind", ["met_month", "no_target_month"])
def test_demotion_streak_broken_by_a_met_month_or_a_month_without_target(kind):
    month, plan, targets = _below(3, **{kind: "2026-02"})
    pay = pay_for(month, plan, targets=targets)
    assert "降级预警" not in row(pay, "S1")["remarks"]
