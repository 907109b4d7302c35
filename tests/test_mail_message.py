"""What arrives: the received bytes parsed back as a mail client would."""
from __future__ import annotations

import base64
import datetime as dt
import email
import io
import re
from email import policy

import openpyxl
import pytest

from salesbook import mail
from test_mail_kit import (MONTH, USER, book_with, by_recipient, month_reports, pdf_text, png, smtp_server,
                           write_manifest, write_report)

TODAY = dt.date(2026, 11, 5)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("inbox")
    with smtp_server() as (port, rec):
        book = book_with(tmp, port)
        month_reports(book)
        summary = mail.send(book, month=MONTH, today=TODAY)
    assert summary.exit_code == 0, summary.lines
    return rec, by_recipient(rec), tmp


def html_of(msg):
    return msg.get_body(preferencelist=("html",)).get_content()


def test_headers_decode_chinese_subject_sender_name_date_and_message_id(inbox):
    _, mails, _ = inbox
    (statement,) = mails["s1@example.com"]
    assert statement["Subject"] == "【工资条】2026-10 张三 · 上海某某科技有限公司"
    assert statement["From"].addresses[0].display_name == "上海某某科技有限公司"
    assert statement["From"].addresses[0].addr_spec == USER
    assert statement["To"].addresses[0].display_name == "张三"
    assert statement["Date"].datetime is not None
    assert re.fullmatch(r"<[^@>]+@example\.com>", statement["Message-ID"])
    (monthly,) = mails["m1@example.com"]
    assert monthly["Subject"] == "【销售月报】2026-10 销售部 · 上海某某科技有限公司"
    raw = inbox[0].messages[0][2]
    assert raw.isascii() and b"\r\n" in raw and max(map(len, raw.split(b"\r\n"))) <= 998


def test_plain_text_alternative_exists_and_reads(inbox):
    _, mails, _ = inbox
    (statement,) = mails["s1@example.com"]
    text = statement.get_body(preferencelist=("plain",)).get_content()
    assert "应发合计" in text and "6,234.50" in text
    assert statement.get_body(preferencelist=("html",)) is not None
    alternative = next(p for p in statement.walk() if p.get_content_type() == "multipart/alternative")
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "multipart/related"]


def test_chart_is_a_cid_inline_image_and_css_is_inlined(inbox):
    _, mails, _ = inbox
    (monthly,) = mails["m1@example.com"]
    html = html_of(monthly)
    cids = re.findall(r'src="cid:([^"]+)"', html)
    assert cids and "data:" not in html and "charts/" not in html
    parts = {p["Content-ID"].strip("<>"): p for p in monthly.walk() if p["Content-ID"]}
    for cid in cids:
        assert parts[cid].get_content_type() == "image/png"
        assert parts[cid].get_content() == png()
    related = next(p for p in monthly.walk() if p.get_content_type() == "multipart/related")
    assert {p["Content-ID"].strip("<>") for p in related.iter_parts() if p["Content-ID"]} == set(cids)
    assert "<style" not in html and "color: #123456" in html       # the <style> block went inline
    assert len(html.encode("utf-8")) < 100 * 1024


def test_attachments_have_chinese_names_and_open(inbox):
    _, mails, _ = inbox
    (statement,) = mails["s1@example.com"]
    files = {a.get_filename(): a for a in statement.iter_attachments()}
    assert set(files) == {"2026-10 张三 工资条.pdf", "2026-10 张三 工资条.xlsx"}
    text = pdf_text(files["2026-10 张三 工资条.pdf"].get_content())
    assert "张三 工资条" in text and "应发合计 6,234.50" in text
    book = openpyxl.load_workbook(io.BytesIO(files["2026-10 张三 工资条.xlsx"].get_content()))
    assert book["汇总"]["A4"].value == "应发合计"


