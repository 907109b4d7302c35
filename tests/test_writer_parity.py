"""One writer contract for the CLI and the ribbon: the same Outcome leaves the same workbook.

The ribbon (salesbook.excel) saves, closes, hands the file to the one workbook writer and
reopens it; the CLI calls that writer directly. Here one Outcome goes through both paths
(the ribbon's through the fake book, which holds Excel's lock file while open) on two
copies of a user's workbook, and through every order of runs: what each leaves must be
identical, the user's own fill and note survive, and each run's marks replace the last.
"""
from __future__ import annotations

import itertools
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwings as xw

import salesbook.excel as sx
from conftest_xlsx import user_book
from salesbook.marks import FILL_ARGB, MARK_FORMULA, is_our_note
from salesbook.outcome import Highlight, Outcome
from salesbook.xlsx import write_outcome
from test_excel_fake import FakeApp, FakeBook

FIRST = [Highlight("客户", 3, 2, "错误", "金额应为数字"),      # B3: the user's green fill
         Highlight("客户", 2, 2, "警告", "请核对"),            # B2: the user's own note
         Highlight("拜访", 4, 1, "警告", "日期在未来")]
SECOND = [Highlight("客户", 5, 3, "错误", "合同金额高于原价")]


def outcome(highlights) -> Outcome:
    sheet = pd.DataFrame({"级别": [h.level for h in highlights], "问题": [h.note for h in highlights]})
    return Outcome("validate", sheets={"校验结果": sheet}, highlights=highlights, summary=["ok"])


def by_cli(path: Path, out: Outcome) -> None:
    write_outcome(path, out.sheets, out.highlights)


def by_ribbon(path: Path, out: Outcome, monkeypatch) -> None:
    book = FakeBook(path, app=FakeApp())
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    result = sx.run(book, "校验数据", lambda p: out)
    assert result is out, book.app.alerts
    book.app.books.reopened[-1].close()      # the person closes Excel: the lock goes away


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def state(path: Path) -> dict:
    """What a person sees: our marks per sheet, and the user's fill and note."""
    wb = openpyxl.load_workbook(path)
    marks = {}
    for ws in wb.worksheets:
        for rng in ws.conditional_formatting:
            for r in rng.rules:
                if r.formula and MARK_FORMULA in r.formula[0]:
                    for ref in str(rng.sqref).split():
                        marks[(ws.title, ref)] = r.dxf.fill.fgColor.rgb if r.dxf and r.dxf.fill else None
    notes = {(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.comment is not None and is_our_note(c.comment.text, c.comment.author)}
    ws = wb["客户"]
    return {"marks": marks, "notes": notes, "user_fill": ws["B3"].fill.fgColor.rgb,
            "user_note": (ws["B2"].comment.text, ws["B2"].comment.author)}


@pytest.fixture
def two_copies(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = user_book(tmp_path / "a" / "台账.xlsx"), tmp_path / "b" / "台账.xlsx"
    shutil.copy(a, b)
    return a, b


def test_one_outcome_through_both_writers_leaves_the_same_file(two_copies, monkeypatch):
    a, b = two_copies
    by_cli(a, outcome(FIRST))
    by_ribbon(b, outcome(FIRST), monkeypatch)
    assert members(a) == members(b)
    s = state(a)
    assert set(s["marks"]) == {("客户", "B3"), ("客户", "B2"), ("拜访", "A4")}
    assert s["marks"][("客户", "B3")] == FILL_ARGB["错误"] and s["marks"][("拜访", "A4")] == FILL_ARGB["警告"]
    # a cell with the user's own note gets the fill only
    assert s["notes"] == {("客户", "B3"), ("拜访", "A4")}
    assert s["user_fill"] == "FF00FF00" and s["user_note"] == ("用户自己的批注", "张经理")


@pytest.mark.parametrize("order", list(itertools.product(("cli", "ribbon"), repeat=3)))
def test_user_fill_and_note_survive_any_sequence_of_runs(tmp_path, monkeypatch, order):
    path = user_book(tmp_path / "台账.xlsx")
    original = state(path)
    runs = [FIRST, SECOND, FIRST]
    for how, highlights in zip(order, runs):
        out = outcome(highlights)
        by_cli(path, out) if how == "cli" else by_ribbon(path, out, monkeypatch)
        s = state(path)
        assert set(s["marks"]) == {(h.sheet, f"{'ABC'[h.column - 1]}{h.row}") for h in highlights}
        assert s["user_fill"] == original["user_fill"] and s["user_note"] == original["user_note"]
    # clearing (a run with no findings) returns every cell to the user's own state
    by_ribbon(path, outcome([]), monkeypatch) if order[-1] == "cli" else by_cli(path, outcome([]))
    s = state(path)
    assert s["marks"] == {} and s["notes"] == set()
    assert s["user_fill"] == original["user_fill"] and s["user_note"] == original["user_note"]
