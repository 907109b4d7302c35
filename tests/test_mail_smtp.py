"""salesbook send against a real SMTP server on 127.0.0.1: every way of connecting,
and every way it fails."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from salesbook import mail
from salesbook.cli import main
from salesbook.mail import sendlog
from test_mail_kit import (MONTH, PASSWORD, USER, Recorder, authenticator, book_with, ca, client_tls,  # noqa: F401
                           free_port, month_reports, server_tls, smtp_server)

TODAY = dt.date(2026, 11, 5)
EVERY = {"s1@example.com", "s2@example.com", "m1@example.com", "boss@example.com"}


def received(rec: Recorder) -> set[str]:
    return {r for _, rcpts, _ in rec.messages for r in rcpts}


def sent_lines(folder):
    return [e for e in sendlog.SendLog(folder).entries() if e.status == sendlog.SENT]


def test_plain_smtp_delivers_every_message_once_per_recipient(tmp_path):
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        summary = mail.send(book, month=MONTH, today=TODAY)
    assert summary.exit_code == 0, summary.lines
    assert [len(rcpts) for _, rcpts, _ in rec.messages] == [1] * 4
    assert received(rec) == EVERY
    assert {f for f, _, _ in rec.messages} == {USER}
    assert len(sent_lines(folder)) == 4
    assert any("王五" in line and "邮箱" in line for line in summary.lines)   # not reachable, said


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_starttls_with_auth(tmp_path, monkeypatch, ca, client_tls, mechanism):
    monkeypatch.setenv("SALESBOOK_SMTP_PASSWORD", PASSWORD)
    other = {"LOGIN": ["PLAIN"], "PLAIN": ["LOGIN"]}[mechanism]
    with smtp_server(tls_context=server_tls(ca), require_starttls=True, authenticator=authenticator,
                     auth_required=True, auth_require_tls=True, auth_exclude_mechanism=other) as (port, rec):
        book = book_with(tmp_path, port, security="STARTTLS", user=USER)
        month_reports(book)
        summary = mail.send(book, month=MONTH, today=TODAY, tls_context=client_tls)
    assert summary.exit_code == 0, summary.lines
    assert received(rec) == EVERY


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_ssl_with_auth(tmp_path, monkeypatch, ca, client_tls):
    monkeypatch.setenv("SALESBOOK_SMTP_PASSWORD", PASSWORD)
    # aiosmtpd counts only STARTTLS as TLS, hence auth_require_tls=False (report-facts.md)
    with smtp_server(ssl_context=server_tls(ca), authenticator=authenticator, auth_required=True,
                     auth_require_tls=False) as (port, rec):
        book = book_with(tmp_path, port, security="SSL", user=USER)
        month_reports(book)
        summary = mail.send(book, month=MONTH, today=TODAY, tls_context=client_tls)
    assert summary.exit_code == 0, summary.lines
    assert received(rec) == EVERY


def test_untrusted_certificate_is_a_tls_failure_and_nothing_is_marked_sent(tmp_path, ca):
    with smtp_server(tls_context=server_tls(ca), require_starttls=True) as (port, rec):
        book = book_with(tmp_path, port, security="STARTTLS")
        folder = month_reports(book)
        summary = mail.send(book, month=MONTH, today=TODAY)   # the system CAs do not know ours
    assert summary.exit_code == 2
    assert "加密连接失败" in "\n".join(summary.lines)
    assert rec.messages == [] and sent_lines(folder) == []


def test_server_down_exits_2_with_a_clear_message(tmp_path):
    book = book_with(tmp_path, free_port())        # nothing listens there
    folder = month_reports(book)
    result = CliRunner().invoke(main, ["send", str(book), "--month", MONTH, "--today", "2026-11-05"])
    assert result.exit_code == 2, result.output
    assert "连接不上发信服务器 127.0.0.1" in result.output and "SMTP端口" in result.output
    assert sent_lines(folder) == []


def test_authentication_failure_exits_2_and_names_the_authorisation_code(tmp_path, monkeypatch, ca, client_tls):
    monkeypatch.setenv("SALESBOOK_SMTP_PASSWORD", "wrong-password")
    with smtp_server(tls_context=server_tls(ca), require_starttls=True, authenticator=authenticator,
                     auth_required=True, auth_require_tls=True) as (port, rec):
        book = book_with(tmp_path, port, security="STARTTLS", user=USER)
        folder = month_reports(book)
        summary = mail.send(book, month=MONTH, today=TODAY, tls_context=client_tls)
    text = "\n".join(summary.lines)
    assert summary.exit_code == 2
    assert "拒绝了登录" in text and "授权码" in text and "QQ" in text
    assert rec.messages == [] and sent_lines(folder) == []


def test_one_recipient_refused_then_a_rerun_sends_exactly_the_missing_one(tmp_path):
    with smtp_server(Recorder(refuse={"s2@example.com"})) as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        first = CliRunner().invoke(main, ["send", str(book), "--month", MONTH, "--today", "2026-11-05"])
    assert first.exit_code == 1, first.output
    assert "服务器拒收收件人 s2@example.com" in first.output
    assert received(rec) == EVERY - {"s2@example.com"}
    with smtp_server() as (port2, rec2):
        book_with(tmp_path, port2)      # same workbook, the server is back (on another port)
        again = CliRunner().invoke(main, ["send", str(book), "--month", MONTH, "--today", "2026-11-05"])
    assert again.exit_code == 0, again.output
    assert [rcpts for _, rcpts, _ in rec2.messages] == [["s2@example.com"]]
    assert "已发送过跳过 3 封" in again.output
    assert {e.recipient for e in sent_lines(folder)} == EVERY


def test_server_gone_half_way_then_rerun_sends_the_rest(tmp_path):
    class Dies(Recorder):
        """Accepts two messages, then drops every connection at the next DATA."""

        async def handle_DATA(self, server, session, envelope):
            if len(self.messages) >= 2:
                server.transport.close()
                return None
            return await super().handle_DATA(server, session, envelope)

    with smtp_server(Dies()) as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        summary = mail.send(book, month=MONTH, today=TODAY)
    assert summary.exit_code == 1, summary.lines
    assert "连接中断" in "\n".join(summary.lines)
    first = received(rec)
    assert len(first) == 2 and len(sent_lines(folder)) == 2
    with smtp_server() as (port, rec2):
        book_with(tmp_path, port)
        rerun = mail.send(book, month=MONTH, today=TODAY)
    assert rerun.exit_code == 0, rerun.lines
    assert sorted(r for _, rcpts, _ in rec2.messages for r in rcpts) == sorted(EVERY - first)


def test_message_too_large_for_the_server(tmp_path):
    with smtp_server(data_size_limit=5000) as (port, rec):
        book = book_with(tmp_path, port)
        folder = month_reports(book)
        summary = mail.send(book, month=MONTH, today=TODAY)
    assert summary.exit_code == 1
    assert "邮件太大" in "\n".join(summary.lines)
    assert rec.messages == [] and sent_lines(folder) == []


def test_missing_password_refuses_before_connecting(tmp_path, monkeypatch):
    monkeypatch.delenv("SALESBOOK_SMTP_PASSWORD", raising=False)
    with smtp_server() as (port, rec):
        book = book_with(tmp_path, port, security="无", user=USER)
        month_reports(book)
        result = CliRunner().invoke(main, ["send", str(book), "--month", MONTH, "--today", "2026-11-05"])
    assert result.exit_code == 2
    assert "set-password" in result.output and "SALESBOOK_SMTP_PASSWORD" in result.output
    assert rec.messages == []


def test_inconsistent_encryption_and_port_are_refused(tmp_path):
    book = book_with(tmp_path, 465, security="STARTTLS")
    month_reports(book)
    result = CliRunner().invoke(main, ["send", str(book), "--month", MONTH, "--today", "2026-11-05"])
    assert result.exit_code == 2
    assert "不匹配" in result.output and "587" in result.output


def test_an_invalid_smtp_setting_is_refused_with_its_row(tmp_path):
    from builders import settings_rows, write_book
    from test_mail_kit import PEOPLE

    book = write_book(tmp_path / "台账.xlsx", staff=PEOPLE, settings=settings_rows(
        发件人邮箱=USER, SMTP服务器="127.0.0.1", SMTP端口="二十五", SMTP加密="TLS"))
    month_reports(book)
    result = CliRunner().invoke(main, ["send", str(book), "--month", MONTH, "--today", "2026-11-05"])
    assert result.exit_code == 2
    assert "SMTP端口" in result.output and "SMTP加密" in result.output and "第 " in result.output


def test_no_sender_address_is_refused_before_connecting(tmp_path):
    from builders import settings_rows, write_book
    from test_mail_kit import PEOPLE

    with smtp_server() as (port, rec):
        book = write_book(tmp_path / "台账.xlsx", staff=PEOPLE, settings=settings_rows(
            SMTP服务器="127.0.0.1", SMTP端口=port, SMTP加密="无"))
        month_reports(book)
        result = CliRunner().invoke(main, ["send", str(book), "--month", MONTH, "--today", "2026-11-05"])
    assert result.exit_code == 2 and "发件人邮箱" in result.output
    assert rec.messages == []
