"""The `salesbook` command: the same engine as the ribbon, on the workbook file alone.

Each command is thin: parse the options (salesbook.cli.common), call salesbook.api,
hand the Outcome to the one workbook writer (salesbook.xlsx), print the summary, exit.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .. import api
from ..errors import Defect, WorkbookError
from .common import (BOOK, LANG, LANG_UI, OUT, TODAY, T, Group, book_path, day_option, defect, fail,
                     lang_of, month_option, out_path, say)

EXIT_CODES = T(
    "退出码: 0 = 没有错误; 1 = 数据里有错误(结果照常写出); 2 = 工作簿或参数无法使用(不是 xlsx、缺工作表、"
    "列标题被改、文件被占用、日期写错……, 提示里会说明怎么处理); 3 = salesbook 内部错误(已写日志)。",
    "Exit codes: 0 no errors; 1 the data has errors (results are still written); 2 the workbook or an "
    "argument cannot be used (the message says how to fix it); 3 internal error (logged).")


def write_and_report(compute, book: str, out: str | None, lang: str | None) -> None:
    """Compute an Outcome, write it into the workbook, print the summary, exit with its code."""
    from ..xlsx import write_outcome

    lang = lang_of(lang)
    started = time.perf_counter()
    try:
        path, target = book_path(book), out_path(out)
        outcome = compute(path)
        written = write_outcome(path, outcome.sheets, outcome.highlights, out=target)
    except WorkbookError as exc:
        fail(exc, lang)
    except Defect as exc:
        defect(exc, lang)
    for line in outcome.summary:
        click.echo(line)
    names = say(lang, "、", ", ").join(outcome.sheets)
    secs = time.perf_counter() - started
    click.echo(say(lang, f"已写入 {written} 的工作表: {names}(用时 {secs:.1f} 秒)。",
                   f"Wrote {names} into {written} ({secs:.1f} s)."))
    sys.exit(outcome.exit_code)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             help=T("salesbook: 销售台账的检查、客户归属、提成计算。\n\n"
                    "在 Excel「销售管理」选项卡上点按钮, 或在命令行运行这些命令, 用的是同一套计算。\n\n",
                    "salesbook: checks, customer ownership and pay for the sales workbook.\n\n"
                    "The buttons of the Excel 销售管理 tab run the same engine as these commands.\n\n")
             + EXIT_CODES)
@click.version_option(package_name="salesbook", message="%(prog)s %(version)s")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, expose_value=False,
              help=T("提示语言(也可写在命令之后)。", "Language of messages (may also follow the command)."))
def main():
    pass


@main.command(short_help=T("新建空白台账", "Create a new, empty workbook"),
              help=T("新建一个空白的、可以直接录入的台账 BOOK(列标题、下拉框、日期格式和「说明」表都已设好)。\n\n"
                     "示例: salesbook init 我的台账.xlsx",
                     "Create a new, empty, ready-to-type workbook BOOK (headers, dropdowns, formats and a "
                     "guide sheet).\n\nExample: salesbook init book.xlsx"))
@BOOK
@click.option("--force", is_flag=True, help=T("覆盖已有的文件。", "Overwrite an existing file."))
@LANG
def init(book: str, force: bool, lang: str | None):
    from ..template import build_template

    lang = lang_of(lang)
    try:
        path = build_template(book_path(book), lang=lang, force=force)
    except WorkbookError as exc:
        fail(exc, lang)
    click.echo(say(lang, f"已创建空白台账: {path}", f"Created {path}"))


@main.command(short_help=T("检查数据(校验)", "Check every input sheet"),
              help=T("检查每个输入表, 把问题写进「校验结果」并在出错的单元格上标色、加批注(检查数据)。\n\n"
                     "示例: salesbook validate 台账.xlsx --month 2026-10\n\n" + EXIT_CODES,
                     "Check every input sheet; write 校验结果 and mark the cells with problems.\n\n"
                     "Example: salesbook validate book.xlsx --month 2026-10\n\n" + EXIT_CODES))
@BOOK
@OUT
@LANG
@TODAY
@click.option("--month", metavar="YYYY-MM",
              help=T("检查这个月的目标是否齐全。默认: 上一个完整月份(与计算提成相同)。",
                     "Month whose targets are checked. Default: the last full month (as for commission)."))
def validate(book: str, out: str | None, lang: str | None, today: str | None, month: str | None):
    write_and_report(lambda p: api.validate(p, lang=lang_of(lang), today=day_option(today),
                                            month=month_option(month)), book, out, lang)


@main.command(short_help=T("客户归属", "Work out who owns each customer"),
              help=T("按争单管理制度算出每个客户归谁, 写入「客户归属」和「归属记录」。\n\n"
                     "示例: salesbook assign 台账.xlsx --as-of 2026-10-31",
                     "Work out who owns each customer; write 客户归属 and 归属记录.\n\n"
                     "Example: salesbook assign book.xlsx --as-of 2026-10-31"))
@BOOK
@OUT
@LANG
@TODAY
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help=T("算到这一天为止的归属。默认: 今天; 晚于今天时会提示。",
                     "Ownership as on this date. Default: today; a later date is computed with a warning."))
def assign(book: str, out: str | None, lang: str | None, today: str | None, as_of: str | None):
    write_and_report(lambda p: api.assign(p, as_of=day_option(as_of), lang=lang_of(lang),
                                          today=day_option(today)), book, out, lang)


@main.command(short_help=T("计算提成和工资", "Compute commission and pay"),
              help=T("计算一个月的业绩、提成和应发工资, 写入「业绩提成」和「提成明细」(每一行写明依据)。\n\n"
                     "\b\n示例: salesbook commission 台账.xlsx --month 2026-10\n"
                     "      salesbook commission 台账.xlsx --month 2026-10 --explain S015   (只打印, 不改台账)\n"
                     "      salesbook commission 台账.xlsx --plan 新方案.xlsx              (写「方案对比」)",
                     "Compute a month's sales, commission and pay; write 业绩提成 and 提成明细.\n\n"
                     "\b\nExamples: salesbook commission book.xlsx --month 2026-10\n"
                     "          salesbook commission book.xlsx --explain S015   (prints only)\n"
                     "          salesbook commission book.xlsx --plan plan.xlsx (writes 方案对比)"))
@BOOK
@OUT
@LANG
@TODAY
@click.option("--month", metavar="YYYY-MM",
              help=T("要计算的月份。默认: 上一个完整月份; 还没开始的月份会被拒绝。",
                     "Month to compute. Default: the last full month; a month that has not started is refused."))
@click.option("--explain", metavar=T("工号", "STAFF_ID"),
              help=T("逐行打印这个人的工资是怎么算出来的(只打印, 不改动台账)。",
                     "Print how this person's pay was built, line by line (the workbook is not changed)."))
@click.option("--plan", metavar=T("方案.xlsx", "PLAN.xlsx"),
              help=T("另一套提成方案/绩效系数的工作簿: 写一张「方案对比」表。",
                     "Workbook with an alternative 提成方案/绩效系数: writes a 方案对比 sheet."))
def commission(book: str, out: str | None, lang: str | None, today: str | None, month: str | None,
               explain: str | None, plan: str | None):
    if explain:
        lang_ = lang_of(lang)
        try:
            click.echo(api.explain(book_path(book), explain, month=month_option(month), lang=lang_,
                                   today=day_option(today)))
        except WorkbookError as exc:
            fail(exc, lang_)
        return
    plan_path = book_path(plan) if plan else None
    write_and_report(lambda p: api.commission(p, month=month_option(month), lang=lang_of(lang),
                                              today=day_option(today), plan=plan_path), book, out, lang)


@main.command(short_help=T("生成演示台账并运行一遍", "Generate a demo workbook and run everything"),
              help=T("在 DIRECTORY(默认 salesbook-demo)生成一个演示公司的台账, 并把检查、归属、提成都运行一遍。\n\n"
                     "示例: salesbook demo",
                     "Generate a demo company workbook in DIRECTORY (default salesbook-demo) and run every "
                     "command on it.\n\nExample: salesbook demo"))
@click.argument("directory", required=False, default="salesbook-demo", metavar="DIRECTORY")
@click.option("--scale", type=click.Choice(["small", "large", "xlarge"]), default="small", show_default=True,
              help=T("数据量", "Data size"))
@click.option("--seed", type=int, default=7, show_default=True, help=T("随机种子", "Random seed"))
@TODAY
@LANG
def demo(directory: str, scale: str, seed: int, today: str | None, lang: str | None):
    import datetime as dt
    import re

    from ..demo import write_demo
    from ..xlsx import write_outcome

    lang = lang_of(lang)
    today = day_option(today) or dt.date.today()
    directory = Path(directory)
    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    path = write_demo(directory, scale, seed=seed, today=today)
    click.echo(say(lang, f"演示台账已生成: {path}({time.perf_counter() - started:.1f} 秒)", f"Demo workbook: {path}"))
    steps = [
        ("validate", say(lang, "检查数据", "validate"), lambda: api.validate(path, lang=lang, today=today)),
        ("assign", say(lang, "客户归属", "ownership"), lambda: api.assign(path, lang=lang, today=today)),
        ("commission", say(lang, "计算提成", "pay"), lambda: api.commission(path, lang=lang, today=today)),
    ]
    # Every command ends its summary with the findings count ("发现 6 个错误、…"); the demo
    # shows it once, under validate, and only each command's own lines after that.
    findings_line = re.compile(r"^(发现 \d+ 个错误|\d+ errors, \d+ warnings)")
    for name, title, step in steps:
        t0 = time.perf_counter()
        outcome = step()
        write_outcome(path, outcome.sheets, outcome.highlights)
        lines = outcome.summary
        if name != "validate":
            cut = next((i for i, line in enumerate(lines) if findings_line.match(line)), len(lines))
            lines = lines[:cut]
        click.echo(f"\n== salesbook {name} ({title}) ==")
        for line in lines:
            click.echo(line)
        click.echo(say(lang, f"→ 写入工作表: {'、'.join(outcome.sheets)}({time.perf_counter() - t0:.1f} 秒)",
                       f"→ wrote {', '.join(outcome.sheets)} ({time.perf_counter() - t0:.1f} s)"))
    click.echo(say(lang, f"\n完成。用 Excel 打开 {path} 查看结果。", f"\nDone. Open {path} in Excel to see the results."))


from ..addin.cli import excel  # noqa: E402  (the group is defined with the add-in builder)

main.add_command(excel)

from .report import report  # noqa: E402

main.add_command(report)

from .close import close  # noqa: E402
from .send import mail_group, send  # noqa: E402

main.add_command(close); main.add_command(send); main.add_command(mail_group)

__all__ = ["main", "LANG_UI"]
