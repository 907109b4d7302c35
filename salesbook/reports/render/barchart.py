"""Bar charts drawn with Pillow in the shipped font: the reports' bar charts (visits by
method, target against signed sales, receivables ageing).

Why not matplotlib here: a weekly run draws one visits chart per team, and matplotlib
spends ~80 ms laying out and rasterising each; these charts have axis-aligned bars and
a few labels, which Pillow draws in a few ms with the same font (FreeType's anti-aliased
text; rectangles on whole pixels need none). The legend sits above the plot, so it never
covers a bar. Sizes are given as matplotlib's were (inches at 110 dpi, text in points),
so the charts keep their size in the HTML and the PDF.
"""
from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from . import fonts

DPI = 110
INK, AXIS, GRID, WHITE = (34, 34, 34), (68, 68, 68), (230, 233, 238), (255, 255, 255)
PAD = 8                    # px around the whole chart


@dataclass
class Series:
    label: str                                # legend text ("" = not in the legend)
    values: list[float]
    colour: str | list[str]                   # one colour, or one per bar
    value_labels: list[str] | None = None     # text above each bar (None: none)


def px(points: float) -> int:
    return round(points * DPI / 72)


@functools.lru_cache(maxsize=16)
def _font(points: float):
    from PIL import ImageFont

    return ImageFont.truetype(str(fonts.FONT_FILE), px(points), layout_engine=ImageFont.Layout.BASIC)


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering lo..hi, at most `most`+1."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / (most - 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag * (most - 1) >= hi - lo - 1e-9)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def tick_text(value: float, ticks: list[float]) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    decimals = 0 if float(step).is_integer() else len(f"{step:.10g}".split(".")[1])
    return f"{value:,.{decimals}f}"


def _check_glyphs(texts) -> None:
    """A character the font lacks draws as an empty box: say so, as matplotlib does."""
    for ch in fonts.missing_glyphs("".join(texts)):
        warnings.warn(f"Glyph {ord(ch)} ({ch!r}) missing from font {fonts.FAMILY}", UserWarning, stacklevel=3)


