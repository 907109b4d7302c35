"""Exactly once: reruns, --resend, a copied folder, and two sends at the same time."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections import Counter

from salesbook import mail
from salesbook.mail import sendlog
from test_mail_kit import MONTH, Recorder, book_with, month_reports, smtp_server

TODAY = dt.date(2026, 11, 5)


def identities(rec: Recorder) -> Counter:
    out = Counter()
    for _, rcpts, raw in rec.messages:
        head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
        report = next(line.split(": ", 1)[1] for line in head.split("\r\n") if line.startswith("X-Salesbook-Report"))
        out[(report, tuple(rcpts))] += 1
    return out


def test_rerun_after_success_sends_nothing_and_resend_sends_again(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        assert mail.send(book, month=MONTH, today=TODAY).sent == 4
        again = mail.send(book, month=MONTH, today=TODAY)
        assert (again.sent, again.skipped, again.exit_code) == (0, 4, 0)
        forced = mail.send(book, month=MONTH, today=TODAY, resend=True)
        assert (forced.sent, forced.skipped) == (4, 0)
    assert set(identities(rec).values()) == {2}
    lines = sendlog.SendLog(folder).entries()
    assert len(lines) == 8 and {e.status for e in lines} == {"sent"}
    ids = {m["Message-ID"] for m in rec.parsed()}
    assert {e.message_id for e in lines} == ids and len(ids) == 8


def test_a_report_rendered_again_in_the_same_folder_is_not_resent(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        mail.send(book, month=MONTH, today=TODAY)
        page = folder / "statement-S1.html"
        page.write_text(page.read_text("utf-8").replace("6,234.50", "6,300.00"), "utf-8")
        again = mail.send(book, month=MONTH, today=TODAY)
    assert again.sent == 0 and again.skipped == 4


def test_a_copied_folder_with_its_log_does_not_resend(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        mail.send(book, month=MONTH, today=TODAY)
        copy = tmp_path / "U盘" / MONTH
        shutil.copytree(folder, copy)
        again = mail.send(book, month=MONTH, out=copy, today=TODAY)
    assert again.sent == 0 and again.skipped == 4
    assert len(rec.messages) == 4


def test_another_folders_log_with_other_content_is_not_this_folders_history(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        mail.send(book, month=MONTH, today=TODAY)
        # a copied workbook: its reports rendered from other data, the old log carried along
        other = tmp_path / "分公司"
        other.mkdir()
        other_book = book_with(other, port)
        other_folder = month_reports(other_book)
        context = other_folder / "statement-S1.json"
        context.write_text(context.read_text("utf-8").replace("张三", "张三(分公司)"), "utf-8")
        shutil.copy(folder / sendlog.LOG, other_folder / sendlog.LOG)
        summary = mail.send(other_book, month=MONTH, today=TODAY)
    assert summary.sent == 1 and summary.skipped == 3      # only the statement whose content changed
    assert any("另一个文件夹" in line for line in summary.lines)


def test_another_period_in_the_log_does_not_count(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        mail.send(book, month=MONTH, today=TODAY)
        text = (folder / sendlog.LOG).read_text("utf-8")
        (folder / sendlog.LOG).write_text(text.replace(f"|{MONTH}|", "|2026-09|"), "utf-8")
        again = mail.send(book, month=MONTH, today=TODAY)
    assert again.sent == 4


def test_a_cut_off_log_line_is_not_taken_as_sent(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        mail.send(book, month=MONTH, today=TODAY)
        log = folder / sendlog.LOG
        lines = log.read_text("utf-8").splitlines()
        log.write_text("\n".join(lines[:-1] + [lines[-1][:40]]) + "\n", "utf-8")   # a crash mid-write
        again = mail.send(book, month=MONTH, today=TODAY)
    assert (again.sent, again.skipped) == (1, 3)


def test_two_send_processes_at_once_send_each_message_once(tmp_path):
    with smtp_server(Recorder(delay=0.4)) as (port, rec):
        book = book_with(tmp_path, port)
        month_reports(book)
        cmd = [sys.executable, "-c", "from salesbook.cli import main; main()", "send", str(book),
               "--month", MONTH, "--today", "2026-11-05"]
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        deadline = time.monotonic() + 60
        while not rec.messages and time.monotonic() < deadline:   # the first run is mid-batch
            time.sleep(0.02)
        second = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        outs = [p.communicate(timeout=120) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outs
    assert len(rec.messages) == 4 and set(identities(rec).values()) == {1}
    assert "已发送 4 封" in outs[0][0].decode("utf-8")
    assert "已发送 0 封" in outs[1][0].decode("utf-8") and "跳过 4 封" in outs[1][0].decode("utf-8")
