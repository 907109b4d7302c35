"""`salesbook send` (发送报表) and `salesbook mail set-password`."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from ..errors import WorkbookError
from . import BOOK, LANG, TODAY, _date, _defect, _fail, _month


def _week(ctx, param, value):
    return value.upper() if value else None


@click.command("send")
@BOOK
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="日报的日期 (YYYY-MM-DD)")
@click.option("--week", callback=_week, help="周报的周 (YYYY-Www, 如 2026-W42)")
@click.option("--month", callback=_month, help="月报/工资条的月份 (YYYY-MM)")
@click.option("--kind", type=click.Choice(["daily", "weekly", "monthly", "statement", "all"]), default="all",
              show_default=True, help="Which reports / 发送哪类报表")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Report folder (with manifest.json). Default: <workbook>-报表/<period>/")
@click.option("--dry-run", is_flag=True, help="List every message (recipient, subject, attachments, size); send nothing.")
@click.option("--resend", is_flag=True, help="Send again what the send log says was already sent.")
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path),
              help="Write one .eml file per message into this folder instead of sending.")
@LANG
@TODAY
def send(book: Path, day, week, month, kind, out, dry_run, resend, outbox, lang, today):
    """E-mail the period's reports to their recipients, each message once (发送报表).

    Exit status: 0 everything due was sent, 1 some messages failed (the rest were sent),
    2 nothing could be sent (no server, bad settings).
    """
    from .. import mail

    options = dict(kind=kind, date=_date(day), week=week, month=month, out=out, lang=lang, today=_date(today))
    try:
        if dry_run:
            click.echo(mail.plan_text(book, resend=resend, outbox=outbox, **options))
            return
        bar = _Progress() if sys.stderr.isatty() else None
        summary = mail.send(book, resend=resend, outbox=outbox, progress=bar, **options)
    except WorkbookError as exc:
        _fail(exc, lang)
    except Exception as exc:   # a defect of ours (Defect or not): logged, never a traceback
        _defect(exc, lang)
    for line in summary.lines:
        click.echo(line)
    sys.exit(summary.exit_code)


class _Progress:
    """One rewritten line on a terminal: 12/200 subject → address."""

    def __call__(self, i: int, n: int, text: str) -> None:
        line = f"{i}/{n} {text}" if n else text
        click.echo(f"\r{line[:100]:<100}", nl=i == n, err=True)


@click.group("mail")
def mail_group():
    """E-mail settings that do not live in the workbook (邮件设置)."""


@mail_group.command("set-password")
@click.argument("book", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--user", help="SMTP 用户名 (default: 参数 SMTP用户名 of BOOK)")
@click.option("--host", help="SMTP 服务器 (default: 参数 SMTP服务器 of BOOK)")
@LANG
def set_password(book, user, host, lang):
    """Store the SMTP password (授权码) in the OS keyring, never in the workbook."""
    from ..mail.password import store

    try:
        if book is not None and not (user and host):
            from ..reader import load
            from ..settings import read_settings

            settings, _ = read_settings(load(book, sheets=("settings",)).tables["settings"])
            user, host = user or settings.smtp_user, host or settings.smtp_host
        if not user or not host:
            raise WorkbookError("请给出工作簿(读取「参数」表的 SMTP用户名 和 SMTP服务器), 或用 --user 和 --host 指定。",
                                "Give the workbook (its SMTP用户名 and SMTP服务器 are used) or --user and --host.")
        prompt = "SMTP password / authorisation code: " if lang == "en" else f"{user} 的 SMTP 密码/授权码(输入时不显示): "
        password = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise WorkbookError("没有输入密码, 什么也没保存。", "No password given; nothing stored.")
        where = store(user, host, password)
    except WorkbookError as exc:
        _fail(exc, lang)
    click.echo(f"已把 {user}@{host} 的密码保存到系统密码库({where})。" if lang != "en"
               else f"Stored the password of {user}@{host} in the system keyring ({where}).")
