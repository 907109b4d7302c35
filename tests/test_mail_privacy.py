"""domain.md §8 at the last step: statements to their person only, nothing to people who
left, no full customer mobile number except in a person's own daily report."""
from __future__ import annotations

import datetime as dt

from salesbook import mail
from salesbook.mail.guard import MOBILE
from test_mail_kit import (MONTH, book_with, by_recipient, month_reports, pdf_text, smtp_server, write_manifest,
                           write_report)

TODAY = dt.date(2026, 11, 5)
PHONE = "13812345678"


def everything_readable(msg) -> str:
    """All text a recipient can read: headers, text, HTML, the XLSX cells, the PDF text."""
    import io
    import openpyxl

    out = [str(v) for _, v in msg.items()]
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype.startswith("text/"):
            out.append(part.get_content())
        elif ctype.endswith("spreadsheetml.sheet"):
            book = openpyxl.load_workbook(io.BytesIO(part.get_content()))
            out += [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
        elif ctype == "application/pdf":
            out.append(pdf_text(part.get_content()))
    return "\n".join(out)


def test_with_a_shared_manager_each_statement_has_exactly_its_person(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        month_reports(book)
        assert mail.send(book, month=MONTH, today=TODAY).exit_code == 0
    statements = [(rcpts, raw) for _, rcpts, raw in rec.messages if b"X-Salesbook-Report: statement" in raw]
    envelopes = sorted(tuple(rcpts) for rcpts, _ in statements)
    assert envelopes == [("s1@example.com",), ("s2@example.com",)]
    for rcpts, raw in statements:
        head = raw.split(b"\r\n\r\n", 1)[0].lower()
        assert b"\r\ncc:" not in head and b"\r\nbcc:" not in head
    mails = by_recipient(rec)
    assert [m["Subject"] for m in mails["m1@example.com"]] == ["【销售月报】2026-10 销售部 · 上海某某科技有限公司"]
    assert all("工资条" not in m["Subject"] for m in mails["boss@example.com"])


def test_a_statement_listed_for_someone_else_goes_to_its_person_only(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port, cc=None)
        folder = book.parent / f"{book.stem}-报表" / MONTH
        folder.mkdir(parents=True)
        write_manifest(folder, [write_report(folder, "statement", MONTH, "person", "S1", "张三 工资条",
                                             ["s1@example.com", "m1@example.com"], [("应发合计", "1.00")])])
        summary = mail.send(book, kind="statement", month=MONTH, today=TODAY)
    assert [rcpts for _, rcpts, _ in rec.messages] == [["s1@example.com"]]
    assert summary.exit_code == 1
    assert any("只发给本人" in line and "m1@example.com" in line for line in summary.lines)


def test_cc_on_a_statement_is_refused_and_cc_on_a_department_report_is_sent(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port, cc=None)
        folder = book.parent / f"{book.stem}-报表" / MONTH
        folder.mkdir(parents=True)
        statement = write_report(folder, "statement", MONTH, "person", "S1", "张三 工资条", ["s1@example.com"],
                                 [("应发合计", "1.00")])
        monthly = write_report(folder, "monthly", MONTH, "department", None, "月报", ["m1@example.com"],
                               [("签约业绩", "1.00")])
        write_manifest(folder, [dict(statement, cc=["hr@example.com"]), dict(monthly, cc=["hr@example.com"])])
        summary = mail.send(book, month=MONTH, today=TODAY)
    envelopes = sorted((m["X-Salesbook-Report"].split("|")[0], m["To"]) for m in rec.parsed())
    assert envelopes == [("monthly", "hr@example.com"), ("monthly", "周经理 <m1@example.com>"),
                         ("statement", "张三 <s1@example.com>")]
    assert summary.exit_code == 1 and any("hr@example.com" in line and "只发给本人" in line for line in summary.lines)


def test_a_person_who_left_gets_nothing_and_is_named(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port, cc=None)
        folder = book.parent / f"{book.stem}-报表" / MONTH
        folder.mkdir(parents=True)
        write_manifest(folder, [
            write_report(folder, "statement", MONTH, "person", "S4", "赵六 工资条", ["s4@example.com"],
                         [("应发合计", "1.00")]),
            write_report(folder, "monthly", MONTH, "department", None, "月报", ["m1@example.com", "s4@example.com"],
                         [("签约业绩", "1.00")]),
        ])
        summary = mail.send(book, month=MONTH, today=TODAY)
    assert [rcpts for _, rcpts, _ in rec.messages] == [["m1@example.com"]]
    assert summary.exit_code == 0
    assert any("赵六(S4)已离职" in line for line in summary.lines)


def test_an_unmasked_phone_in_a_department_report_is_refused_and_never_shown(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        month_reports(book, phone_in_monthly=PHONE)
        summary = mail.send(book, month=MONTH, today=TODAY)
    assert summary.exit_code == 1
    text = "\n".join(summary.lines)
    assert "未打码的手机号(138****5678)" in text and PHONE not in text
    assert sorted(r for _, rcpts, _ in rec.messages for r in rcpts) == ["s1@example.com", "s2@example.com"]


def test_the_guard_reads_the_xlsx_too(tmp_path):
    import openpyxl

    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port, cc=None)
        folder = month_reports(book)
        wb = openpyxl.load_workbook(folder / "monthly-department.xlsx")
        wb.active.append(["电话", int(PHONE)])       # a number cell, not text
        wb.save(folder / "monthly-department.xlsx")
        summary = mail.send(book, kind="monthly", month=MONTH, today=TODAY)
    assert summary.exit_code == 1 and rec.messages == []


def test_own_daily_may_show_phones_but_the_managers_copy_may_not(tmp_path):
    day = "2026-11-04"
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port, cc=None)
        folder = book.parent / f"{book.stem}-报表" / day
        folder.mkdir(parents=True)
        write_manifest(folder, [write_report(folder, "daily", day, "person", "S1", f"{day} 张三 日报",
                                             ["s1@example.com", "m1@example.com"],
                                             [("拜访 客户A", f"电话{PHONE}")])])
        summary = mail.send(book, kind="daily", date=dt.date(2026, 11, 4), today=TODAY)
    assert [rcpts for _, rcpts, _ in rec.messages] == [["s1@example.com"]]
    assert PHONE in everything_readable(rec.parsed()[0])
    assert summary.exit_code == 1
    assert any("周经理 <m1@example.com>" in line and "未打码" in line for line in summary.lines)


def test_no_received_department_report_carries_a_full_mobile_number(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        month_reports(book)
        assert mail.send(book, month=MONTH, today=TODAY).exit_code == 0
    monthly = [m for m in rec.parsed() if m["X-Salesbook-Report"].startswith("monthly")]
    assert len(monthly) == 2
    for msg in monthly:
        readable = everything_readable(msg)
        assert "138****5678" in readable and not MOBILE.search(readable)
