"""`salesbook close BOOK`: the month close (月结) and its reopen (反结账)."""
from __future__ import annotations

import sys
import time

import click

from ..errors import Defect, UsageError, WorkbookError
from .common import BOOK, LANG, TODAY, T, book_path, day_option, defect, fail, lang_of, month_option, say


@click.command(short_help=T("月结: 锁定一个月的工资", "Close a month (lock its pay)"),
               help=T("月结: 检查数据 → 计算提成和工资 → 生成报表 → 锁定。锁定后该月的数字不再改变; "
                      "以后改动该月的数据, 差额会在下一个未结账月份作为「追溯调整」计入「调整」。\n\n"
                      "\b\n示例: salesbook close 台账.xlsx --month 2026-10 --operator 张三\n"
                      "      salesbook close 台账.xlsx --month 2026-10 --reopen --reason \"回款录错\"\n\n"
                      "退出码: 0 = 已结账(或已结账且数据未变、已反结账); 1 = 没有结账(数据有错误, 或已结账月份的数据有变动); "
                      "2 = 工作簿或参数无法使用; 3 = 内部错误。",
                      "Close a month: check → compute pay → reports → lock. A closed month's figures never change; "
                      "a later edit of its data is paid in the next open month as a retro adjustment.\n\n"
                      "\b\nExamples: salesbook close book.xlsx --month 2026-10 --operator Ann\n"
                      "          salesbook close book.xlsx --month 2026-10 --reopen --reason \"payment typo\"\n\n"
                      "Exit codes: 0 closed (or closed and unchanged, or reopened); 1 not closed (errors in the data, "
                      "or a closed month's data changed); 2 the workbook or an argument cannot be used; 3 internal error."))
@BOOK
@click.option("--month", metavar="YYYY-MM",
              help=T("要结账的月份。默认: 上一个完整月份。", "Month to close. Default: the last full month."))
@click.option("--operator", metavar=T("姓名", "NAME"),
              help=T("操作人, 写进月结记录。默认: 电脑的登录用户名。",
                     "Operator written into 月结记录. Default: the OS user name."))
@click.option("--reopen", is_flag=True, help=T("反结账(撤销这个月的锁定), 需要 --reason。",
                                               "Reopen the month (undo its lock); needs --reason."))
@click.option("--reason", metavar=T("原因", "TEXT"), help=T("反结账的原因, 写进月结记录。",
                                                         "Why the month is reopened (written into 月结记录)."))
@TODAY
@LANG
def close(book: str, month: str | None, operator: str | None, reopen: bool, reason: str | None,
          today: str | None, lang: str | None):
    from .. import api

    lang = lang_of(lang)
    started = time.perf_counter()

    shown = {"head": None}

    def progress(text: str) -> None:
        """One line per step on a terminal; a step that counts (报表 12/280) rewrites its line."""
        if not sys.stderr.isatty():
            return
        head = text.rstrip("…. ").rstrip("0123456789/ ")
        again = head == shown["head"]
        click.echo(("\r\x1b[K" if again else ("\n" if shown["head"] else "")) + text, err=True, nl=False)
        shown["head"] = head

    try:
        path = book_path(book)
        if reason and not reopen:
            raise UsageError("--reason 只用于反结账(--reopen)。", "--reason goes with --reopen.")
        if reopen:
            if not month:
                raise UsageError("反结账要指定月份: --month YYYY-MM。", "A reopen needs --month YYYY-MM.")
            result = api.reopen(path, month=month_option(month), reason=reason or "", operator=operator, lang=lang,
                                today=day_option(today))
        else:
            result = api.close(path, month=month_option(month), operator=operator, lang=lang,
                               today=day_option(today), progress=progress)
    except WorkbookError as exc:
        fail(exc, lang)
    except Defect as exc:
        defect(exc, lang)
    finally:
        if shown["head"]:
            click.echo("", err=True)
    for line in result.summary:
        click.echo(line)
    if result.wrote:
        click.echo(say(lang, f"(用时 {time.perf_counter() - started:.1f} 秒)", f"({time.perf_counter() - started:.1f} s)"))
    sys.exit(result.exit_code)
