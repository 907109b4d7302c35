"""The demo workbook re-saved by LibreOffice, or loaded and saved by openpyxl, after a run:
the same figures, and the earlier marks (rewritten by the other program: LibreOffice makes
every note author " ") are recognised, replaced and cleared."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import uuid
import warnings
from pathlib import Path

import openpyxl
import pytest

from salesbook import api, marks
from salesbook.demo import write_demo
from salesbook.xlsx import write_outcome

TODAY = dt.date(2026, 4, 15)


def _libreoffice_resave(book: Path, folder: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice (soffice) is needed to re-save the workbook"
    folder.mkdir()
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder), str(book)],
                       capture_output=True, timeout=300, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return folder / book.name


def _openpyxl_resave(book: Path, folder: Path) -> Path:
    folder.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        openpyxl.load_workbook(book).save(folder / book.name)
    return folder / book.name


def _our_marks(book: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per sheet: cells under our conditional formats (with repeats), and cells with our notes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(book)
    fills, notes = {}, {}
    for ws in wb.worksheets:
        for cf in ws.conditional_formatting:
            if any(marks.MARK_FORMULA in (r.formula or [""])[0].replace("&quot;", '"') for r in cf.rules):
                fills.setdefault(ws.title, []).extend(str(c) for c in str(cf.sqref).split())
        for row in ws.iter_rows():
            for c in row:
                if c.comment is not None and marks.is_our_note(c.comment.text):
                    notes.setdefault(ws.title, []).append(c.coordinate)
    return fills, notes


def _expected(outcome) -> dict[str, list[str]]:
    from salesbook.xlsx.cells import letter
    out = {}
    for h in outcome.highlights:
        out.setdefault(h.sheet, []).append(f"{letter(h.column)}{h.row}")
    return {k: sorted(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def marked_demo(tmp_path_factory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("resave")
    book = write_demo(folder, "small", today=TODAY)
    outcome = api.validate(book, today=TODAY)
    write_outcome(book, outcome.sheets, outcome.highlights)
    return book, outcome


@pytest.mark.parametrize("resave", [_libreoffice_resave, _openpyxl_resave], ids=["libreoffice", "openpyxl"])
def test_marks_survive_a_resave_and_are_replaced_then_cleared(marked_demo, resave, tmp_path):
    book, first = marked_demo
    want = _expected(first)
    copy = resave(book, tmp_path / "resaved")
    fills, notes = _our_marks(copy)
    assert {k: sorted(v) for k, v in fills.items()} == want        # the other program kept our marks
    assert {k: sorted(v) for k, v in notes.items()} == want

    again = api.validate(copy, today=TODAY)
    assert again.summary == first.summary                           # the same figures
    assert again.sheets["校验结果"].equals(first.sheets["校验结果"])
    write_outcome(copy, again.sheets, again.highlights)
    fills, notes = _our_marks(copy)
    assert {k: sorted(v) for k, v in fills.items()} == want          # replaced, not doubled
    assert {k: sorted(v) for k, v in notes.items()} == want

    write_outcome(copy, {}, [])
    assert _our_marks(copy) == ({}, {})
