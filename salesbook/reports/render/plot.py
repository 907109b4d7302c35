"""The reports' charts drawn with Pillow in the shipped font: grouped bars (visits by
method, target against signed sales, receivables ageing) and lines (the 12-month trend).

Why not matplotlib: a weekly run draws one visits chart per team, and matplotlib spends
~80 ms laying out and rasterising each (and ~0.4 s importing in every render process);
these charts are a few bars, lines and labels, which Pillow draws in a few ms. Text is
FreeType's (anti-aliased), bars sit on whole pixels, lines and markers are drawn at 3x and
scaled down (anti-aliased). The legend sits above the plot, so it never covers the data.
Sizes are given in inches at 110 dpi and text in points, as the charts always were, so
they keep their size in the HTML and the PDF.
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
    marker: str = "o"                         # lines: "o" circle, "s" square


def px(points: float) -> int:
    return round(points * DPI / 72)


@functools.lru_cache(maxsize=16)
def font_at(points: float):
    """The shipped font at a size in points (cached: a render process loads each size once)."""
    from PIL import ImageFont

    return ImageFont.truetype(str(fonts.FONT_FILE), px(points), layout_engine=ImageFont.Layout.BASIC)


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def nice_ticks(lo: float, hi: float, most: int = 6, whole: bool = False) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering lo..hi, at most `most`+1;
    whole: the values are counts, so the steps are whole numbers (no 0.2 visits)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / (most - 1)
    mag = 10 ** math.floor(math.log10(raw))
    steps = [s * mag for s in (1, 2, 2.5, 5, 10)]
    if whole:
        steps = [s for s in steps if s >= 1 and float(s).is_integer()] or [1]
    step = next((s for s in steps if s * (most - 1) >= hi - lo - 1e-9), steps[-1])
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def tick_text(value: float, ticks: list[float]) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    decimals = 0 if float(step).is_integer() else len(f"{step:.10g}".split(".")[1])
    return f"{value:,.{decimals}f}"


def _check_glyphs(texts) -> None:
    """A character the font lacks draws as an empty box: say so (in the words matplotlib used)."""
    for ch in fonts.missing_glyphs("".join(texts)):
        warnings.warn(f"Glyph {ord(ch)} ({ch!r}) missing from font {fonts.FAMILY}", UserWarning, stacklevel=3)


class _Frame:
    """A chart's picture with its title, legend, y axis (round ticks, grid, unit) and
    category axis drawn; `y_of` and `x_of` place data inside it."""

    def __init__(self, size, title: str, categories: list[str], series: list[Series], unit: str | None,
                 label_points: float, tick_points: float = 10):
        from PIL import Image, ImageDraw

        _check_glyphs([title, unit or "", *categories, *(s.label for s in series),
                       *(t for s in series for t in (s.value_labels or []))])
        width, height = round(size[0] * DPI), round(size[1] * DPI)
        self.img = img = Image.new("RGB", (width, height), WHITE)
        self.d = d = ImageDraw.Draw(img)
        f_title, f_tick, f_cat, f_legend = font_at(12), font_at(10), font_at(tick_points), font_at(9)
        self.f_label = font_at(label_points)

        # header: the title centred; the legend on its right, or on a row of its own if they would meet
        d.text((width / 2, PAD), title, font=f_title, fill=INK, anchor="mt")
        title_h = f_title.getbbox(title or " ")[3]
        top = PAD + title_h + 6
        legend = [s for s in series if s.label]
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
        lo, hi = min([0, *values]), max([0, *values]) or 1
        ticks = nice_ticks(lo, hi, whole=all(isinstance(v, int) for v in values))
        self.lo, self.hi = ticks[0], ticks[-1]
        labels = [tick_text(t, ticks) for t in ticks]
        tick_len = px(3.5)
        left = PAD + max(f_tick.getlength(t) for t in labels) + tick_len + 4
        if unit:
            left += f_tick.getbbox(unit)[3] + 6
        self.left = left = round(left)
        self.right = right = width - PAD - 4
        self.label_h = label_h = self.f_label.getbbox("0")[3] + 4
        self.top = round(top + label_h)

        # category labels: level, or turned (right end at the tick) when one is wider than its
        # slot: 30°, steeper when neighbouring labels would touch
        n = max(1, len(categories))
        self.slot = slot = (right - left) / n
        turned = any(f_cat.getlength(c) > slot - 6 for c in categories)
        line_h = f_cat.getbbox("拜Ag")[3]
        angle = next((a for a in (30, 45, 60) if slot * math.sin(math.radians(a)) >= line_h + 6), 90)
        room = height * 0.3 - tick_len - 4          # the turned labels take at most this height
        rotated = [_turned(_fit(c, f_cat, angle, room, line_h), f_cat, angle) for c in categories] if turned else []
        below = (max(im.height for im in rotated) if rotated else line_h) + tick_len + 4
        self.bottom = bottom = round(height - PAD - below)

        for t, text in zip(ticks, labels):
            y = round(self.y_of(t))
            if t != 0:
                d.line([(left + 1, y), (right, y)], fill=GRID)
            d.line([(left - tick_len, y), (left, y)], fill=AXIS)
            d.text((left - tick_len - 4, y), text, font=f_tick, fill=INK, anchor="rm")
        if unit:
            _paste_vertical(img, unit, f_tick, PAD, (self.top + bottom) / 2)
        d.line([(left, self.top - label_h // 2), (left, bottom)], fill=AXIS)     # y axis
        self.zero = zero = round(self.y_of(max(self.lo, 0)))
        d.line([(left, zero), (right, zero)], fill=AXIS)                          # the zero line
        for ci, c in enumerate(categories):
            cx = self.x_of(ci)
            d.line([(round(cx), bottom), (round(cx), bottom + tick_len)], fill=AXIS)
            if turned:
                im = rotated[ci]
                img.paste(im, (round(cx - im.width + 4), bottom + tick_len + 2), im)
            else:
                d.text((cx, bottom + tick_len + 3), c, font=f_cat, fill=INK, anchor="ma")
        if bottom != zero:
            d.line([(left, bottom), (right, bottom)], fill=AXIS)

    def y_of(self, v: float) -> float:
        return self.bottom - (v - self.lo) / (self.hi - self.lo) * (self.bottom - self.top)

    def x_of(self, i: float) -> float:
        """The centre of category i."""
        return self.left + (i + 0.5) * self.slot

    def save(self, path: Path) -> Path:
        self.img.save(path, "PNG", compress_level=6)
        return path


def bars(path: Path, *, size: tuple[float, float], title: str, categories: list[str], series: list[Series],
         unit: str | None = None, label_points: float = 9) -> Path:
    """A grouped bar chart as an RGB PNG at `path`: one group of bars per category, one bar
    per series, the series' value labels above its bars, a legend above the plot when
    any series has a label, the unit beside the y axis."""
    f = _Frame(size, title, categories, series, unit, label_points)
    d, slot, zero = f.d, f.slot, f.zero
    bar = slot * 0.8 / max(1, len(series))
    # a series' value labels, all or none: none when one would reach into the next group
    shown = [bool(s.value_labels) and all(f.f_label.getlength(t) <= slot - 2 for t in s.value_labels)
             for s in series]
    for si, s in enumerate(series):
        for ci, v in enumerate(s.values):
            v = v or 0
            x0 = f.left + ci * slot + slot * 0.1 + si * bar
            colour = s.colour if isinstance(s.colour, str) else s.colour[ci % len(s.colour)]
            y = round(f.y_of(v))
            if y != zero:
                d.rectangle([round(x0), min(y, zero), round(x0 + bar) - 1, max(y, zero) - 1], fill=_rgb(colour))
            if shown[si]:
                if v >= 0:
                    d.text((x0 + bar / 2, min(y, zero) - 3), s.value_labels[ci], font=f.f_label, fill=INK, anchor="ms")
                else:
                    d.text((x0 + bar / 2, max(y, zero) + 3), s.value_labels[ci], font=f.f_label, fill=INK, anchor="mt")
    d.line([(f.left, zero), (f.right, zero)], fill=AXIS)     # over the bars' feet
    return f.save(path)


SCALE = 3      # lines and markers are drawn this many times larger, then scaled down


def lines(path: Path, *, size: tuple[float, float], title: str, categories: list[str], series: list[Series],
          unit: str | None = None, tick_points: float = 8) -> Path:
    """A line chart as an RGB PNG at `path`: one line with markers per series over the
    categories (months), the legend above the plot, the unit beside the y axis; the y axis
    starts at 0 unless a value is below it."""
    from PIL import Image, ImageDraw

    f = _Frame(size, title, categories, series, unit, 9, tick_points)
    r = px(3)
    x0, y0 = f.left - r - 2, f.top - f.label_h - r      # the plot area and the markers' overhang
    box_w, box_h = f.right - x0 + r + 2, f.bottom - y0 + r + 2
    layer = Image.new("RGBA", (box_w * SCALE, box_h * SCALE), (255, 255, 255, 0))
    d = ImageDraw.Draw(layer)
    for s in series:
        colour = _rgb(s.colour if isinstance(s.colour, str) else s.colour[0])
        pts = [((f.x_of(i) - x0) * SCALE, (f.y_of(v or 0) - y0) * SCALE) for i, v in enumerate(s.values)]
        if len(pts) > 1:
            d.line(pts, fill=colour, width=round(px(1.5) * SCALE), joint="curve")
        for x, y in pts:
            mark = [x - r * SCALE, y - r * SCALE, x + r * SCALE, y + r * SCALE]
            (d.rectangle if s.marker == "s" else d.ellipse)(mark, fill=colour)
    small = layer.resize((box_w, box_h), Image.Resampling.LANCZOS)
    f.img.paste(small, (x0, y0), small)
    return f.save(path)


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
