"""`salesbook report …`: 日报 / 周报 / 月报 / 工资条 as HTML + XLSX + PDF (the workbook is only read)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..errors import Defect, WorkbookError
from .common import BOOK, LANG, TODAY, T, book_path, day_option, defect, fail, lang_of

OUT_DIR = click.option("--out", "out", metavar=T("文件夹", "DIR"), default=None,
                       help=T("报表和 manifest.json 写到这个文件夹。默认: <台账所在文件夹>/<台账名>-报表/<期间>/。",
                              "Write the reports and manifest.json into DIR. "
                              "Default: <workbook folder>/<workbook name>-报表/<period>/."))
FORMAT = click.option("--format", "formats", default="html,xlsx,pdf", show_default=True,
                      help=T("要写的格式, 用逗号分隔(NAME.json 总会写)。",
                             "Formats to write, comma separated (NAME.json is always written)."))


@click.group(help=T("从模板生成报表: 日报 / 周报 / 月报 / 工资条 (HTML + XLSX + PDF)。台账只读不改。",
                    "Reports from templates: 日报 / 周报 / 月报 / 工资条 (HTML + XLSX + PDF). BOOK is only read."))
def report():
    pass


def _run(book: str, kind: str, period, *, out, formats, lang, today, person=None) -> None:
    from .. import reports

    lang = lang_of(lang)
    started = time.perf_counter()
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not sys.stderr.isatty() or total < 2:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="生成报表" if lang != "en" else "Rendering",
                                    file=sys.stderr)
            bar.__enter__()
        bar.length = max(bar.length, total)    # the total grows while contexts are built
        bar.update(done - bar.pos)

    try:
        path = book_path(book)
        if not path.exists():
            raise WorkbookError(f"找不到文件「{book}」, 请检查路径。", f"File '{book}' not found: check the path.")
        manifest = reports.generate(path, kind, period, out=Path(out) if out else None, formats=formats,
                                    lang=lang, today=day_option(today), person=person, progress=progress)
    except WorkbookError as exc:
        fail(exc, lang)
    except Defect as exc:
        defect(exc, lang)
    except Exception as exc:  # a bug of ours: logged, never a traceback
        defect(exc, lang)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    _summary(manifest, kind, time.perf_counter() - started, lang)


def _summary(manifest: Path, kind: str, secs: float, lang: str) -> None:
    from ..reports.manifest import summary_lines

    for line in summary_lines(manifest, kind, lang, secs=secs):
        click.echo(line)


@report.command(help=T(
    "日报: 每人当天的拜访、新增客户、签约、回款和明天的跟进计划。\n\n"
    "示例 (Example): salesbook report daily 台账.xlsx --date 2026-10-05 --person S001",
    "日报: each person's visits, new customers, contracts, payments and tomorrow's follow-ups.\n\n"
    "Example: salesbook report daily 台账.xlsx --date 2026-10-05 --person S001"))
@BOOK
@click.option("--date", "day", metavar="YYYY-MM-DD", help=T("哪一天。默认: 今天。", "The day. Default: today."))
@click.option("--person", metavar=T("工号", "ID"), help=T("只出此人的。默认: 当天有活动的每个人。",
                                                         "Only this person. Default: everybody with activity that day."))
@OUT_DIR
@FORMAT
@LANG
@TODAY
def daily(book, day, person, out, formats, lang, today):
    _run(book, "daily", day, out=out, formats=formats, lang=lang, today=today, person=person)


@report.command(help=T(
    "周报: 部门和每个小组的一周(周一到周日), 与上周对比。\n\n"
    "示例 (Example): salesbook report weekly 台账.xlsx --week 2026-W42",
    "周报: the department's and each 小组's week, against the week before.\n\n"
    "Example: salesbook report weekly 台账.xlsx --week 2026-W42"))
@BOOK
@click.option("--week", metavar="YYYY-Www", help=T("ISO 周(周一到周日)。默认: 上一个完整的周。",
                                                  "ISO week (Monday–Sunday). Default: the last complete week."))
@OUT_DIR
@FORMAT
@LANG
@TODAY
def weekly(book, week, out, formats, lang, today):
    _run(book, "weekly", week, out=out, formats=formats, lang=lang, today=today)


@report.command(help=T(
    "月报: 按人/小组/大区的目标与业绩、提成、客户开发、应收账龄。\n\n"
    "示例 (Example): salesbook report monthly 台账.xlsx --month 2026-10",
    "月报: targets and results by person/小组/大区, pay, customers, receivables ageing.\n\n"
    "Example: salesbook report monthly 台账.xlsx --month 2026-10"))
@BOOK
@click.option("--month", metavar="YYYY-MM", help=T("月份。默认: 上一个完整的月。", "Month. Default: the last full month."))
@OUT_DIR
@FORMAT
@LANG
@TODAY
def monthly(book, month, out, formats, lang, today):
    _run(book, "monthly", month, out=out, formats=formats, lang=lang, today=today)


@report.command(help=T(
    "工资条: 每个领薪人一份个人提成明细, 只含本人的数字。\n\n"
    "示例 (Example): salesbook report statement 台账.xlsx --month 2026-10 --person S001",
    "工资条: one pay statement (个人提成明细) per paid person, showing only that person.\n\n"
    "Example: salesbook report statement 台账.xlsx --month 2026-10 --person S001"))
@BOOK
@click.option("--month", metavar="YYYY-MM", help=T("月份。默认: 上一个完整的月。", "Month. Default: the last full month."))
@click.option("--person", metavar=T("工号", "ID"), help=T("只出此人的。默认: 当月工资表上的每个人。",
                                                         "Only this person. Default: everybody on the month's payroll."))
@OUT_DIR
@FORMAT
@LANG
@TODAY
def statement(book, month, person, out, formats, lang, today):
    _run(book, "statement", month, out=out, formats=formats, lang=lang, today=today, person=person)


@report.command(help=T(
    "把默认报表模板写到一个文件夹里修改(台账旁的「模板」文件夹优先于默认模板)。\n\n"
    "示例 (Example): salesbook report templates --export 模板",
    "Write our report templates into a folder to edit (模板 beside the workbook overrides ours).\n\n"
    "Example: salesbook report templates --export 模板"))
@click.option("--export", "target", required=True, metavar=T("文件夹", "DIR"),
              help=T("把默认模板写到这个文件夹(通常是台账旁的「模板」)。",
                     "Folder to write the default templates into (usually 模板 beside the workbook)."))
@click.option("--force", is_flag=True, help=T("覆盖文件夹里已有的模板。", "Overwrite templates already in the folder."))
@LANG
def templates(target: str, force: bool, lang: str | None):
    from ..reports.render import templating

    lang = lang_of(lang)
    target = Path(target)
    written = templating.export(target, force=force)
    kept = len(templating.template_names()) - len(written)
    if lang == "en":
        click.echo(f"Wrote {len(written)} template(s) into {target}" + (f"; kept {kept} existing (use --force)" if kept else "")
                   + f". Put the folder beside the workbook as {templating.COMPANY_FOLDER} to use them.")
    else:
        click.echo(f"已把 {len(written)} 个模板写入 {target}" + (f", 已有的 {kept} 个未覆盖(加 --force 覆盖)" if kept else "")
                   + f"。把该文件夹放在台账旁边并命名为「{templating.COMPANY_FOLDER}」即可生效。")
