"""Shared parts of the mail tests: a real SMTP server on 127.0.0.1 (aiosmtpd), a workbook
with SMTP settings, and a report folder with real HTML / PDF / XLSX / PNG files and a
manifest.json as the report step writes it. (No tests in this module.)"""
from __future__ import annotations

import asyncio
import email
import json
import socket
import ssl
import struct
import zlib
from contextlib import contextmanager
from email import policy
from pathlib import Path

import openpyxl
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from builders import settings_rows, staff, write_book

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
USER, PASSWORD = "sales@example.com", "authcode123"
MONTH = "2026-10"

PEOPLE = [
    staff("M1", "周经理", role="销售经理", 邮箱="m1@example.com"),
    staff("S1", "张三", manager="M1", 邮箱="s1@example.com"),
    staff("S2", "李四", manager="M1", 邮箱="s2@example.com"),
    staff("S3", "王五", manager="M1"),                                    # no 邮箱
    staff("S4", "赵六", manager="M1", 邮箱="s4@example.com", status="离职", left="2026-09-30"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """aiosmtpd handler keeping every accepted message; refuses the addresses in `refuse`."""

    def __init__(self, refuse=(), delay: float = 0.0):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse = set(refuse)
        self.delay = delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def parsed(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(raw, policy=policy.default) for _, _, raw in self.messages]


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    # a failure must say handled=False, or the client waits forever (report-facts.md)
    return AuthResult(success=True) if ok else AuthResult(success=False, handled=False)


@pytest.fixture(scope="session")
def ca():
    return trustme.CA()


@pytest.fixture(scope="session")
def client_tls(ca):
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    return ctx


def server_tls(ca) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    return ctx


@contextmanager
def smtp_server(handler=None, **options):
    """A running aiosmtpd on 127.0.0.1:<free port>; yields (port, handler)."""
    handler = handler or Recorder()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


def book_with(tmp: Path, port: int | None, security: str = "无", user: str | None = None,
              people=PEOPLE, cc: str | None = "boss@example.com", company="上海某某科技有限公司") -> Path:
    values = {"公司名称": company, "发件人邮箱": USER, "SMTP加密": security}
    if port is not None:
        values.update({"SMTP服务器": "127.0.0.1", "SMTP端口": port})
    if user:
        values["SMTP用户名"] = user
    if cc:
        values["报表抄送"] = cc
    return write_book(tmp / "台账.xlsx", staff=people, settings=settings_rows(**values))


# --- report files as the report step leaves them -------------------------------------

def png(width=40, height=20, rgb=(200, 30, 30)) -> bytes:
    """A real, tiny PNG (one colour)."""
    row = b"\x00" + bytes(rgb) * width
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def pdf(path: Path, lines: list[str]) -> None:
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.add_font("noto", "", str(CJK_FONT), collection_font_number=2)   # 2 = Noto Sans CJK SC
    doc.set_font("noto", size=12)
    for line in lines:
        doc.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    doc.output(str(path))


def xlsx(path: Path, rows: list[list]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    for r in rows:
        ws.append(r)
    wb.save(path)


def html(title: str, body: str, chart: str | None = None, style: bool = False) -> str:
    img = f'<p><img src="{chart}" alt="图表 {title}" width="400"></p>' if chart else ""
    head = "<style>h1 {color: #123456} td {padding: 4px}</style>" if style else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f'<body><h1 style="font-size:18px">{title}</h1>{img}'
            f'<table><tr><th>项目</th><th>金额</th></tr>{body}</table></body></html>')


def write_report(folder: Path, kind: str, period: str, scope: str, key, title: str, recipients: list[str],
                 lines: list[tuple[str, str]], *, chart: bool = False, style: bool = False,
                 stem: str | None = None) -> dict:
    """One report's files (HTML, PDF, XLSX, JSON, chart PNG) and its manifest entry."""
    stem = stem or f"{kind}-{key or 'department'}"
    chart_rel = None
    if chart:
        (folder / "charts").mkdir(parents=True, exist_ok=True)
        chart_rel = f"charts/{stem}.png"
        (folder / chart_rel).write_bytes(png())
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in lines)
    (folder / f"{stem}.html").write_text(html(title, rows, chart_rel, style), "utf-8")
    pdf(folder / f"{stem}.pdf", [title] + [f"{a} {b}" for a, b in lines])
    xlsx(folder / f"{stem}.xlsx", [["项目", "金额"]] + [list(x) for x in lines])
    (folder / f"{stem}.json").write_text(json.dumps({"title": title}, ensure_ascii=False), "utf-8")
    return {"kind": kind, "period": period, "scope": scope, "key": key, "title": title,
            "recipients": recipients,
            "files": {f: f"{stem}.{f}" for f in ("html", "xlsx", "pdf", "json")}}


def write_manifest(folder: Path, entries: list[dict]) -> Path:
    path = folder / "manifest.json"
    path.write_text(json.dumps({"reports": entries}, ensure_ascii=False, indent=1), "utf-8")
    return path


def month_reports(book: Path, *, phone_in_monthly: str | None = None) -> Path:
    """The default report folder of MONTH for `book`: statements of S1, S2, S3 (no 邮箱) and
    the department monthly report (with a chart and a <style> block)."""
    folder = book.parent / f"{book.stem}-报表" / MONTH
    folder.mkdir(parents=True, exist_ok=True)
    entries = [
        write_report(folder, "statement", MONTH, "person", "S1", f"{MONTH} 张三 工资条", ["s1@example.com"],
                     [("底薪", "5,000.00"), ("提成", "1,234.50"), ("应发合计", "6,234.50")]),
        write_report(folder, "statement", MONTH, "person", "S2", f"{MONTH} 李四 工资条", ["s2@example.com"],
                     [("底薪", "4,800.00"), ("提成", "300.00"), ("应发合计", "5,100.00")]),
        write_report(folder, "statement", MONTH, "person", "S3", f"{MONTH} 王五 工资条", [],
                     [("底薪", "4,000.00"), ("应发合计", "4,000.00")]),
        write_report(folder, "monthly", MONTH, "department", None, f"{MONTH} 销售月报", ["m1@example.com"],
                     [("签约业绩", "123,456.00"), ("回款业绩", "100,000.00"),
                      ("客户电话", phone_in_monthly or "138****5678")], chart=True, style=True),
    ]
    write_manifest(folder, entries)
    return folder


def by_recipient(recorder: Recorder) -> dict[str, list[email.message.EmailMessage]]:
    out: dict[str, list] = {}
    for (_, rcpts, raw) in recorder.messages:
        msg = email.message_from_bytes(raw, policy=policy.default)
        for r in rcpts:
            out.setdefault(r, []).append(msg)
    return out


def pdf_text(data: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it (CI installs poppler-utils)."""
    import shutil
    import subprocess

    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install poppler-utils"
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode("utf-8")
