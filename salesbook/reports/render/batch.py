"""Render a batch of report contexts into a folder: NAME.json, the charts and the chosen
formats. A batch's PDFs embed one cut of the font (cut to the characters the caller
names, cached per character set), so many small PDFs (200 pay statements) cost one
subsetting pass. Batches of one run go to separate processes (see `reports._Renderer`);
everything here is picklable plain data.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from . import charts as CH
from . import fonts, html, pdf, xlsx

FORMATS = ("html", "xlsx", "pdf")
# A render process's niceness while the workbook is read and its contexts are built: 15
# lets the two reading threads go first (large book, 2 cores: monthly and weekly ~5-7%
# faster than at 5; at 19 the rendering itself lags)
NICE = 15


def write_bytes(path: Path, data: bytes) -> None:
    """Write through a temporary file and an atomic replace: no half-written report."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode   # without indent: the C encoder


def context_json(ctx: dict) -> bytes:
    """The context as JSON, one top-level key a line and one list item a line: readable and
    diffable, and ~4x faster than indent= (which drops to the pure-Python encoder; a
    monthly context with 12,000 overdue contracts is ~6 MB)."""
    lines = []
    for key, value in ctx.items():
        if isinstance(value, list) and value:
            items = ",\n  ".join(map(_ENCODE, value))
            lines.append(f" {_ENCODE(key)}: [\n  {items}\n ]")
        else:
            lines.append(f" {_ENCODE(key)}: {_ENCODE(value)}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def warm() -> None:
    """A render process's start: lower its priority (the main process reading the workbook
    and building contexts goes first) and do the imports and font loads every render needs,
    while the workbook is still being read."""
    if hasattr(os, "nice"):
        os.nice(NICE)
    import fpdf  # noqa: F401
    import xlsxwriter  # noqa: F401

    from . import plot

    for points in (12, 10, 9, 8):
        plot.font_at(points)
    fonts._advances()


def render_batch(jobs: list[tuple[dict, str]], folder: str, formats: tuple[str, ...],
                 company: str | None, chars: frozenset | None = None, write_json: bool = True) -> list[dict]:
    """jobs: (context, file stem); chars: every character the PDFs may draw, the font is
    cut to them (None: to the batch's own PDF text). write_json=False when another batch
    renders the same reports' other formats and writes their NAME.json. Returns, per job,
    {format: file name} plus `images`."""
    out_dir = Path(folder)
    company_dir = Path(company) if company else None
    results, pending_pdf = [], []
    for ctx, stem in jobs:
        files: dict = {"images": []}
        if write_json:
            files["json"] = f"{stem}.json"
            write_bytes(out_dir / files["json"], context_json(ctx))
        drawn = CH.draw(ctx, out_dir, stem) if ("html" in formats or "pdf" in formats) else {}
        files["images"] = list(drawn.values())
        if "html" in formats:
            files["html"] = f"{stem}.html"
            write_bytes(out_dir / files["html"], html.render(ctx, drawn, company=company_dir).encode("utf-8"))
        if "xlsx" in formats:
            files["xlsx"] = f"{stem}.xlsx"
            write_bytes(out_dir / files["xlsx"], xlsx.render(ctx))
        if "pdf" in formats:
            files["pdf"] = f"{stem}.pdf"
            absolute = {k: str(out_dir / v) for k, v in drawn.items()}
            pending_pdf.append((ctx, files["pdf"], pdf.html(ctx, absolute, company=company_dir)))
        results.append(files)
    if pending_pdf:
        if chars is None:
            chars = set(pdf.footer_words(pending_pdf[0][0]["lang"]))
            for ctx, _, markup in pending_pdf:
                chars |= set(markup) | set(ctx["title"]) | set(ctx["company"] or "")
        font = fonts.cut(frozenset(chars))
        for ctx, name, markup in pending_pdf:
            write_bytes(out_dir / name, pdf.render(ctx, markup, font))
    return results
