"""Every finding names its rule; docs/rules.md lists every rule (generated from the code)."""
from pathlib import Path

import pytest

from salesbook import api
from salesbook.demo import write_demo
from salesbook.findings import RULES, rules_markdown

import datetime as dt

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 20)


def test_rules_docs_are_up_to_date():
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run python -c \"from salesbook.findings import write_rules_docs; "
        "write_rules_docs()\"")


@pytest.fixture(scope="module")
def demo_findings(tmp_path_factory):
    path = write_demo(tmp_path_factory.mktemp("demo"), "small", seed=7, today=TODAY)
    run = api.prepare(path, today=TODAY, month="2026-10")
    res = api.month_results(run, "2026-10")
    return run.findings + res.findings + list(res.pay.findings)


def test_every_finding_of_the_demo_names_a_declared_rule_of_its_level(demo_findings):
    assert demo_findings
    for f in demo_findings:
        assert f.rule in RULES, f
        assert RULES[f.rule].level == f.level, f


def test_a_rule_cannot_make_a_finding_of_another_level():
    from salesbook.findings import error
    from salesbook.validation.payments import NOT_REMITTED

    with pytest.raises(ValueError):
        error("payments", 2, "remitted", "否", "x", "y", rule=NOT_REMITTED)
