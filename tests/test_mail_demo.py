"""The issue's "done when" on the demo workbook: `send --month <last full month> --kind all`
against a local server delivers each statement to its person only and the monthly report
to the department's managers; a rerun sends nothing; --outbox writes openable .eml files.

The reports come from `salesbook.reports.generate` (called by send for the missing ones).
Until the report step is installed, a stand-in with its documented interface renders
simple real files, so the hand-over (signature, folder, manifest) is exercised either way.
"""
from __future__ import annotations

import datetime as dt
import email
import importlib.util
import shutil
import sys
import types
from email import policy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from salesbook import contract as K
from salesbook.cli import main
from salesbook.domain.org import DEPARTMENT_ROLES
from salesbook.reader import load
from test_mail_kit import by_recipient, smtp_server, write_manifest, write_report

TODAY = dt.date(2026, 11, 15)
MONTH = "2026-10"
REAL_REPORTS = importlib.util.find_spec("salesbook.reports") is not None


def stand_in_reports(calls: list) -> types.ModuleType:
    """generate()/default_out_dir() as issue 9 specifies them, rendering minimal real files."""
    module = types.ModuleType("salesbook.reports")

    def default_out_dir(book: Path, period_label: str) -> Path:
        return book.parent / f"{book.stem}-报表" / period_label

    def generate(book, kind, period, *, out=None, formats=("html", "xlsx", "pdf"), lang="zh", today=None,
                 person=None):
        calls.append((kind, period, out, formats, lang, today))
        folder = out or default_out_dir(book, period)
        folder.mkdir(parents=True, exist_ok=True)
        staff = load(book, sheets=("staff",)).tables["staff"]
        active = staff[staff["status"] != "离职"]
        old = folder / "manifest.json"
        import json

        entries = json.loads(old.read_text("utf-8"))["reports"] if old.exists() else []
        if kind == "statement":
            first = None
            for r in active.itertuples():
                entry = write_report(folder, "statement", period, "person", r.staff_id, f"{period} {r.name} 工资条",
                                     [r.email], [("应发合计", "1.00")], stem=f"statement-{r.staff_id}") \
                    if first is None else _copy(folder, first, r, period)
                first = first or entry
                entries.append(entry)
        else:
            managers = active[active["role"].isin(DEPARTMENT_ROLES)]["email"].tolist()
            entries.append(write_report(folder, "monthly", period, "department", None, f"{period} 销售月报", managers,
                                        [("签约业绩", "1.00")], chart=True))
        write_manifest(folder, entries)
        return folder / "manifest.json"

    module.generate, module.default_out_dir = generate, default_out_dir
    return module


def _copy(folder: Path, first: dict, r, period: str) -> dict:
    stem = f"statement-{r.staff_id}"
    for fmt, name in first["files"].items():
        shutil.copy(folder / name, folder / f"{stem}.{fmt}")
    page = folder / f"{stem}.html"
    page.write_text(page.read_text("utf-8").replace(first["title"], f"{period} {r.name} 工资条"), "utf-8")
    return dict(first, key=r.staff_id, title=f"{period} {r.name} 工资条", recipients=[r.email],
                files={fmt: f"{stem}.{fmt}" for fmt in first["files"]})


@pytest.fixture
def demo(tmp_path, monkeypatch):
    from salesbook.demo import write_demo

    calls: list = []
    if not REAL_REPORTS:
        monkeypatch.setitem(sys.modules, "salesbook.reports", stand_in_reports(calls))
    return write_demo(tmp_path, "small", today=TODAY), calls


def point_at(book: Path, port: int) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb[K.SETTINGS.zh]
    values = {"发件人邮箱": "sales@example.com", "SMTP服务器": "127.0.0.1", "SMTP端口": port, "SMTP加密": "无"}
    for row in ws.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    wb.save(book)


def test_demo_month_statements_to_each_person_and_monthly_to_managers(demo, tmp_path):
    book, calls = demo
    staff = load(book, sheets=("staff",)).tables["staff"]
    managers = set(staff[(staff["status"] != "离职") & staff["role"].isin(DEPARTMENT_ROLES)]["email"])
    email_of = dict(zip(staff["staff_id"], staff["email"]))
    with smtp_server() as (port, rec):
        point_at(book, port)
        args = ["send", str(book), "--month", MONTH, "--kind", "all", "--today", TODAY.isoformat()]
        first = CliRunner().invoke(main, args)
        assert first.exit_code == 0, first.output
        again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "已发送 0 封" in again.output, again.output
    if not REAL_REPORTS:
        assert [c[:2] for c in calls] == [("monthly", MONTH), ("statement", MONTH)]
        assert all(c[2] == book.parent / f"{book.stem}-报表" / MONTH and c[5] == TODAY for c in calls)
    statements = monthly = 0
    for _, rcpts, raw in rec.messages:
        msg = email.message_from_bytes(raw, policy=policy.default)
        report = msg["X-Salesbook-Report"]
        if report.startswith("statement"):
            statements += 1
            key = report.split("|")[3]
            assert rcpts == [email_of[key]]
        else:
            monthly += 1
            assert rcpts[0] in managers
    assert statements >= 20 and monthly == len(managers)
    assert set(by_recipient(rec)) >= managers
    left = staff[staff["status"] == "离职"]["email"]
    assert not set(left) & set(by_recipient(rec))


def test_demo_outbox_writes_openable_eml_files(demo, tmp_path):
    book, _ = demo
    box = tmp_path / "outbox"
    result = CliRunner().invoke(main, ["send", str(book), "--month", MONTH, "--outbox", str(box),
                                       "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    files = list(box.glob("*.eml"))
    assert len(files) >= 20
    assert "没有填写「发件人邮箱」" in result.output       # the demo leaves the mail settings blank
    for f in files:
        msg = email.message_from_bytes(f.read_bytes(), policy=policy.default)
        assert msg["From"] is None and msg["Subject"].endswith("· 华信健身俱乐部(演示数据)")
        assert msg.get_body(("plain",)) is not None and len(list(msg.iter_attachments())) == 2
