"""发送报表: e-mail the rendered reports to the people they are for, exactly once.

For the CLI (`salesbook send`) and the ribbon's 发送报表 button:
- `plan_text(book, ...)` — the dry-run list (who gets what, sizes) as text for a
  confirmation box; nothing is sent.
- `send(book, ..., progress=fn)` — sends; returns a `Summary` (`.lines`, `.exit_code`
  0 all sent / 1 some failed / 2 nothing could be sent).
Both take the period as `date=`, `week="2026-W42"` or `month="2026-10"` and
`kind="daily|weekly|monthly|statement|all"`, like the command.
"""
from __future__ import annotations

from .run import Plan, Summary, plan, plan_lines, send


def plan_text(book, *, lang: str = "zh", outbox=None, **options) -> str:
    """The dry-run list as one text (same options as `send`, minus progress/TLS/timeouts)."""
    return "\n".join(plan_lines(plan(book, lang=lang, **options), lang, outbox))


__all__ = ["Plan", "Summary", "plan", "plan_lines", "plan_text", "send"]