def test_attachment_headers_carry_both_name_forms(inbox):
    """name="=?utf-8?b?…?=" for QQ Mail / Outlook, filename*=utf-8''… (RFC 2231) for the rest."""
    rec, _, _ = inbox
    raw = next(raw for _, rcpts, raw in rec.messages if rcpts == ["s1@example.com"]).decode("ascii")
    word = "=?utf-8?b?" + base64.b64encode("2026-10 张三 工资条.pdf".encode()).decode() + "?="
    assert f'name="{word}"' in raw and f'filename="{word}"' in raw
    assert "filename*=utf-8''2026-10%20%E5%BC%A0%E4%B8%89%20%E5%B7%A5%E8%B5%84%E6%9D%A1.pdf" in raw
    assert "filename*0" not in raw           # the folded form clients show as .bin / Untitled


def test_data_uri_images_become_cid_parts_and_scripts_are_dropped(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port, cc=None)
        folder = book.parent / f"{book.stem}-报表" / MONTH
        folder.mkdir(parents=True)
        entry = write_report(folder, "monthly", MONTH, "department", None, "月报", ["m1@example.com"],
                             [("签约业绩", "1.00")])
        page = (folder / "monthly-department.html").read_text("utf-8")
        inline = "data:image/png;base64," + base64.b64encode(png(rgb=(1, 2, 3))).decode()
        page = page.replace("<table>", f'<img src="{inline}" alt="x"><script>alert(1)</script><table>')
        (folder / "monthly-department.html").write_text(page, "utf-8")
        write_manifest(folder, [entry])
        assert mail.send(book, kind="monthly", month=MONTH, today=TODAY).exit_code == 0
    (msg,) = rec.parsed()
    html = html_of(msg)
    assert "data:" not in html and "<script" not in html
    (cid,) = re.findall(r'src="cid:([^"]+)"', html)
    image = next(p for p in msg.walk() if p["Content-ID"] == f"<{cid}>")
    assert image.get_content() == png(rgb=(1, 2, 3))


def test_a_missing_chart_file_fails_that_report_only(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port, cc=None)
        folder = month_reports(book)
        (folder / "charts" / "monthly-department.png").unlink()
        summary = mail.send(book, month=MONTH, today=TODAY)
    assert summary.exit_code == 1
    assert "图片不存在" in "\n".join(summary.lines)
    assert sorted(r for _, rcpts, _ in rec.messages for r in rcpts) == ["s1@example.com", "s2@example.com"]


def test_received_bytes_parse_with_the_legacy_parser_too(inbox):
    rec, _, _ = inbox
    msg = email.message_from_bytes(rec.messages[0][2], policy=policy.compat32)
    kinds = [p.get_content_type() for p in msg.walk()]
    assert kinds[:4] == ["multipart/mixed", "multipart/alternative", "text/plain", "multipart/related"]


def test_plain_text_of_a_report_page():
    from salesbook.mail.htmltext import html_to_text

    page = ('<!DOCTYPE html><html><head><title>T</title><style>h1{color:red}</style></head><body><h1>月报 &amp; 排名</h1>'
            '<p>共 <b>3</b> 条</p><img src="a.png" alt="图表 目标"><table><tr><th>项目</th><th>金额</th></tr>'
            '<tr><td>底薪</td><td>5,000.00</td></tr></table><ul><li>甲</li><li>乙</li></ul><!-- x --></body></html>')
    assert html_to_text(page) == "月报 & 排名\n共 3 条\n[图表 目标]\n项目\t金额\n底薪\t5,000.00\n- 甲\n- 乙\n"


def test_weekly_team_report_subject_and_its_unreachable_lead(tmp_path):
    from builders import staff
    from test_mail_kit import PEOPLE

    people = PEOPLE + [staff("L1", "孙组长", role="组长", team="一组", manager="M1")]   # no 邮箱
    week = "2026-W42"
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port, people=people, cc=None)
        folder = book.parent / f"{book.stem}-报表" / week
        folder.mkdir(parents=True)
        write_manifest(folder, [write_report(folder, "weekly", week, "team", "一组", f"{week} 一组 销售周报",
                                             ["m1@example.com"], [("拜访", "12")])])
        summary = mail.send(book, week=week, today=TODAY)
    (msg,) = rec.parsed()
    assert msg["Subject"] == "【销售周报】2026-W42 一组 · 上海某某科技有限公司"
    assert any("孙组长(L1)" in line and "邮箱" in line for line in summary.lines)
