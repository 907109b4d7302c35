"""Charts as PNG files in the shipped font, drawn from a report context: the bar charts
with Pillow (`barchart`), the monthly trend line with matplotlib (Agg).

Each chart is a separate file next to the report, referenced by relative path from the
HTML (the mail step turns them into cid: parts) and placed as an image in the PDF.
A character the font lacks gives a UserWarning "Glyph … missing" (matplotlib's, and
barchart's in its words); the test suite turns that warning into an error.
"""
from __future__ import annotations

import functools
from pathlib import Path

from . import barchart, fonts
from .words import word

BLUE, ORANGE, GREY, RED = "#2f6db5", "#f0a030", "#9aa5b1", "#c8403a"
AGEING_COLOURS = ("#7fb77e", "#f2c14e", "#f29e4c", "#e76f51", "#c8403a")


@functools.lru_cache(maxsize=1)
def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager, pyplot

    font_manager.fontManager.addfont(str(fonts.FONT_FILE))
    pyplot.rcParams.update({
        "font.family": "sans-serif", "font.sans-serif": [fonts.FAMILY], "axes.unicode_minus": False,
        "font.size": 10, "axes.spines.top": False, "axes.spines.right": False,
        "svg.hashsalt": "salesbook", "figure.dpi": 100,
    })
    return pyplot


def _save(fig, path: Path, margins: dict | None = None) -> None:
    """margins (subplots_adjust fractions), for a chart whose labels are known in advance:
    tight_layout measures by drawing the figure once more (a third of a chart's cost, and
    a weekly run draws one chart per team)."""
    plt = _pyplot()
    if margins:
        fig.subplots_adjust(**margins)
    else:
        fig.tight_layout()
        # tight_layout leaves a placeholder layout engine behind, and savefig then draws the
        # whole figure twice (a dry run for the engine); the layout is done, so drop it
        fig.set_layout_engine(None)
    # no timestamp / software text in the PNG: same inputs, same bytes
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


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
    return barchart.draw(path, size=(6.4, 3.0), title=word("拜访次数(按拜访方式)", lang),
                         categories=[word(m, lang) for m in methods], series=[
                             barchart.Series(f"{word('上期', lang)} {ctx['previous']['period']}", before, GREY),
                             barchart.Series(f"{word('本期', lang)} {ctx['period']}", now, BLUE,
                                             [f"{v:,}" for v in now])])


def target_vs_actual(ctx: dict, path: Path) -> Path:
    """Monthly: 销售目标 against 签约业绩 per 小组, with each team's 达成率 over its bar."""
    lang = ctx["lang"]
    teams = [t for t in ctx["teams"] if t["sales_target"] or t["signed"]]
    target, unit = _wan([t["sales_target"] for t in teams] + [t["signed"] for t in teams])
    target, signed = target[:len(teams)], target[len(teams):]
    rates = ["" if t["achievement"] is None else f"{t['achievement'] * 100:.0f}%" for t in teams]
    return barchart.draw(path, size=(7.0, 3.2), title=word("目标与签约业绩(按小组)", lang),
                         categories=[t["name"] for t in teams], unit=word(unit, lang), label_points=8, series=[
                             barchart.Series(word("销售目标", lang), target, GREY),
                             barchart.Series(word("签约业绩", lang), signed, BLUE, rates)])


def trend(ctx: dict, path: Path) -> Path:
    """Monthly: 签约业绩 and 回款业绩 over the last 12 months."""
    plt = _pyplot()
    lang = ctx["lang"]
    months = [t["month"] for t in ctx["trend"]]
    vals, unit = _wan([t["signed"] for t in ctx["trend"]] + [t["collected"] for t in ctx["trend"]])
    signed, collected = vals[:len(months)], vals[len(months):]
    fig, ax = plt.subplots(figsize=(7.0, 3.0))
    ax.plot(months, signed, marker="o", color=BLUE, label=word("签约", lang))
    ax.plot(months, collected, marker="s", color=ORANGE, label=word("回款", lang))
    ax.set_xticks(range(len(months)), [m[2:] for m in months], fontsize=8)
    ax.set_ylabel(word(unit, lang))
    ax.set_ylim(bottom=min(0, min(vals or [0])))
    ax.set_title(word("近 12 个月签约与回款", lang))
    ax.legend(frameon=False, fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    _save(fig, path)
    return path


def ageing(ctx: dict, path: Path) -> Path:
    """Monthly: outstanding receivables per ageing bucket."""
    lang = ctx["lang"]
    buckets = list(ctx["ageing"])
    vals, unit = _wan([ctx["ageing"][b] for b in buckets])
    labels = [word(b, lang) if b == "未到期" else word("逾期", lang) + " " + b + word("天", lang) for b in buckets]
    texts = [f"{v:,.1f}" if unit == "万元" else f"{v:,.0f}" for v in vals]
    return barchart.draw(path, size=(6.4, 2.8), title=word("应收账款账龄", lang) + f" ({ctx['period_last']})",
                         categories=labels, unit=word(unit, lang), label_points=8,
                         series=[barchart.Series("", vals, list(AGEING_COLOURS[:len(buckets)]), texts)])


# chart key → (function, which report kinds have it)
CHARTS = {
    "weekly": (("visits", visits_by_method),),
    "monthly": (("target", target_vs_actual), ("trend", trend), ("ageing", ageing), ("visits", visits_by_method)),
}


def needs_pyplot(kinds) -> bool:
    """Whether reports of these kinds draw a matplotlib chart (a render process imports it
    only then: ~0.4 s of CPU)."""
    return any(fn is trend for kind in kinds for _, fn in CHARTS.get(kind, ()))


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
