"""Charts as PNG files in the shipped font, drawn from a report context (by `plot`).

Each chart is a separate file next to the report, referenced by relative path from the
HTML (the mail step turns them into cid: parts) and placed as an image in the PDF.
A character the font lacks gives a UserWarning "Glyph … missing"; the test suite turns
that warning into an error.
"""
from __future__ import annotations

from pathlib import Path

from . import plot
from .words import word

BLUE, ORANGE, GREY, RED = "#2f6db5", "#f0a030", "#9aa5b1", "#c8403a"
AGEING_COLOURS = ("#7fb77e", "#f2c14e", "#f29e4c", "#e76f51", "#c8403a")


def _wan(values) -> tuple[list[float], str]:
    """Amounts in yuan → the unit people read on an axis (元 or 万元)."""
    top = max([abs(v or 0) for v in values] or [0])
    if top >= 100_000:
        return [(v or 0) / 10_000 for v in values], "万元"
    return [v or 0 for v in values], "元"


def visits_by_method(ctx: dict, path: Path) -> Path:
    """Weekly/monthly: visits by 拜访方式, this period against the one before."""
    lang = ctx["lang"]
    methods = list(ctx["figures"]["visits_by_method"])
    now = [ctx["figures"]["visits_by_method"][m] for m in methods]
    before = [ctx["previous"]["visits_by_method"].get(m, 0) for m in methods]
    return plot.bars(path, size=(6.4, 3.0), title=word("拜访次数(按拜访方式)", lang),
                     categories=[word(m, lang) for m in methods], series=[
                         plot.Series(f"{word('上期', lang)} {ctx['previous']['period']}", before, GREY),
                         plot.Series(f"{word('本期', lang)} {ctx['period']}", now, BLUE, [f"{v:,}" for v in now])])


def target_vs_actual(ctx: dict, path: Path) -> Path:
    """Monthly: 销售目标 against 签约业绩 per 小组, with each team's 达成率 over its bar."""
    lang = ctx["lang"]
    teams = [t for t in ctx["teams"] if t["sales_target"] or t["signed"]]
    target, unit = _wan([t["sales_target"] for t in teams] + [t["signed"] for t in teams])
    target, signed = target[:len(teams)], target[len(teams):]
    rates = ["" if t["achievement"] is None else f"{t['achievement'] * 100:.0f}%" for t in teams]
    return plot.bars(path, size=(7.0, 3.2), title=word("目标与签约业绩(按小组)", lang),
                     categories=[t["name"] for t in teams], unit=word(unit, lang), label_points=8, series=[
                         plot.Series(word("销售目标", lang), target, GREY),
                         plot.Series(word("签约业绩", lang), signed, BLUE, rates)])


def trend(ctx: dict, path: Path) -> Path:
    """Monthly: 签约业绩 and 回款业绩 over the last 12 months."""
    lang = ctx["lang"]
    months = [t["month"] for t in ctx["trend"]]
    vals, unit = _wan([t["signed"] for t in ctx["trend"]] + [t["collected"] for t in ctx["trend"]])
    signed, collected = vals[:len(months)], vals[len(months):]
    return plot.lines(path, size=(7.0, 3.0), title=word("近 12 个月签约与回款", lang),
                      categories=[m[2:] for m in months], unit=word(unit, lang), series=[
                          plot.Series(word("签约", lang), signed, BLUE),
                          plot.Series(word("回款", lang), collected, ORANGE, marker="s")])


def ageing(ctx: dict, path: Path) -> Path:
    """Monthly: outstanding receivables per ageing bucket."""
    lang = ctx["lang"]
    buckets = list(ctx["ageing"])
    vals, unit = _wan([ctx["ageing"][b] for b in buckets])
    labels = [word(b, lang) if b == "未到期" else word("逾期", lang) + " " + b + word("天", lang) for b in buckets]
    texts = [f"{v:,.1f}" if unit == "万元" else f"{v:,.0f}" for v in vals]
    return plot.bars(path, size=(6.4, 2.8), title=word("应收账款账龄", lang) + f" ({ctx['period_last']})",
                     categories=labels, unit=word(unit, lang), label_points=8,
                     series=[plot.Series("", vals, list(AGEING_COLOURS[:len(buckets)]), texts)])


# chart key → (function, which report kinds have it)
CHARTS = {
    "weekly": (("visits", visits_by_method),),
    "monthly": (("target", target_vs_actual), ("trend", trend), ("ageing", ageing), ("visits", visits_by_method)),
}


def none_drawn(kind: str) -> dict[str, None]:
    """Every chart key of a kind, unset (templates test `charts.KEY`)."""
    return {key: None for key, _ in CHARTS.get(kind, ())}


def draw(ctx: dict, folder: Path, stem: str) -> dict[str, str]:
    """Every chart of the context's kind, as `stem-<key>.png` in folder → {key: file name}."""
    out = {}
    for key, fn in CHARTS.get(ctx["kind"], ()):
        name = f"{stem}-{key}.png"
        fn(ctx, folder / name)
        out[key] = name
    return out
