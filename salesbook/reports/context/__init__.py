"""Pure context builders, one per report kind: tables (+ ownership, pay) + period + today →
a plain JSON-serialisable dict, the data a template sees (docs/templates.md lists every key).

No I/O, no clock, no rendering library: the renderers in `..render` read these dicts only.
"""
from . import common, daily, monthly, statement, weekly

__all__ = ["common", "daily", "weekly", "monthly", "statement"]
