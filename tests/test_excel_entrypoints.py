"""salesbook.excel without Excel: every ribbon entry point on a real contract workbook.

Only xw.Book.caller() (and so the book object) is replaced, by the openpyxl-backed fake
in test_excel_fake.py; salesbook.api reads the real file exactly as in Excel.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import xlwings as xw

import builders as B
import salesbook.excel as sx
from salesbook import contract as K
from salesbook.errors import WorkbookError
from salesbook.outcome import Highlight, Outcome
from test_excel_fake import FakeBook

import pandas as pd

MACROS = Path(__file__).resolve().parent.parent / "macros"
ENTRY_POINTS = sorted({fn for p in MACROS.glob("*.bas") for fn in re.findall(
    r'RunPython "import salesbook\.excel as sb; sb\.(\w+)\(\)"', p.read_text("ascii"))})


def _last_month() -> tuple[dt.date, dt.date]:
    end = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def _workbook(path: Path) -> Path:
    first, _ = _last_month()
    d = lambda n: (first + dt.timedelta(days=n)).isoformat()
    month = first.strftime("%Y-%m")
    return B.write_book(
        path,
        staff=[B.staff("M1", "王经理", role="销售经理", hired="2024-01-01"),
               B.staff("S1", "李四", manager="M1", hired="2024-01-01")],
        customers=[B.customer("K1", registered=d(1), by="S1", phone="13800000001")],
        visits=[B.visit(d(2), "S1", "K1"),
                B.visit(d(3), "X9", "K1")],            # planted: unknown 工号 -> 错误 + highlight
        contracts=[B.contract("C1", "S1", 10000, signed=d(4))],
        payments=[B.payment("P1", "C1", 6000, paid=d(5))],
        targets=[B.target(month, "S1", 20000)],
        settings=B.settings_rows(),
    )


@pytest.fixture
def book(tmp_path, monkeypatch):
    fake = FakeBook(_workbook(tmp_path / "销售台账.xlsx"))
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: fake))
    monkeypatch.setenv("HOME", str(tmp_path))
    return fake


def test_the_ribbon_names_the_three_commands():
    assert {"validate", "assign", "commission"} <= set(ENTRY_POINTS)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_ribbon_entry_point_runs_without_excel(book, entry):
    getattr(sx, entry)()
    assert len(book.app.alerts) == 1
    alert = book.app.alerts[0]
    assert alert["title"].startswith("销售管理 - ")
    assert "意外错误" not in alert["prompt"] and "Traceback" not in alert["prompt"]
    assert "已写入工作表" in alert["prompt"]
    assert book.app.status_bar is False and len(book.app.status_history) >= 3
    names = [s.name for s in book.sheets]
    issues = book.sheets[K.ISSUES.zh]
    assert issues.range("A1").expand().options(ndim=2).value[0] == K.ISSUES.headers("zh")
    expected = {"assign": [K.OWNERSHIP, K.OWNERSHIP_LOG], "commission": [K.PAYROLL, K.COMMISSION_LINES]}
    for sheet in expected.get(entry, []):
        assert sheet.zh in names
        assert book.sheets[sheet.zh].range("A1").expand().options(ndim=2).value[0] == sheet.headers("zh")
    # The planted unknown 工号 on 拜访 row 3 is marked and explained in a note.
    visits = book.sheets[K.SHEETS["visits"].zh]
    marked = [(r, c) for r in range(2, 4) for c in range(1, 10) if visits.range((r, c)).color]
    assert marked and all(r == 3 for r, _ in marked)
    assert any(visits.range(rc).note and visits.range(rc).note.text.startswith(sx.NOTE_PREFIX) for rc in marked)
    assert book.saves == 0          # nothing unsaved, so no save


def test_results_reach_the_file_through_the_book(book, tmp_path):
    sx.commission()
    book.save()
    import openpyxl
    wb = openpyxl.load_workbook(book.fullname)
    assert wb[sx.MARKS_SHEET].sheet_state == "hidden"
    payroll = [list(r) for r in wb[K.PAYROLL.zh].iter_rows(values_only=True)]
    assert payroll[0] == K.PAYROLL.headers("zh")
    assert any(row[1] == "S1" for row in payroll[1:])


def test_unsaved_changes_are_saved_before_reading(book):
    book.api.Saved = False
    sx.validate()
    assert book.saves == 1 and "意外错误" not in book.app.alerts[0]["prompt"]


def test_a_never_saved_book_is_asked_to_be_saved(monkeypatch):
    fake = FakeBook(None, fullname="工作簿1")
    called = []
    sx.run(fake, "校验数据", lambda path: called.append(path))
    assert called == []
    assert "另存为" in fake.app.alerts[0]["prompt"] and fake.app.alerts[0]["mode"] == "critical"
    fake = FakeBook(None, fullname="https://contoso.sharepoint.com/x/销售台账.xlsx")
    sx.run(fake, "校验数据", lambda path: called.append(path))
    assert called == [] and "OneDrive" in fake.app.alerts[0]["prompt"]


def test_workbook_errors_become_their_chinese_message(book):
    def broken(path):
        raise WorkbookError("找不到工作表“人员”。请按模板添加该工作表。", "Sheet Staff is missing.")
    assert sx.run(book, "校验数据", broken) is None
    assert book.app.alerts == [{"prompt": "找不到工作表“人员”。请按模板添加该工作表。",
                                "title": "销售管理 - 校验数据", "mode": "critical"}]
    assert book.app.status_bar is False


def test_defects_are_logged_and_shown_without_traceback(book, tmp_path):
    def defect(path):
        raise KeyError("boom")
    sx.run(book, "计算提成", defect)
    prompt = book.app.alerts[0]["prompt"]
    assert "意外错误" in prompt and "Traceback" not in prompt
    log = tmp_path / ".salesbook" / "logs" / "excel-error.log"
    assert str(log) in prompt and "KeyError" in log.read_text(encoding="utf-8")


def test_xlwings_version_mismatch_is_explained(book, monkeypatch):
    monkeypatch.setattr(xw, "__version__", "0.30.0")
    sx.validate()
    assert "pip install xlwings==" in book.app.alerts[0]["prompt"]


def _outcome(highlights, sheets=None):
    return Outcome("validate", sheets=sheets or {}, highlights=highlights, summary=["ok"])


def test_marks_of_the_previous_run_are_cleared_and_user_notes_kept(book):
    visits = book.sheets["拜访"]
    visits.range((2, 1)).add_note("客户说下周再来")          # somebody's own note
    first = [Highlight("拜访", 2, 1, "错误", "A"), Highlight("拜访", 2, 2, "警告", "B"),
             Highlight("客户", 2, 3, "警告", "C"), Highlight("不存在", 2, 2, "错误", "gone sheet")]
    sx.run(book, "校验数据", lambda p: _outcome(first))
    assert visits.range("A2").color == sx.FILL["错误"] and visits.range("B2").color == sx.FILL["警告"]
    assert visits.range("A2").note.text == "客户说下周再来"
    assert visits.range("B2").note.text == sx.NOTE_PREFIX + "B"
    sx.run(book, "校验数据", lambda p: _outcome([Highlight("拜访", 3, 1, "警告", "D")]))
    assert visits.range("A2").color is None and visits.range("B2").color is None
    assert visits.range("B2").note is None and visits.range("A2").note.text == "客户说下周再来"
    assert book.sheets["客户"].range("C2").color is None
    assert visits.range("A3").note.text == sx.NOTE_PREFIX + "D"
    # highlights=None: the command does not own the marks, they stay.
    sx.run(book, "校验数据", lambda p: _outcome(None))
    assert visits.range("A3").color == sx.FILL["警告"]


def test_output_sheets_are_replaced_or_appended_at_the_end(book):
    issues = book.sheets.add(K.ISSUES.zh, after=list(book.sheets)[0])
    issues.range("A1").value = [["old"] * 9] * 20
    frame = pd.DataFrame({"级别": ["错误"], "日期": [pd.Timestamp("2026-01-02")], "金额": [pd.NA]})
    sx.run(book, "校验数据", lambda p: _outcome(None, {K.ISSUES.zh: frame, "新结果": frame}))
    got = book.sheets[K.ISSUES.zh].range("A1").expand().options(ndim=2).value
    assert got == [["级别", "日期", "金额"], ["错误", dt.datetime(2026, 1, 2), None]]
    assert book.sheets[K.ISSUES.zh].range("A1").font.bold
    assert [s.name for s in book.sheets][-1] == "新结果"


def test_long_summaries_are_cut_for_the_message_box():
    out = _outcome(None)
    out.summary = [f"第{i}行 有一个问题需要处理" for i in range(500)]
    text = sx.summary_text(out)
    assert len(text) < 1000 and text.endswith("完整结果见各结果工作表）")
