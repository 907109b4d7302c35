"""The command as people use it: dry run, outbox, languages, passwords, periods."""
from __future__ import annotations

import datetime as dt
import email
from email import policy

import keyring
import pytest
from click.testing import CliRunner
from keyring.backend import KeyringBackend

from salesbook import mail
from salesbook.cli import main
from salesbook.mail import password, sendlog
from test_mail_kit import (MONTH, book_with, month_reports, smtp_server, write_manifest,
                           write_report)

TODAY = "2026-11-05"


def run(*args, input=None):
    return CliRunner().invoke(main, ["send", *map(str, args), "--today", TODAY], input=input)


def test_dry_run_lists_every_message_and_sends_nothing(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        result = run(book, "--month", MONTH, "--dry-run")
    assert result.exit_code == 0, result.output
    assert rec.messages == [] and not (folder / sendlog.LOG).exists()
    out = result.output
    assert "将发送 4 封邮件" in out
    assert "张三 <s1@example.com>  【工资条】2026-10 张三 · 上海某某科技有限公司" in out
    assert "2026-10 张三 工资条.pdf (" in out and "2026-10 张三 工资条.xlsx (" in out and "KB" in out
    assert "boss@example.com  【销售月报】" in out
    assert "王五(S3)" in out


def test_plan_text_after_sending_says_what_was_already_sent(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        month_reports(book)
        mail.send(book, month=MONTH, today=dt.date(2026, 11, 5))
        text = mail.plan_text(book, month=MONTH, today=dt.date(2026, 11, 5))
    assert "将发送 0 封邮件" in text and "已发送过、不再发送 4 封" in text


def test_outbox_writes_one_openable_eml_per_message(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        box = tmp_path / "outbox"
        result = run(book, "--month", MONTH, "--outbox", box)
        assert result.exit_code == 0, result.output
        assert rec.messages == []
        assert f".eml 文件到 {box}" in result.output and "没有真的发出" in result.output
        files = sorted(box.glob("*.eml"))
        assert len(files) == 4
        for f in files:
            assert f.read_bytes().startswith(b"X-Unsent: 1\r\n")   # Outlook opens it as a draft
            msg = email.message_from_bytes(f.read_bytes(), policy=policy.default)
            assert msg["Subject"].startswith("【") and msg.get_body(("html",)) is not None
            assert len(list(msg.iter_attachments())) == 2
        assert {e.status for e in sendlog.SendLog(folder).entries()} == {"outbox"}
        # the outbox is not "sent": a real send afterwards still delivers everything
        assert run(book, "--month", MONTH).exit_code == 0
    assert len(rec.messages) == 4


def test_without_an_smtp_server_the_messages_go_to_the_outbox_and_it_says_so(tmp_path):
    book = book_with(tmp_path, None)
    folder = month_reports(book)
    result = run(book, "--month", MONTH)
    assert result.exit_code == 0, result.output
    assert "没有设置 SMTP服务器" in result.output
    assert len(list((folder / "发件箱").glob("*.eml"))) == 4


def test_english_messages_with_lang_en(tmp_path):
    book = book_with(tmp_path, None)
    month_reports(book)
    result = run(book, "--month", MONTH, "--dry-run", "--lang", "en")
    assert "4 messages to send" in result.output and "[Pay statement] 2026-10 张三" in result.output
    assert "has no valid e-mail" in result.output


def test_a_kind_and_a_period_that_do_not_go_together(tmp_path):
    book = book_with(tmp_path, None)
    result = run(book, "--kind", "daily", "--month", MONTH)
    assert result.exit_code == 2 and "--date" in result.output


def test_a_week_that_does_not_exist_is_refused(tmp_path):
    book = book_with(tmp_path, None)
    result = run(book, "--week", "2027-W53")
    assert result.exit_code == 2 and "没有第 53 周" in result.output


def test_missing_reports_without_the_report_step_say_what_to_run(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "salesbook.reports", None)   # as if not installed
    book = book_with(tmp_path, None)
    result = run(book, "--month", MONTH)
    assert result.exit_code == 2
    assert "salesbook report monthly" in result.output


def test_people_without_a_daily_report_are_named_and_get_nothing(tmp_path):
    day = "2026-11-04"
    book = book_with(tmp_path, None, cc=None)
    folder = book.parent / f"{book.stem}-报表" / day
    folder.mkdir(parents=True)
    write_manifest(folder, [write_report(folder, "daily", day, "person", "S1", f"{day} 张三 日报",
                                         ["s1@example.com"], [("拜访", "1")])])
    result = run(book, "--kind", "daily", "--date", day, "--dry-run")
    assert "将发送 1 封邮件" in result.output
    assert "位在职人员 2026-11-04 没有日报" in result.output and "李四" in result.output


def test_a_report_marked_empty_is_not_sent_and_said(tmp_path):
    book = book_with(tmp_path, None, cc=None)
    folder = book.parent / f"{book.stem}-报表" / MONTH
    folder.mkdir(parents=True)
    entry = write_report(folder, "monthly", MONTH, "department", None, "空月报", ["m1@example.com"], [])
    write_manifest(folder, [dict(entry, empty=True)])
    result = run(book, "--kind", "monthly", "--month", MONTH)
    assert result.exit_code == 0 and "「空月报」没有内容, 不发送" in result.output
    assert not (folder / "发件箱").exists() or not list((folder / "发件箱").iterdir())


def test_a_broken_manifest_is_a_clear_error(tmp_path):
    book = book_with(tmp_path, None)
    folder = book.parent / f"{book.stem}-报表" / MONTH
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{not json", "utf-8")
    result = run(book, "--month", MONTH)
    assert result.exit_code == 2 and "manifest.json 无法读取" in result.output


# --- passwords -------------------------------------------------------------------

class MemoryKeyring(KeyringBackend):
    """A keyring for the test (no OS credential store exists on this headless machine)."""

    priority = 1

    def __init__(self):
        self.items = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, pw):
        self.items[(service, username)] = pw

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv(password.ENV, raising=False)


def test_set_password_without_a_keyring_says_to_use_the_variable(tmp_path, no_env):
    from keyring.backends.fail import Keyring as Fail

    old = keyring.get_keyring()
    keyring.set_keyring(Fail())
    try:
        result = CliRunner().invoke(main, ["mail", "set-password", "--user", "u@x.cn", "--host", "smtp.x.cn"],
                                    input="secret\n")
    finally:
        keyring.set_keyring(old)
    assert result.exit_code == 2
    assert "没有可用的密码库" in result.output and "SALESBOOK_SMTP_PASSWORD" in result.output


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_set_password_stores_in_the_keyring_and_send_uses_it(tmp_path, no_env):
    from test_mail_kit import PASSWORD, USER, authenticator

    old = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with smtp_server(authenticator=authenticator, auth_required=True, auth_require_tls=False) as (port, rec):
            book = book_with(tmp_path, port, user=USER)
            month_reports(book)
            stored = CliRunner().invoke(main, ["mail", "set-password", str(book)], input=PASSWORD + "\n")
            assert stored.exit_code == 0, stored.output
            assert "已把 sales@example.com@127.0.0.1 的密码保存到系统密码库" in stored.output
            assert password.lookup(USER, "127.0.0.1") == PASSWORD
            result = run(book, "--month", MONTH)
    finally:
        keyring.set_keyring(old)
    assert result.exit_code == 0, result.output
    assert len(rec.messages) == 4


def test_the_environment_variable_wins_and_must_be_ascii(monkeypatch):
    monkeypatch.setenv(password.ENV, "from-env")
    assert password.lookup("u", "h") == "from-env"
    monkeypatch.setenv(password.ENV, "授权码")
    from salesbook.errors import WorkbookError

    with pytest.raises(WorkbookError, match="中文或全角"):
        password.lookup("u", "h")


def test_the_workbook_never_holds_the_password(tmp_path):
    """The 参数 contract has no password key; the keys the send step reads are the documented ones."""
    from salesbook import contract as K

    assert not any("密码" in s.key or "授权码" in s.key for s in K.SETTING_KEYS)