def draw(path: Path, *, size: tuple[float, float], title: str, categories: list[str], series: list[Series],
         unit: str | None = None, label_points: float = 9) -> Path:
    """A grouped bar chart as an RGB PNG at `path`: one group of bars per category, one bar
    per series, the series' value labels above its bars, a legend above the plot when
    any series has a label, the unit beside the y axis."""
    from PIL import Image, ImageDraw

    legend = [s for s in series if s.label]
    _check_glyphs([title, unit or "", *categories, *(s.label for s in series),
                   *(t for s in series for t in (s.value_labels or []))])
    width, height = round(size[0] * DPI), round(size[1] * DPI)
    img = Image.new("RGB", (width, height), WHITE)
    d = ImageDraw.Draw(img)
    f_title, f_tick, f_label, f_legend = _font(12), _font(10), _font(label_points), _font(9)

    # header: the title centred; the legend on its right, or on a row of its own if they would meet
    d.text((width / 2, PAD), title, font=f_title, fill=INK, anchor="mt")
    title_h = f_title.getbbox(title or " ")[3]
    top = PAD + title_h + 6
    if legend:
        items = [(s, f_legend.getlength(s.label)) for s in legend]
        swatch, gap = px(9), px(10)
        total = sum(swatch + 5 + w for _, w in items) + gap * (len(items) - 1)
        beside = width / 2 + f_title.getlength(title) / 2 + gap < width - PAD - total
        y = PAD + (title_h - swatch) / 2 if beside else top
        x = width - PAD - total
        for s, w in items:
            colour = s.colour if isinstance(s.colour, str) else s.colour[0]
            d.rectangle([round(x), round(y), round(x) + swatch - 1, round(y) + swatch - 1], fill=_rgb(colour))
            d.text((x + swatch + 5, y + swatch / 2), s.label, font=f_legend, fill=INK, anchor="lm")
            x += swatch + 5 + w + gap
        if not beside:
            top += swatch + 6

    values = [v or 0 for s in series for v in s.values]
    ticks = nice_ticks(min([0, *values]), max([0, *values]) or 1)
    lo, hi = ticks[0], ticks[-1]
    labels = [tick_text(t, ticks) for t in ticks]
    tick_len = px(3.5)
    left = PAD + max(f_tick.getlength(t) for t in labels) + tick_len + 4
    if unit:
        left += f_tick.getbbox(unit)[3] + 6
    left = round(left)
    right = width - PAD - 4
    label_h = f_label.getbbox("0")[3] + 4
    plot_top = round(top + label_h)

    # category labels: level, or turned (right end at the tick) when one is wider than its
    # slot: 30°, steeper when neighbouring labels would touch
    n = max(1, len(categories))
    slot = (right - left) / n
    turned = any(f_tick.getlength(c) > slot - 6 for c in categories)
    line_h = f_tick.getbbox("拜Ag")[3]
    angle = next((a for a in (30, 45, 60) if slot * math.sin(math.radians(a)) >= line_h + 6), 90)
    room = height * 0.3 - tick_len - 4          # the turned labels take at most this height
    rotated = [_turned(_fit(c, f_tick, angle, room, line_h), f_tick, angle) for c in categories] if turned else []
    below = (max(im.height for im in rotated) if rotated else line_h) + tick_len + 4
    bottom = round(height - PAD - below)

    def y_of(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - plot_top)

    for t, text in zip(ticks, labels):
        y = round(y_of(t))
        if t != 0:
            d.line([(left + 1, y), (right, y)], fill=GRID)
        d.line([(left - tick_len, y), (left, y)], fill=AXIS)
        d.text((left - tick_len - 4, y), text, font=f_tick, fill=INK, anchor="rm")
    if unit:
        _paste_vertical(img, unit, f_tick, PAD, (plot_top + bottom) / 2)

    k = max(1, len(series))
    bar = slot * 0.8 / k
    zero = round(y_of(0))
    # a series' value labels, all or none: none when one would reach into the next group
    shown = [bool(s.value_labels) and all(f_label.getlength(t) <= slot - 2 for t in s.value_labels) for s in series]
    for si, s in enumerate(series):
        for ci, v in enumerate(s.values):
            v = v or 0
            x0 = left + ci * slot + slot * 0.1 + si * bar
            colour = s.colour if isinstance(s.colour, str) else s.colour[ci % len(s.colour)]
            y = round(y_of(v))
            if y != zero:
                d.rectangle([round(x0), min(y, zero), round(x0 + bar) - 1, max(y, zero) - 1], fill=_rgb(colour))
            if shown[si]:
                if v >= 0:
                    d.text((x0 + bar / 2, min(y, zero) - 3), s.value_labels[ci], font=f_label, fill=INK, anchor="ms")
                else:
                    d.text((x0 + bar / 2, max(y, zero) + 3), s.value_labels[ci], font=f_label, fill=INK, anchor="mt")

    d.line([(left, plot_top - label_h // 2), (left, bottom)], fill=AXIS)     # y axis
    d.line([(left, zero), (right, zero)], fill=AXIS)                         # the zero line
    for ci, c in enumerate(categories):
        cx = left + (ci + 0.5) * slot
        d.line([(round(cx), bottom), (round(cx), bottom + tick_len)], fill=AXIS)
        if turned:
            im = rotated[ci]
            img.paste(im, (round(cx - im.width + 4), bottom + tick_len + 2), im)
        else:
            d.text((cx, bottom + tick_len + 3), c, font=f_tick, fill=INK, anchor="ma")
    if bottom != zero:
        d.line([(left, bottom), (right, bottom)], fill=AXIS)
    img.save(path, "PNG", compress_level=6)
    return path


def _fit(text: str, font, angle: float, room: float, line_h: float) -> str:
    """`text`, its middle replaced by … until, turned by `angle`°, it is at most `room` px
    high: the first two characters and as much of the end as fits stay (names of one
    company's teams share their start and differ at the end: 华东1组, 华东2组)."""
    sin, cos = math.sin(math.radians(angle)), math.cos(math.radians(angle))

    def fits(t: str) -> bool:
        return font.getlength(t) * sin + line_h * cos <= room

    if fits(text):
        return text
    head, tail = text[:2], text[2:]
    while len(tail) > 1 and not fits(head + "…" + tail):
        tail = tail[1:]
    return head + "…" + tail


def _turned(text: str, font, angle: float = 30):
    """`text` as an ink image turned `angle`° anti-clockwise (alpha = the glyphs)."""
    from PIL import Image, ImageDraw

    box = font.getbbox(text)
    im = Image.new("RGBA", (box[2] + 2, box[3] + 2), (*INK, 0))
    ImageDraw.Draw(im).text((1, 1), text, font=font, fill=(*INK, 255))
    return im.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)


def _paste_vertical(img, text: str, font, x: float, cy: float) -> None:
    im = _turned(text, font, 90)
    img.paste(im, (round(x), round(cy - im.height / 2)), im)
