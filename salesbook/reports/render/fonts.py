"""The shipped font (Noto Sans SC, GBK subset, OFL-1.1) and per-report cuts of it.

Embedding the 5 MB font in every PDF costs a subsetting pass per file; instead a batch of
reports first cuts the font once to the characters all of its contexts use (a few hundred
glyphs), and every PDF of the batch embeds from that small cut. Cuts are cached per
process by character set.
"""
from __future__ import annotations

import functools
import hashlib
import tempfile
from pathlib import Path

FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "NotoSansSC-Regular-GBK.ttf"
FAMILY = "Noto Sans CJK SC"
# Characters the PDF layout itself may draw besides the context's text.
BASE_CHARS = ("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
              " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~·—…−∞×≤≥（）：，。、；％￥第页共")


@functools.lru_cache(maxsize=1)
def _cmap() -> frozenset:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(FONT_FILE, lazy=True).getBestCmap())


def missing_glyphs(text: str) -> list[str]:
    """Characters of `text` the shipped font cannot draw (control characters ignored)."""
    cmap = _cmap()
    return sorted({ch for ch in text if ord(ch) >= 32 and ord(ch) not in cmap})


_CACHE = Path(tempfile.gettempdir()) / "salesbook-fonts"
CUT_VERSION = "2"    # part of a cut's cache key: change it when cut() makes different files


@functools.lru_cache(maxsize=8)
def cut(chars: frozenset) -> Path:
    """A font file holding only `chars` (plus BASE_CHARS), made once per character set."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    wanted = "".join(sorted(set(chars) | set(BASE_CHARS)))
    digest = hashlib.sha256((CUT_VERSION + FONT_FILE.name + str(FONT_FILE.stat().st_size) + wanted).encode()).hexdigest()[:20]
    target = _CACHE / f"cut-{digest}{FONT_FILE.suffix}"
    if target.exists():
        return target
    _CACHE.mkdir(parents=True, exist_ok=True)
    font = TTFont(FONT_FILE)
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    # tables no PDF reads (fpdf2 lays text out itself, horizontally): without them each PDF's
    # own subsetting pass at output has less to load and compile
    opts.drop_tables += ["BASE", "GSUB", "GPOS", "GDEF", "vhea", "vmtx"]
    sub = subset.Subsetter(opts)
    sub.populate(text=wanted)
    sub.subset(font)
    tmp = target.with_suffix(f".{id(font)}.tmp")
    font.save(tmp)
    tmp.replace(target)
    return target


def chars_of(value) -> set[str]:
    """Every character in the strings of a JSON-like value."""
    out: set[str] = set()
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            out.update(v)
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return out


@functools.lru_cache(maxsize=1)
def _advances() -> tuple[dict[str, int], int]:
    """Advance width of each character the font has (keyed by the character), units per em."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_FILE, lazy=True)
    hmtx = font["hmtx"].metrics
    return {chr(cp): hmtx[name][0] for cp, name in font.getBestCmap().items()}, font["head"].unitsPerEm


def _units(text: str) -> int:
    """Advance width of `text` in font units."""
    adv, em = _advances()
    try:
        return sum(map(adv.__getitem__, text))
    except KeyError:   # a character the font lacks (drawn as .notdef): an em wide
        return sum(adv.get(ch, em) for ch in text)


def wrap_lines(text: str, width_mm: float, size_pt: float) -> list[str]:
    """`text` broken into lines that fit `width_mm` at `size_pt` in the shipped font: after a
    space when one is near, else between any two characters (Chinese has no spaces). Linear:
    fpdf2's own breaker re-measures the line per character, which is slow on long cells."""
    adv, em = _advances()
    limit = width_mm / 25.4 * 72 / size_pt * em
    if _units(text) <= limit:   # most cells: one line
        return [text.rstrip()] if text.strip() else [""]
    lines, start, width, space = [], 0, 0.0, -1
    for i, ch in enumerate(text):
        w = adv.get(ch, em)
        if width + w > limit and i > start:
            cut = space + 1 if space > start and i - space < 12 else i
            lines.append(text[start:cut].rstrip())
            start, space = cut, -1
            width = _units(text[start:i])
        if ch == " ":
            space = i
        width += w
    lines.append(text[start:].rstrip())
    return [ln for ln in lines if ln] or [""]


def width_mm(text: str, size_pt: float) -> float:
    """Advance width of `text` at `size_pt` in the shipped font, in mm."""
    return _units(text) / _advances()[1] * size_pt / 72 * 25.4
