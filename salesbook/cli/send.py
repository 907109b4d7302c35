"""`salesbook send` (发送报表) and `salesbook mail set-password`."""
from __future__ import annotations

import getpass
import sys

import click

from ..errors import WorkbookError
from .common import (BOOK, LANG, TODAY, T, book_path, day_option, defect, fail, lang_of, month_option,
                     week_option)


@click.command("send", help=T(
    "把这一期的报表发给各自的收件人, 每封只发一次(发送报表)。\n\n"
    "退出码: 0 应发的都已发出; 1 部分失败(其余已发出); 2 一封也发不出(连不上服务器、设置有误)。",
    "E-mail the period's reports to their recipients, each message once.\n\n"
    "Exit status: 0 everything due was sent, 1 some messages failed (the rest were sent), "
    "2 nothing could be sent (no server, bad settings)."))
@BOOK
@click.option("--date", "day", metavar="YYYY-MM-DD", help=T("日报的日期", "Day of the daily reports"))
@click.option("--week", metavar="YYYY-Www", help=T("周报的周, 如 2026-W42", "ISO week of the weekly reports"))
@click.option("--month", metavar="YYYY-MM", help=T("月报、工资条的月份", "Month of the monthly reports and statements"))
@click.option("--kind", type=click.Choice(["daily", "weekly", "monthly", "statement", "all"]), default="all",
              show_default=True, help=T("发送哪类报表", "Which reports"))
@click.option("--out", "out", metavar=T("文件夹", "DIR"), default=None,
              help=T("报表文件夹(有 manifest.json)。默认: <台账名>-报表/<期间>/, 缺的报表先生成。",
                     "Report folder (with manifest.json). Default: <workbook>-报表/<period>/; missing "
                     "reports are generated first."))
@click.option("--dry-run", is_flag=True, help=T("只列出每封邮件(收件人、主题、附件、大小), 不发送。",
                                                "List every message (recipient, subject, attachments, size); send nothing."))
@click.option("--resend", is_flag=True, help=T("发送记录里已发过的也重新发送。", "Send again what was already sent."))
@click.option("--outbox", metavar=T("文件夹", "DIR"), default=None,
              help=T("不发送, 每封邮件写成一个 .eml 文件放到这个文件夹。",
                     "Write one .eml file per message into DIR instead of sending."))
@LANG
@TODAY
def send(book, day, week, month, kind, out, dry_run, resend, outbox, lang, today):
    from pathlib import Path

    from .. import mail

    lang = lang_of(lang)
    try:
        path = book_path(book)
        options = dict(kind=kind, date=day_option(day), week=week_option(week), month=month_option(month),
                       out=Path(out) if out else None, lang=lang, today=day_option(today))
        box = Path(outbox) if outbox else None
        if dry_run:
            click.echo(mail.plan_text(path, resend=resend, outbox=box, **options))
            return
        bar = _Progress() if sys.stderr.isatty() else None
        summary = mail.send(path, resend=resend, outbox=box, progress=bar, **options)
    except WorkbookError as exc:
        fail(exc, lang)
    except Exception as exc:   # a defect of ours (Defect or not): logged, never a traceback
        defect(exc, lang)
    for line in summary.lines:
        click.echo(line)
    sys.exit(summary.exit_code)


class _Progress:
    """One rewritten line on a terminal: 12/200 subject → address."""

    def __call__(self, i: int, n: int, text: str) -> None:
        line = f"{i}/{n} {text}" if n else text
        click.echo(f"\r{line[:100]:<100}", nl=i == n, err=True)


@click.group("mail", help=T("不保存在台账里的邮件设置(SMTP 密码)。", "Mail settings kept outside the workbook."))
def mail_group():
    pass


@mail_group.command("set-password", help=T(
    "把 SMTP 密码(授权码)保存到系统密码库, 不写进台账。", "Store the SMTP password in the OS keyring, never in the workbook."))
@click.argument("book", required=False, metavar=T("台账.xlsx", "BOOK.xlsx"))
@click.option("--user", help=T("SMTP 用户名(默认: 台账「参数」的 SMTP用户名)", "SMTP user (default: from BOOK)"))
@click.option("--host", help=T("SMTP 服务器(默认: 台账「参数」的 SMTP服务器)", "SMTP server (default: from BOOK)"))
@LANG
def set_password(book, user, host, lang):
    from ..mail.password import store

    lang = lang_of(lang)
    try:
        if book is not None and not (user and host):
            from ..reader import load
            from ..settings import read_settings

            settings, _ = read_settings(load(book_path(book), sheets=("settings",)).tables["settings"])
            user, host = user or settings.smtp_user, host or settings.smtp_host
        if not user or not host:
            raise WorkbookError("请给出台账(读取「参数」表的 SMTP用户名 和 SMTP服务器), 或用 --user 和 --host 指定。",
                                "Give the workbook (its SMTP用户名 and SMTP服务器 are used) or --user and --host.")
        prompt = ("SMTP password / authorisation code: " if lang == "en"
                  else f"{user} 的 SMTP 密码/授权码(输入时不显示): ")
        password = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise WorkbookError("没有输入密码, 什么也没保存。", "No password given; nothing stored.")
        where = store(user, host, password)
    except WorkbookError as exc:
        fail(exc, lang)
    click.echo(f"已把 {user}@{host} 的密码保存到系统密码库({where})。" if lang != "en"
               else f"Stored the password of {user}@{host} in the system keyring ({where}).")
