"""`salesbook report …`: 日报 / 周报 / 月报 / 工资条 as HTML + XLSX + PDF (the workbook is only read)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import BOOK, LANG, TODAY, _date, _defect, _fail
from ..errors import Defect, WorkbookError

OUT_DIR = click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
                       help="Write the reports and manifest.json into DIR. "
                            "Default: <workbook folder>/<workbook name>-报表/<period>/.")
FORMAT = click.option("--format", "formats", default="html,xlsx,pdf", show_default=True,
                      help="Formats to write, comma separated (NAME.json is always written).")


@click.group()
def report():
    """Reports from templates: 日报 / 周报 / 月报 / 工资条 (HTML + XLSX + PDF)."""


def _run(book: Path, kind: str, period, *, out, formats, lang, today, person=None) -> None:
    from .. import reports

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
        bar.update(done - bar.pos)

    try:
        manifest = reports.generate(book, kind, period, out=out, formats=formats, lang=lang,
                                    today=_date(today), person=person, progress=progress)
    except WorkbookError as exc:
        _fail(exc, lang)
    except Defect as exc:
        _defect(exc, lang)
    except Exception as exc:  # a bug of ours: logged, never a traceback
        _defect(exc, lang)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    _summary(manifest, kind, time.perf_counter() - started, lang)


def _summary(manifest: Path, kind: str, secs: float, lang: str) -> None:
    entries = [e for e in json.loads(manifest.read_text("utf-8"))["reports"] if e["kind"] == kind]
    counts: dict[str, int] = {}
    for e in entries:
        for fmt in e["files"]:
            counts[fmt] = counts.get(fmt, 0) + 1
    folder = manifest.parent
    if lang == "en":
        click.echo(f"{len(entries)} {kind} report(s) in {folder} ({secs:.1f} s): "
                   + ", ".join(f"{n} {k.upper()}" for k, n in counts.items()))
        for e in entries[:10]:
            click.echo(f"  {e['title']}: " + ", ".join(e["files"].values()))
        if len(entries) > 10:
            click.echo(f"  … and {len(entries) - 10} more (see manifest.json)")
        click.echo(f"Hand-over for e-mail: {manifest}")
        return
    word = {"daily": "日报", "weekly": "周报", "monthly": "月报", "statement": "工资条"}[kind]
    click.echo(f"已生成 {len(entries)} 份{word}, 保存在 {folder}(用时 {secs:.1f} 秒): "
               + "、".join(f"{k.upper()} {n} 个" for k, n in counts.items()))
    for e in entries[:10]:
        click.echo(f"  {e['title']}: " + "、".join(e["files"].values()))
    if len(entries) > 10:
        click.echo(f"  … 另有 {len(entries) - 10} 份, 见 manifest.json")
    click.echo(f"发送邮件用的清单: {manifest}")


@report.command()
@BOOK
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day. Default: today.")
@click.option("--person", metavar="工号", help="Only this person. Default: everybody with activity that day.")
@OUT_DIR
@FORMAT
@LANG
@TODAY
def daily(book, day, person, out, formats, lang, today):
    """日报: each person's visits, new customers, contracts, payments and tomorrow's follow-ups.

    Example: salesbook report daily 台账.xlsx --date 2026-10-05 --person S001
    """
    _run(book, "daily", day, out=out, formats=formats, lang=lang, today=today, person=person)


@report.command()
@BOOK
@click.option("--week", metavar="YYYY-Www", help="ISO week (Monday–Sunday). Default: the last complete week.")
@OUT_DIR
@FORMAT
@LANG
@TODAY
def weekly(book, week, out, formats, lang, today):
    """周报: the department's and each 小组's week, against the week before.

    Example: salesbook report weekly 台账.xlsx --week 2026-W42
    """
    _run(book, "weekly", week, out=out, formats=formats, lang=lang, today=today)


@report.command()
@BOOK
@click.option("--month", metavar="YYYY-MM", help="Default: the last full month.")
@OUT_DIR
@FORMAT
@LANG
@TODAY
def monthly(book, month, out, formats, lang, today):
    """月报: targets and results by person/小组/大区, pay, customers, receivables ageing.

    Example: salesbook report monthly 台账.xlsx --month 2026-10
    """
    _run(book, "monthly", month, out=out, formats=formats, lang=lang, today=today)


@report.command()
@BOOK
@click.option("--month", metavar="YYYY-MM", help="Default: the last full month.")
@click.option("--person", metavar="工号", help="Only this person. Default: everybody on the month's payroll.")
@OUT_DIR
@FORMAT
@LANG
@TODAY
def statement(book, month, person, out, formats, lang, today):
    """工资条: one pay statement (个人提成明细) per paid person, showing only that person.

    Example: salesbook report statement 台账.xlsx --month 2026-10 --person S001
    """
    _run(book, "statement", month, out=out, formats=formats, lang=lang, today=today, person=person)


@report.command()
@click.option("--export", "target", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the default templates into (usually 模板 beside the workbook).")
@click.option("--force", is_flag=True, help="Overwrite templates already in the folder.")
@LANG
def templates(target: Path, force: bool, lang: str):
    """Write our report templates into a folder to edit (模板 beside the workbook overrides ours).

    Example: salesbook report templates --export 模板
    """
    from ..reports.render import templating

    written = templating.export(target, force=force)
    kept = len(templating.template_names()) - len(written)
    if lang == "en":
        click.echo(f"Wrote {len(written)} template(s) into {target}" + (f"; kept {kept} existing (use --force)" if kept else "")
                   + f". Put the folder beside the workbook as {templating.COMPANY_FOLDER} to use them.")
    else:
        click.echo(f"已把 {len(written)} 个模板写入 {target}" + (f", 已有的 {kept} 个未覆盖(加 --force 覆盖)" if kept else "")
                   + f"。把该文件夹放在台账旁边并命名为「{templating.COMPANY_FOLDER}」即可生效。")
