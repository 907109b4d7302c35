"""Render a batch of report contexts into a folder: NAME.json always, then the charts and
the chosen formats. A batch shares one cut of the font (all its PDFs' characters), so
many small PDFs (200 pay statements) cost one subsetting pass. Batches of one run may go
to separate processes (see ..pool); everything here is picklable plain data.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from . import charts as CH
from . import fonts, html, pdf, xlsx

FORMATS = ("html", "xlsx", "pdf")


def write_bytes(path: Path, data: bytes) -> None:
    """Write through a temporary file and an atomic replace: no half-written report."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def context_json(ctx: dict) -> bytes:
    return (json.dumps(ctx, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def render_batch(jobs: list[tuple[dict, str]], folder: str, formats: tuple[str, ...],
                 company: str | None, font: str | None = None) -> list[dict]:
    """jobs: (context, file stem); font: a cut of the shipped font holding every character
    the PDFs need (None: cut here from the batch). Returns, per job, {format: file name}
    plus `images`."""
    out_dir = Path(folder)
    company_dir = Path(company) if company else None
    results, pending_pdf = [], []
    for ctx, stem in jobs:
        files: dict = {"json": f"{stem}.json", "images": []}
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
        if font is None:
            chars = set(pdf.footer_words(pending_pdf[0][0]["lang"]))
            for ctx, _, markup in pending_pdf:
                chars |= set(markup) | set(ctx["title"]) | set(ctx["company"] or "")
            font = str(fonts.cut(frozenset(chars)))
        for ctx, name, markup in pending_pdf:
            write_bytes(out_dir / name, pdf.render(ctx, markup, Path(font)))
    return results
