"""The `salesbook` command: the same engine as the ribbon, on the workbook file alone."""
from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import click

from .. import api
from ..errors import Defect, WorkbookError

LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                    help="Language of messages and written sheets / 提示语言")
OUT = click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
                   help="Write the result to this file instead of updating BOOK in place.")
TODAY = click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="Treat this date as today (for re-running a past day). Default: today.")
BOOK = click.argument("book", type=click.Path(dir_okay=False, path_type=Path))


def _date(value) -> dt.date | None:
    return value.date() if value is not None else None


def _month(ctx, param, value):
    if value is None:
        return None
    try:
        dt.datetime.strptime(value, "%Y-%m")
    except ValueError:
        raise click.BadParameter(f"月份格式应为 YYYY-MM, 如 2026-03 (收到「{value}」)")
    return value


def _fail(exc: WorkbookError, lang: str) -> None:
    click.echo(("错误: " if lang != "en" else "Error: ") + exc.text(lang), err=True)
    sys.exit(2)


def _defect(exc: BaseException, lang: str) -> None:
    """A bug of ours: the traceback goes to a log, the user is told where it is (exit 3)."""
    from ..defects import write_log

    log = write_log("cli")
    text = exc.text(lang) if isinstance(exc, Defect) else str(exc)
    if lang == "en":
        click.echo(f"Internal error (a bug in salesbook, not in your workbook): {text}\n"
                   f"Nothing was written. Details: {log}", err=True)
    else:
        click.echo(f"内部错误(salesbook 的问题, 不是您的数据有误): {text}\n"
                   f"没有写入任何内容。详细信息已保存到: {log}, 请发给负责 salesbook 的同事。", err=True)
    sys.exit(3)


def _run(compute, book: Path, out: Path | None, lang: str) -> None:
    """Compute an Outcome, write it into the workbook, print the summary, exit with its code."""
    from ..xlsx import write_outcome

    started = time.perf_counter()
    try:
        outcome = compute()
        target = write_outcome(book, outcome.sheets, outcome.highlights, out=out)
    except WorkbookError as exc:
        _fail(exc, lang)
    except Defect as exc:
        _defect(exc, lang)
    for line in outcome.summary:
        click.echo(line)
    names = "、".join(outcome.sheets) if lang != "en" else ", ".join(outcome.sheets)
    secs = time.perf_counter() - started
    if lang == "en":
        click.echo(f"Wrote {names} into {target} ({secs:.1f} s).")
    else:
        click.echo(f"已写入 {target} 的工作表: {names}(用时 {secs:.1f} 秒)。")
    sys.exit(outcome.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="salesbook")
def main():
    """salesbook: 销售台账的检查、客户归属、提成计算 (the sales workbook engine)."""


@main.command()
@BOOK
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@LANG
def init(book: Path, force: bool, lang: str):
    """Create a new, empty, ready-to-type workbook BOOK (新建空白台账)."""
    from ..template import build_template

    try:
        path = build_template(book, lang=lang, force=force)
    except WorkbookError as exc:
        _fail(exc, lang)
    click.echo(f"已创建空白台账: {path}" if lang != "en" else f"Created {path}")


@main.command()
@BOOK
@OUT
@LANG
@TODAY
@click.option("--month", callback=_month, help="Month whose targets are checked (YYYY-MM). Default: this month.")
def validate(book: Path, out: Path | None, lang: str, today, month):
    """Check every input sheet; write 校验结果 and mark bad cells (检查数据).

    Exit status: 0 no 错误, 1 错误 found, 2 the workbook cannot be used.
    """
    _run(lambda: api.validate(book, lang=lang, today=_date(today), month=month), book, out, lang)


@main.command()
@BOOK
@OUT
@LANG
@TODAY
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Ownership as on this date (YYYY-MM-DD). Default: today.")
def assign(book: Path, out: Path | None, lang: str, today, as_of):
    """Work out who owns each customer; write 客户归属 and 归属记录 (客户归属)."""
    _run(lambda: api.assign(book, as_of=_date(as_of), lang=lang, today=_date(today)), book, out, lang)


@main.command()
@BOOK
@OUT
@LANG
@TODAY
@click.option("--month", callback=_month, help="Month to compute (YYYY-MM). Default: last full month.")
@click.option("--explain", metavar="工号", help="Print how this person's pay was built, line by line.")
@click.option("--plan", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Workbook with an alternative 提成方案/绩效系数: writes a 方案对比 sheet.")
def commission(book: Path, out: Path | None, lang: str, today, month, explain, plan):
    """Compute commissions and monthly pay; write 业绩提成 and 提成明细 (计算提成)."""
    _run(lambda: api.commission(book, month=month, lang=lang, today=_date(today), plan=plan, explain=explain),
         book, out, lang)


@main.command()
@click.argument("directory", required=False, default="salesbook-demo",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--scale", type=click.Choice(["small", "large", "xlarge"]), default="small", show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@TODAY
@LANG
def demo(directory: Path, scale: str, seed: int, today, lang: str):
    """Generate a demo company workbook in DIRECTORY and run every command on it (演示)."""
    from ..demo import write_demo

    today = _date(today) or dt.date.today()
    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    path = write_demo(directory, scale, seed=seed, today=today)
    click.echo(f"演示台账已生成: {path}({time.perf_counter() - started:.1f} 秒)" if lang != "en"
               else f"Demo workbook: {path}")
    steps = [
        ("validate", "检查数据", lambda: api.validate(path, lang=lang, today=today)),
        ("assign", "客户归属", lambda: api.assign(path, lang=lang, today=today)),
        ("commission", "计算提成", lambda: api.commission(path, lang=lang, today=today)),
    ]
    from ..xlsx import write_outcome

    for name, title, step in steps:
        t0 = time.perf_counter()
        outcome = step()
        write_outcome(path, outcome.sheets, outcome.highlights)
        click.echo(f"\n== salesbook {name} ({title}) ==")
        for line in outcome.summary:
            click.echo(line)
        click.echo(f"→ 写入工作表: {'、'.join(outcome.sheets)}({time.perf_counter() - t0:.1f} 秒)")
    click.echo(f"\n完成。用 Excel 打开 {path} 查看结果。")


from ..addin.cli import excel  # noqa: E402  (the group is defined with the add-in builder)

main.add_command(excel)

from .send import mail_group, send  # noqa: E402

main.add_command(send); main.add_command(mail_group)
