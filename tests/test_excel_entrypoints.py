"""salesbook.excel without Excel: every ribbon entry point on a real contract workbook.

Only xw.Book.caller() (and so the book object) is replaced, by the fake in
test_excel_fake.py, which holds Excel's lock file while the book is open; salesbook.api
reads and salesbook.xlsx writes the real file exactly as they do behind Excel.
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
from salesbook.commands import COMMANDS
from salesbook.marks import MARK_FORMULA, is_our_note
from salesbook.outcome import Highlight, Outcome
from test_excel_fake import FakeBook

import openpyxl

MACROS = Path(__file__).resolve().parent.parent / "macros"
ENTRY_POINTS = sorted({fn for p in MACROS.glob("*.bas") for fn in re.findall(
    r'RunPython "import salesbook\.excel as sb; sb\.(\w+)\(\)"', p.read_text("ascii"))})


def _last_month() -> tuple[dt.date, dt.date]:
    end = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def _workbook(path: Path, planted: bool = True) -> Path:
    first, _ = _last_month()
    d = lambda n: (first + dt.timedelta(days=n)).isoformat()
    month = first.strftime("%Y-%m")
    return B.write_book(
        path,
        staff=[B.staff("M1", "王经理", role="销售经理", hired="2024-01-01"),
               B.staff("S1", "李四", manager="M1", hired="2024-01-01")],
        customers=[B.customer("K1", registered=d(1), by="S1", phone="13800000001")],
        visits=[B.visit(d(2), "S1", "K1")]
               + [B.visit(d(3), "X9", "K1")] * planted,  # planted: unknown 工号 -> 错误 + highlight
        contracts=[B.contract("C1", "S1", 10000, signed=d(4))],
        payments=[B.payment("P1", "C1", 6000, paid=d(5))],
        targets=[B.target(month, "S1", 20000)],
        settings=B.settings_rows(),
    )


def _as_caller(monkeypatch, fake: FakeBook) -> None:
    """xw.Book.caller() is the workbook the person clicked in: the last one opened."""
    monkeypatch.setattr(xw.Book, "caller", staticmethod(
        lambda: fake.app.books.reopened[-1] if fake.app.books.reopened else fake))


def _clicked_in(tmp_path, monkeypatch, make) -> FakeBook:
    """The person has the workbook `make(path)` open and clicks a button in it."""
    fake = FakeBook(make(tmp_path / "销售台账.xlsx"))
    _as_caller(monkeypatch, fake)
    monkeypatch.setenv("HOME", str(tmp_path))
    return fake


@pytest.fixture
def book(tmp_path, monkeypatch):
    return _clicked_in(tmp_path, monkeypatch, _workbook)


@pytest.fixture
def clean_book(tmp_path, monkeypatch):
    return _clicked_in(tmp_path, monkeypatch, lambda p: _workbook(p, planted=False))


def test_the_ribbon_runs_the_command_table():
    assert ENTRY_POINTS == [] or set(ENTRY_POINTS) <= {c.entry for c in COMMANDS}
    assert {"validate", "assign", "commission"} <= {c.entry for c in COMMANDS}
    # every button is exercised below, by the kind of thing it does
    assert sorted(WRITERS + READERS + CLOSERS + SENDERS) == sorted(c.entry for c in COMMANDS)


def marks_of(path: Path) -> dict[str, dict[str, set[str]]]:
    """sheet -> {"fill": cells under salesbook's conditional format, "notes": cells with our notes}."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        fill = set()
        for rng in ws.conditional_formatting:
            if any(MARK_FORMULA in (r.formula or [""])[0] for r in rng.rules):
                fill |= set(str(rng.sqref).split())
        notes = {c.coordinate for row in ws.iter_rows() for c in row
                 if c.comment is not None and is_our_note(c.comment.text, c.comment.author)}
        if fill or notes:
            out[ws.title] = {"fill": fill, "notes": notes}
    return out


WRITERS = ["validate", "assign", "commission"]                 # write result sheets
READERS = [c.entry for c in COMMANDS if c.entry.startswith("report_")]
CLOSERS = ["close_month", "reopen_month"]                        # replace the file themselves
SENDERS = [c.entry for c in COMMANDS if c.entry.startswith("send_")]


@pytest.mark.parametrize("entry", READERS)
def test_every_report_button_writes_reports_leaves_the_book_and_opens_the_folder(book, entry, monkeypatch):
    path = Path(book.fullname)
    before = path.read_bytes()
    shown = []
    monkeypatch.setattr(sx, "_show_folder", shown.append)
    getattr(sx, entry)()
    alert, = book.app.alerts
    assert "意外错误" not in alert["prompt"] and "已生成" in alert["prompt"], alert["prompt"]
    assert path.read_bytes() == before and not book.closed        # only read
    folder, = shown
    assert (folder / "manifest.json").exists() and str(folder) in alert["prompt"]
    assert book.app.status_bar is False


@pytest.mark.parametrize("entry", WRITERS)
def test_every_ribbon_entry_point_runs_without_excel(book, entry):
    path = Path(book.fullname)
    getattr(sx, entry)()
    app = book.app
    assert len(app.alerts) == 1
    alert = app.alerts[0]
    assert alert["title"].startswith("销售管理 - ")
    assert "意外错误" not in alert["prompt"] and "Traceback" not in alert["prompt"], alert["prompt"]
    assert "已写入工作表" in alert["prompt"]
    assert app.status_bar is False and len(app.status_history) >= 3
    # the book was closed for the write and opened again
    assert book.closed and app.books.opened == [str(path)]
    assert path.with_name("~$" + path.name).exists()      # held by the reopened book
    wb = openpyxl.load_workbook(path)
    assert [c.value for c in wb[K.ISSUES.zh][1]] == K.ISSUES.headers("zh")
    expected = {"assign": [K.OWNERSHIP, K.OWNERSHIP_LOG], "commission": [K.PAYROLL, K.COMMISSION_LINES]}
    for sheet in expected.get(entry, []):
        assert [c.value for c in wb[sheet.zh][1]] == sheet.headers("zh")
    # The planted unknown 工号 on 拜访 row 3 is marked and explained in a note.
    visits = marks_of(path)[K.VISITS.zh]
    assert visits["fill"] and all(ref.endswith("3") for ref in visits["fill"])
    assert visits["notes"] <= visits["fill"] and visits["notes"]
    assert book.saves == 0          # nothing unsaved, so no save


def test_the_person_is_put_back_where_they_were(book):
    book.sheets[K.VISITS.zh].range("C7").select()
    sx.validate()
    again, = book.app.books.reopened
    assert (again.sheets.active.name, again.selection.address) == (K.VISITS.zh, "C7")


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
    assert book.app.status_bar is False and not book.closed


def test_a_failed_write_leaves_the_file_and_reopens_the_book(book):
    path = Path(book.fullname)
    before = path.read_bytes()
    bad = Outcome("validate", sheets={"校验结果": __import__("pandas").DataFrame({"a": [1]})},
                  highlights=[Highlight("不存在的表", 2, 1, "错误", "x")])
    assert sx.run(book, "校验数据", lambda p: bad) is None
    assert path.read_bytes() == before
    assert book.closed and book.app.books.opened == [str(path)]
    assert "意外错误" in book.app.alerts[0]["prompt"]


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


def test_long_summaries_are_cut_for_the_message_box():
    out = Outcome("validate", summary=[f"第{i}行 有一个问题需要处理" for i in range(500)])
    text = sx.summary_text(out)
    assert len(text) < 1000 and text.endswith("完整结果见各结果工作表）")


# --- 月结 / 反结账 ---------------------------------------------------------------

def _close_log(path: Path) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    if K.CLOSE_LOG.zh not in wb.sheetnames:
        return []
    rows = list(wb[K.CLOSE_LOG.zh].iter_rows(values_only=True))
    status = rows[0].index("状态")
    return [(r[0], r[status]) for r in rows[1:] if r[0]]


def test_month_close_asks_first_then_closes_and_reopens_the_book(clean_book, monkeypatch):
    book, path = clean_book, Path(clean_book.fullname)
    month = _last_month()[0].strftime("%Y-%m")
    shown = []
    monkeypatch.setattr(sx, "_show_folder", shown.append)
    book.sheets[K.VISITS.zh].range("B2").select()
    book.app.answers = ["ok"]
    sx.close_month()
    confirm, result = book.app.alerts
    assert confirm["buttons"] == "ok_cancel" and f"即将对 {month} 月结" in confirm["prompt"]
    assert "意外错误" not in result["prompt"] and f"{month} 已结账" in result["prompt"], result["prompt"]
    assert _close_log(path) == [(month, "已结账")]
    assert book.closed and book.app.books.opened == [str(path)]
    again, = book.app.books.reopened
    assert (again.sheets.active.name, again.selection.address) == (K.VISITS.zh, "B2")
    folder, = shown
    assert (folder / "manifest.json").exists() and list(folder.glob("*已结账.xlsx"))
    assert book.app.status_bar is False


def test_month_close_cancelled_changes_nothing(clean_book):
    path = Path(clean_book.fullname)
    before = path.read_bytes()
    clean_book.app.answers = ["cancel"]
    assert sx.close_month() is None
    assert len(clean_book.app.alerts) == 1 and path.read_bytes() == before and not clean_book.closed
    assert not path.with_name(path.stem + "-报表").exists()


def test_month_close_with_errors_locks_nothing_and_shows_where(book):
    path = Path(book.fullname)
    book.app.answers = ["ok"]
    sx.close_month()
    result = book.app.alerts[-1]
    assert "未结账" in result["prompt"] and result["mode"] == "critical", result["prompt"]
    assert _close_log(path) == []
    assert marks_of(path)[K.VISITS.zh]["fill"]              # the wrong cell is marked, as validate does
    assert book.closed and book.app.books.opened == [str(path)]


def test_reopen_asks_for_the_reason_and_logs_it(clean_book):
    book, path = clean_book, Path(clean_book.fullname)
    month = _last_month()[0].strftime("%Y-%m")
    book.app.answers = ["ok"]
    sx.close_month()
    book.app.alerts.clear()
    book.app.api.inputs = ["回款录错"]
    sx.reopen_month()
    prompt, = book.app.api.prompts
    assert f"即将反结账 {month}" in prompt and len(prompt) <= 255      # Excel's InputBox limit
    result, = book.app.alerts
    assert f"{month} 已反结账" in result["prompt"] and "回款录错" in result["prompt"], result["prompt"]
    assert _close_log(path) == [(month, "已结账"), (month, "已反结账")]


def test_reopen_cancelled_or_without_a_reason_changes_nothing(clean_book):
    book, path = clean_book, Path(clean_book.fullname)
    book.app.answers = ["ok"]
    sx.close_month()
    closed = path.read_bytes()
    book.app.alerts.clear()
    for typed in (False, "  "):
        book.app.api.inputs = [typed]
        sx.reopen_month()
    assert path.read_bytes() == closed and book.app.alerts == []


def test_reopen_with_nothing_closed_says_so(clean_book):
    sx.reopen_month()
    alert, = clean_book.app.alerts
    assert "还没有已结账的月份" in alert["prompt"] and clean_book.app.api.prompts == []


# --- 发送报表 --------------------------------------------------------------------

def _mail_book(path: Path) -> Path:
    first, _ = _last_month()
    d = lambda n: (first + dt.timedelta(days=n)).isoformat()
    month = first.strftime("%Y-%m")
    return B.write_book(
        path,
        staff=[B.staff("M1", "王经理", role="销售经理", hired="2024-01-01", 邮箱="wang@example.com"),
               B.staff("S1", "李四", manager="M1", hired="2024-01-01", 邮箱="li@example.com")],
        customers=[B.customer("K1", registered=d(1), by="S1", phone="13800000001")],
        visits=[B.visit(d(2), "S1", "K1")],
        contracts=[B.contract("C1", "S1", 10000, signed=d(4))],
        payments=[B.payment("P1", "C1", 6000, paid=d(5))],
        targets=[B.target(month, "S1", 20000)],
        settings=B.settings_rows(公司名称="测试公司", 发件人邮箱="report@example.com"),
    )


@pytest.fixture
def mail_book(tmp_path, monkeypatch):
    return _clicked_in(tmp_path, monkeypatch, _mail_book)


def test_send_monthly_lists_the_messages_then_writes_them(mail_book):
    path = Path(mail_book.fullname)
    before = path.read_bytes()
    mail_book.app.answers = ["ok"]
    sx.send_monthly()
    confirm, result = mail_book.app.alerts
    assert confirm["buttons"] == "ok_cancel" and "确定发送吗" in confirm["prompt"]
    assert "li@example.com" in confirm["prompt"] and "wang@example.com" in confirm["prompt"], confirm["prompt"]
    assert "意外错误" not in result["prompt"], result["prompt"]
    assert path.read_bytes() == before and not mail_book.closed          # only read
    month = _last_month()[0].strftime("%Y-%m")
    outbox = path.parent / "销售台账-报表" / month / "发件箱"            # no SMTP server: an outbox
    letters = sorted(outbox.glob("*.eml"))
    # the monthly to 王经理; each paid person's own statement to them alone
    assert sorted(x.name.split(" · ")[0] for x in letters) == ["【工资条】2026-11 李四".replace("2026-11", month),
                                                             "【工资条】2026-11 王经理".replace("2026-11", month),
                                                             f"【销售月报】{month} 销售部"], letters
    # a second click sends nothing twice
    mail_book.app.alerts.clear()
    mail_book.app.answers = ["ok"]
    sx.send_monthly()
    assert sorted(outbox.glob("*.eml")) == letters


def test_send_cancelled_sends_nothing(mail_book):
    path = Path(mail_book.fullname)
    mail_book.app.answers = ["cancel"]
    sx.send_monthly()
    assert len(mail_book.app.alerts) == 1
    month = _last_month()[0].strftime("%Y-%m")
    assert not list((path.parent / "销售台账-报表" / month).glob("发件箱/*.eml"))


@pytest.mark.parametrize("entry", ["send_daily", "send_weekly"])
def test_send_daily_and_weekly_run_without_excel(mail_book, entry):
    mail_book.app.answers = ["ok"]
    getattr(sx, entry)()
    assert all("意外错误" not in a["prompt"] for a in mail_book.app.alerts), mail_book.app.alerts
    assert mail_book.app.status_bar is False and not mail_book.closed
