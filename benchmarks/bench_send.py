"""Time `salesbook send` of ~200 pay statements to a local SMTP server over one connection.

    python benchmarks/bench_send.py [--people 200] [--demo]

Default: a synthetic workbook of N people and a report folder of N statements with the
sizes of real ones (HTML ~30 KB with a chart, PDF ~60 KB, XLSX ~15 KB), sent to aiosmtpd on
127.0.0.1. With --demo (needs the report step, salesbook.reports): the `large` demo
workbook, its statements rendered by `salesbook report`, then sent the same way.
The timed part is the whole `mail.send` call: reading 参数/人员, composing every message,
the privacy guard, the send log, and SMTP. Issue target: ≤ 30 s for ~200 statements.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from salesbook import contract as K

MONTH = "2026-10"
TODAY = dt.date(2026, 11, 15)
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅喆堃玥犇昇珺"


class Sink:
    def __init__(self):
        self.count = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        self.bytes += len(envelope.original_content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[i // len(SURNAMES) % len(GIVEN)] + GIVEN[i % len(GIVEN)]


def write_workbook(path: Path, people: int, port: int) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in K.INPUT_SHEETS:
        ws = wb.create_sheet(sheet.zh)
        ws.append(sheet.headers())
    settings = wb[K.SETTINGS.zh]
    for key, value in {"公司名称": "上海某某科技有限公司", "发件人邮箱": "sales@example.com",
                       "SMTP服务器": "127.0.0.1", "SMTP端口": port, "SMTP加密": "无"}.items():
        settings.append([key, value])
    staff = wb[K.STAFF.zh]
    cols = [c.zh for c in K.STAFF.columns]
    for i in range(people):
        row = {"工号": f"S{i:04d}", "姓名": name(i), "岗位": "销售代表", "小组": f"{i % 10 + 1}组",
               "入职日期": "2024-01-01", "状态": "在职", "邮箱": f"s{i:04d}@example.com"}
        staff.append([row.get(c) for c in cols])
    wb.save(path)


def statement_files(tmp: Path) -> tuple[bytes, bytes, bytes]:
    """One PDF (~60 KB, Chinese, embedded font subset), one XLSX (~15 KB), one chart PNG."""
    from fpdf import FPDF

    doc = FPDF()
    doc.add_font("noto", "", str(FONT), collection_font_number=2)
    doc.set_font("noto", size=9)
    for page in range(3):
        doc.add_page()
        for line in range(60):
            doc.cell(0, 4.5, f"2026-10-{line % 28 + 1:02d} 合同 HT{page}{line:04d} 客户{name(line)}公司 回款 "
                              f"{line * 1234.5:,.2f} 计入 {line * 617.25:,.2f} 依据 回款业绩×提成比例 {SURNAMES}{GIVEN}",
                     new_x="LMARGIN", new_y="NEXT")
    pdf = bytes(doc.output())
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "提成明细"
    for line in range(250):
        ws.append(["2026-10", "S0001", "回款", f"HT{line:05d}", f"K{line:05d}", line * 1234.5, 0.5, line * 617.25,
                   "回款业绩 × 提成比例"])
    path = tmp / "x.xlsx"
    wb.save(path)
    from salesbook.reports.render import plot

    plot.bars(tmp / "chart.png", size=(4, 2), title="chart", categories=[str(i) for i in range(12)],
              series=[plot.Series("", [i * 3 % 7 + 1 for i in range(12)], "#2f6db5")])
    return pdf, path.read_bytes(), (tmp / "chart.png").read_bytes()


def statement_html(i: int) -> str:
    rows = "".join(f'<tr><td style="padding:4px;border:1px solid #ddd">HT{i:04d}{r:03d}</td>'
                   f'<td style="padding:4px;border:1px solid #ddd">客户{name(r)}有限公司</td>'
                   f'<td style="padding:4px;border:1px solid #ddd;text-align:right">{r * 1234.5:,.2f}</td>'
                   f'<td style="padding:4px;border:1px solid #ddd">回款业绩 × 提成比例 5%</td></tr>' for r in range(110))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="font-family:sans-serif">'
            f'<h1 style="font-size:18px">{MONTH} {name(i)} 工资条</h1><img src="charts/trend.png" alt="近12个月业绩">'
            f'<table style="border-collapse:collapse">{rows}</table></body></html>')


def synthetic_folder(folder: Path, people: int, tmp: Path) -> None:
    pdf, xlsx, chart = statement_files(tmp)
    (folder / "charts").mkdir(parents=True)
    (folder / "charts" / "trend.png").write_bytes(chart)
    entries = []
    for i in range(people):
        stem = f"工资条-S{i:04d}"
        (folder / f"{stem}.html").write_text(statement_html(i), "utf-8")
        (folder / f"{stem}.pdf").write_bytes(pdf)
        (folder / f"{stem}.xlsx").write_bytes(xlsx)
        (folder / f"{stem}.json").write_text(json.dumps({"staff_id": f"S{i:04d}"}), "utf-8")
        entries.append({"kind": "statement", "period": MONTH, "scope": "person", "key": f"S{i:04d}",
                        "title": f"{MONTH} {name(i)} 工资条", "recipients": [f"s{i:04d}@example.com"],
                        "files": {f: f"{stem}.{f}" for f in ("html", "pdf", "xlsx", "json")}})
    (folder / "manifest.json").write_text(json.dumps({"reports": entries}, ensure_ascii=False), "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=200)
    ap.add_argument("--demo", action="store_true", help="the large demo workbook with rendered statements")
    args = ap.parse_args()

    from aiosmtpd.controller import Controller

    from salesbook import mail

    tmp = Path(tempfile.mkdtemp(prefix="bench-send-"))
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, data_size_limit=0)
    controller.start()
    try:
        if args.demo:
            book = demo_book(tmp, port)
            folder = None
        else:
            book = tmp / "台账.xlsx"
            write_workbook(book, args.people, port)
            folder = tmp / "reports"
            synthetic_folder(folder, args.people, tmp)
        sizes = mail.plan(book, kind="statement", month=MONTH, out=folder, today=TODAY)
        letters = sizes.due()
        started = time.perf_counter()
        summary = mail.send(book, kind="statement", month=MONTH, out=folder, today=TODAY)
        secs = time.perf_counter() - started
    finally:
        controller.stop()
    if summary.exit_code != 0:
        print("\n".join(summary.lines), file=sys.stderr)
    avg = sum(x.size for x in letters) / max(1, len(letters))
    html = sum(x.body.html_size for x in letters) / max(1, len(letters))
    print(f"sent {summary.sent} statements ({sink.count} received, {sink.bytes / 1e6:.1f} MB, "
          f"avg message {avg / 1024:.0f} KB, avg HTML {html / 1024:.0f} KB) over one connection "
          f"in {secs:.2f} s ({secs / max(1, summary.sent) * 1000:.0f} ms/message); target <= 30 s")
    shutil.rmtree(tmp, ignore_errors=True)


def demo_book(tmp: Path, port: int) -> Path:
    """The `large` demo workbook pointed at the local server, its statements rendered."""
    import subprocess

    from salesbook.demo import write_demo

    book = write_demo(tmp, "large", today=TODAY)
    wb = openpyxl.load_workbook(book)
    ws = wb[K.SETTINGS.zh]
    values = {"发件人邮箱": "sales@example.com", "SMTP服务器": "127.0.0.1", "SMTP端口": port, "SMTP加密": "无"}
    for row in ws.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values.pop(row[0].value)
    for key, value in values.items():
        ws.append([key, value])
    wb.save(book)
    subprocess.run([sys.executable, "-c", "from salesbook.cli import main; main()", "report", "statement",
                    str(book), "--month", MONTH, "--today", TODAY.isoformat()], check=True)
    return book


if __name__ == "__main__":
    main()
