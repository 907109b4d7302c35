"""Validation (domain.md §4): every table-level rule, one group per module, in one loop.

The reader has already reported cells that do not parse (tables.parse), `read_settings`
the 参数 sheet, the ownership engine its own warnings (撞单, cap, walk-ins …) and the credit
module the signer check. Here:

- `check()`   every other §4 rule (CHECKS below), as findings in plain Chinese (+ English);
- `usable()`  the tables without rows that have a 错误, cascaded along references (a payment
              of an excluded contract is left out too), with a 警告 per row left out, so
              nobody wonders where a row went.

Each rule is declared (`findings.rule`) with an id next to its code; docs/rules.md lists
them. Everything is vectorised with pandas: the rules only loop in Python over the rows
they report. No I/O, no clock: `today` is a parameter.

    structure   required, unique keys, references, the 上级 tree
    dates       acting while employed, nothing in the future
    contracts   amounts, approvers, discount authority
    payments    overpaid, not remitted, on a contract that does not count
    activity    long intent visits, credit limits, missing targets
    closed      rows of closed months changed since the close
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from ..findings import Finding, sort_findings
from ..settings import Settings
from . import activity, closed, contracts, dates, payments, structure
from .common import Context, first_by, tables_of
from .usable import usable

# The order findings are produced in does not matter (they are sorted); this is reading order.
CHECKS = (
    structure.required, structure.duplicates, structure.references, structure.manager_cycles,
    dates.employment, dates.future_dates,
    contracts.contract_amounts, contracts.approvers, contracts.discounts,
    payments.overpaid, payments.remittance, payments.payments_not_counted,
    activity.long_intent_visits, activity.credit_limits, activity.missing_targets,
    closed.changed_since_close,
)


def check(tables: dict[str, pd.DataFrame], settings: Settings, *, today: dt.date,
          month: str | None = None, already: Iterable[Finding] = (), closed: tuple = ()) -> list[Finding]:
    """Every table-level rule of domain.md §4 on the parsed tables.

    `month` (YYYY-MM): reps without a 目标 row for it are warned about.
    `already`: findings the reader made (reader.Book.findings); a cell that did not parse
    is blank in the table and is not reported again as empty.
    `closed`: the rows changed since a month close locked them (salesbook.close.diff.Change).
    """
    t = tables_of(tables)
    ctx = Context(t, settings, pd.Timestamp(today), month, first_by(t["staff"], "staff_id"),
                  {(f.sheet, f.row, f.column) for f in already}, tuple(closed))
    found: list[Finding] = []
    for rule in CHECKS:
        found.extend(rule(ctx))
    return sort_findings(found)


__all__ = ["check", "usable", "CHECKS"]
