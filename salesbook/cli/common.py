"""What every `salesbook` command shares: one language per run, the common arguments and
options with Chinese (or English) messages, and one way to end a run.

Language: Chinese unless the run asks for English (`--lang en`, `SALESBOOK_LANG=en`, or an
English locale in LANG / LC_ALL). Help texts, click's own errors and our messages all
follow it, so a run never mixes two languages.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from ..domain.calendar import Day, Month, Week
from ..errors import Defect, UsageError, WorkbookError


def ui_lang(argv: list[str] | None = None) -> str:
    argv = sys.argv[1:] if argv is None else argv
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "zh"
    env = os.environ.get("SALESBOOK_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "en" if env.lower().startswith("en") else "zh"


LANG_UI = ui_lang()


def T(zh: str, en: str) -> str:
    """The text of this run's language (help texts are chosen when the CLI is built)."""
    return en if LANG_UI == "en" else zh


def say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


# --- arguments and options ------------------------------------------------------------

LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                    help=T("提示语言: zh(默认)或 en。写进工作簿的内容跟随工作簿本身的语言。",
                           "Language of messages: zh (default) or en. What is written into the workbook "
                           "follows the workbook's own language."))
BOOK = click.argument("book", metavar=T("台账.xlsx", "BOOK.xlsx"))
TODAY = click.option("--today", metavar="YYYY-MM-DD", default=None,
                     help=T("把这一天当作今天(重算过去某天时用)。默认: 今天。",
                            "Treat this date as today (to re-run a past day). Default: today."))
OUT = click.option("-o", "--out", metavar=T("文件.xlsx", "FILE.xlsx"), default=None,
                   help=T("把结果写到这个新文件, 不改动原台账。", "Write the result to this file instead of BOOK."))


def lang_of(lang: str | None) -> str:
    return lang or LANG_UI


def day_option(value: str | None) -> dt.date | None:
    return None if value is None else Day.parse(value).date


def month_option(value: str | None) -> str | None:
    return None if value is None else Month.parse(value).label


def week_option(value: str | None) -> str | None:
    return None if value is None else Week.parse(value).label


def book_path(value: str) -> Path:
    """The workbook argument: a file that exists (checked here so the message is ours)."""
    path = Path(value)
    if path.is_dir():
        raise UsageError(f"「{value}」是一个文件夹, 不是台账文件。请给出 .xlsx 文件的路径。",
                         f"'{value}' is a folder, not a workbook: give the path of an .xlsx file.")
    return path


def out_path(value: str | None) -> Path | None:
    """--out: an .xlsx/.xlsm file in a folder that exists."""
    if value is None:
        return None
    path = Path(value)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(f"--out 应为 .xlsx 或 .xlsm 文件(收到「{value}」)。",
                         f"--out must be an .xlsx or .xlsm file (got '{value}').")
    if not path.parent.exists():
        raise UsageError(f"--out 的文件夹「{path.parent}」不存在。请先建好文件夹, 或换一个路径。",
                         f"The folder of --out, '{path.parent}', does not exist.")
    if path.is_dir():
        raise UsageError(f"--out「{value}」是一个文件夹。", f"--out '{value}' is a folder.")
    return path


# --- ending a run ----------------------------------------------------------------------

def fail(exc: WorkbookError, lang: str) -> None:
    click.echo(say(lang, "错误: ", "Error: ") + exc.text(lang), err=True)
    sys.exit(2)


def defect(exc: BaseException, lang: str) -> None:
    """A bug of ours: the traceback goes to a log, the user is told where it is (exit 3)."""
    from ..defects import write_log

    log = write_log("cli")
    text = exc.text(lang) if isinstance(exc, Defect) else f"{type(exc).__name__}: {exc}"
    click.echo(say(lang,
                   f"内部错误(salesbook 的问题, 不是您的数据有误): {text}\n"
                   f"没有写入任何内容。详细信息已保存到: {log}, 请发给负责 salesbook 的同事。",
                   f"Internal error (a bug in salesbook, not in your workbook): {text}\n"
                   f"Nothing was written. Details: {log}"), err=True)
    sys.exit(3)


class Group(click.Group):
    """The top-level group: every failure ends with a message and an exit code, never a traceback."""

    def main(self, args=None, prog_name=None, **extra):
        from .click_zh import use

        args = list(sys.argv[1:] if args is None else args)
        lang = ui_lang(args)
        use(lang)
        try:
            rv = super().main(args=args, prog_name=prog_name or "salesbook", standalone_mode=False, **extra)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.ClickException as e:
            click.echo(say(lang, "错误: ", "Error: ") + e.format_message(), err=True)
            click.echo(say(lang, "运行 salesbook --help 查看用法。", "Run salesbook --help for usage."), err=True)
            sys.exit(2)
        except click.exceptions.Abort:
            click.echo(say(lang, "已取消。", "Cancelled."), err=True)
            sys.exit(1)
        except WorkbookError as e:
            fail(e, lang)
        except SystemExit:
            raise
        except BaseException as e:  # noqa: BLE001 - the last line of defence: no traceback ever
            if isinstance(e, KeyboardInterrupt):
                click.echo(say(lang, "已中断, 台账未改动。", "Interrupted; the workbook is unchanged."), err=True)
                sys.exit(130)
            defect(e, lang)
        sys.exit(rv if isinstance(rv, int) else 0)
