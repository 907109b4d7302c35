"""HTML for the e-mail body: a jinja2 template, CSS inlined (css-inline), no scripts.

Charts are separate PNG files referenced by relative path (`<img src="NAME-visits.png">`),
so the mail step can attach them as cid: parts and rewrite the src.
"""
from __future__ import annotations

import functools
from pathlib import Path

from . import templating
from .charts import none_drawn


@functools.lru_cache(maxsize=1)
def _inliner():
    import css_inline

    # keep the <style> tag: its @media rule (phone widths) cannot be inlined
    return css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)


def render(ctx: dict, charts: dict[str, str], *, company: Path | None) -> str:
    raw = templating.render(f"{ctx['kind']}.html", {**ctx, "charts": {**none_drawn(ctx["kind"]), **charts}}, company=company)
    return _inliner().inline(raw)
