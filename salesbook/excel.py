"""Entry points of the 销售管理 ribbon: RunPython "import salesbook.excel as sb; sb.<entry>()".

One function per row of salesbook.commands.COMMANDS. The flow is the CLI's, on the file:
(commands that only read the workbook, like the reports, skip the write and open the
folder they wrote to instead)
the workbook is saved, the engine reads the FILE (fast reader) and computes an Outcome,
then the workbook is closed, the one workbook writer (salesbook.xlsx, the CLI's) patches
the file, and the workbook is opened again where the person was (sheet and selection).
So the ribbon and the CLI leave exactly the same workbook, marks included: a mark never
touches a cell's own fill or note (salesbook.marks), and nothing is written through COM.
Why not write through COM: see docs/architecture.md ("One writer").

Only `_caller()` and `_unsaved()` need a running Excel; everything else uses the few
xlwings calls below and is tested on Linux with a fake book that behaves like Excel
towards the file (it holds Excel's ~$ lock file while the book is open).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .errors import Defect, UsageError, WorkbookError
from .outcome import Outcome

ALERT_LIMIT = 900                    # Excel message boxes cut text near 1024 characters


# --- buttons: one function per command of salesbook.commands ------------------------

def validate() -> None:
    from . import api
    run(_caller(), "校验数据", lambda path: api.validate(path))


def assign() -> None:
    from . import api
    run(_caller(), "客户归属", lambda path: api.assign(path))


def commission() -> None:
    from . import api
    run(_caller(), "计算提成", lambda path: api.commission(path))


def report_daily() -> None:
    run(_caller(), "日报", lambda path, status: report_outcome(path, "daily", status))


def report_weekly() -> None:
    run(_caller(), "周报", lambda path, status: report_outcome(path, "weekly", status))


def report_monthly() -> None:
    run(_caller(), "月报", lambda path, status: report_outcome(path, "monthly", status))


def report_statement() -> None:
    run(_caller(), "工资条", lambda path, status: report_outcome(path, "statement", status))


def close_month() -> None:
    from .close.boxes import preview_text
    book = _caller()
    run(book, "月结", lambda path, status: month_close(book, path, status), confirm=preview_text)


def reopen_month() -> None:
    book = _caller()
    run(book, "反结账", lambda path, status: month_reopen(book, path, status))


def send_daily() -> None:
    run(_caller(), "发送日报", lambda path, status: send_outcome(path, "daily", status), confirm=send_preview("daily"))


def send_weekly() -> None:
    run(_caller(), "发送周报", lambda path, status: send_outcome(path, "weekly", status), confirm=send_preview("weekly"))


def send_monthly() -> None:
    run(_caller(), "发送月报", lambda path, status: send_outcome(path, "all", status), confirm=send_preview("all"))


def month_close(book, path: Path, status: Callable[[str], None]) -> Outcome:
    """月结 of the last full month. The close replaces the file itself (one atomic swap), so
    the open workbook is closed just before and opened again after, like write_into."""
    from . import api
    result = _closing_for(book, path, lambda before_write: api.close(path, progress=status, before_write=before_write))
    return Outcome("close", summary=result.summary, exit_code=result.exit_code, folder=result.report_dir)


def month_reopen(book, path: Path, status: Callable[[str], None]) -> Outcome | None:
    """反结账 of the latest closed month, after a confirmation that asks for the reason."""
    from . import api
    from .close.boxes import month_to_reopen, reopen_preview_text
    month = month_to_reopen(path)
    reason = _ask(book.app, reopen_preview_text(path, month, ask_reason=True), "销售管理 - 反结账")
    if not reason or not reason.strip():
        return None
    status("正在反结账……")
    result = _closing_for(book, path, lambda before_write: api.reopen(path, month=month, reason=reason,
                                                                     before_write=before_write))
    return Outcome("close --reopen", summary=result.summary, exit_code=result.exit_code)


def send_preview(kind: str) -> Callable[[Path], str]:
    """The confirmation box of a send button: every message that would go out (a dry run)."""
    def text(path: Path) -> str:
        from .mail import plan_text
        more = "……(邮件较多, 完整列表: 在命令行运行 salesbook send 台账.xlsx --dry-run)"
        return _cut(plan_text(path, kind=kind), more) + "\n\n确定发送吗?"
    return text


def send_outcome(path: Path, kind: str, status: Callable[[str], None]) -> Outcome:
    """发送报表 for the kind's default period (today / last week / last month); the workbook is only read."""
    from .mail import send
    summary = send(path, kind=kind, progress=lambda i, n, what: status(f"正在发送 {i}/{n}: {what}"))
    return Outcome(f"send {kind}", summary=summary.lines, exit_code=summary.exit_code)


def _closing_for(book, path: Path, work):
    """Run `work(before_write)`; if it calls before_write the workbook is closed there and
    opened again afterwards, where the person was — whether the work succeeded or not."""
    app, state = book.app, {}

    def before_write() -> None:
        state["view"] = _view(book)
        book.close()

    try:
        return work(before_write)
    finally:
        if "view" in state:
            _restore(app.books.open(str(path)), state["view"])


def report_outcome(path: Path, kind: str, status: Callable[[str], None] = lambda _: None) -> Outcome:
    """The reports of `kind` for its default period (the workbook is only read)."""
    from .reports import generate
    from .reports.manifest import summary_lines

    manifest = generate(path, kind, None, progress=lambda done, total: status(f"正在生成报表 {done}/{total}……"))
    return Outcome(f"report {kind}", summary=summary_lines(manifest, kind, "zh", listed=5),
                   folder=manifest.parent)


# --- the Excel-only layer ----------------------------------------------------------

def _caller():
    import xlwings as xw
    return xw.Book.caller()   # from a custom add-in: the user's active workbook


def _ask(app, prompt: str, title: str) -> str | None:
    """A line of text from the person (Excel's InputBox); None when cancelled."""
    import sys
    if sys.platform == "darwin":
        import subprocess
        script = (f'display dialog {_applescript(prompt)} default answer "" with title {_applescript(title)}\n'
                  'text returned of result')
        res = subprocess.run(["osascript", "-e", script], capture_output=True, text=True, check=False)
        return res.stdout.strip() if res.returncode == 0 else None
    answer = app.api.InputBox(prompt, title, "", Type=2)
    return answer if isinstance(answer, str) else None    # False when cancelled


def _applescript(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _show_folder(folder: Path) -> None:
    """Open the folder in Explorer / Finder for the person."""
    import os
    import subprocess
    import sys
    if sys.platform == "win32":
        os.startfile(folder)  # noqa: S606 - a folder we just wrote
    elif sys.platform == "darwin":
        subprocess.run(["open", str(folder)], check=False)


def _unsaved(book) -> bool:
    import sys
    if sys.platform == "darwin":
        return not book.api.saved.get()   # appscript
    return not book.api.Saved             # COM


# --- the flow (runs anywhere) ------------------------------------------------------

def run(book, title: str, compute: Callable[..., Outcome | None],
        show_folder: Callable[[Path], None] | None = None, confirm: Callable[[Path], str] | None = None
        ) -> Outcome | None:
    """Save if needed, compute on the file, write the results into it, tell the user, and
    open the folder the command wrote to, if any. `compute(path)` or `compute(path, status)`;
    it returns None when the person cancelled. `confirm(path)`: the text of an OK/Cancel box
    shown before computing (Cancel: nothing happens).
    Never raises: every failure is a message box (a defect also writes a log)."""
    app = book.app
    heading = f"销售管理 - {title}"

    def status(text: str) -> None:
        app.status_bar = f"{heading}：{text}"

    try:
        from .addin import check_xlwings
        check_xlwings()
        status("正在保存并读取工作簿……")
        path = saved_path(book)
        if confirm is not None:
            status("正在准备……")
            if app.alert(confirm(path), title=heading, buttons="ok_cancel", mode="info") != "ok":
                return None
        outcome = compute(path, status) if _takes_status(compute) else compute(path)
        if outcome is None:
            return None
        if outcome.sheets or outcome.highlights is not None:
            status("正在写入结果……")
            book = write_into(book, path, outcome)
    except WorkbookError as e:
        app.alert(e.text("zh"), title=heading, mode="critical")
        return None
    except Exception as e:  # a defect: the user gets a message and a log, never a traceback dialog
        from .defects import write_log
        log = write_log("excel")
        what = e.text("zh") if isinstance(e, Defect) else str(e)
        app.alert(f"出现了意外错误：{what}\n\n详细信息已保存到：\n{log}\n请把这个文件发给负责 salesbook 的同事。",
                  title=heading, mode="critical")
        return None
    finally:
        app.status_bar = False   # give the status bar back to Excel
    app.alert(summary_text(outcome), title=heading, mode="critical" if outcome.exit_code else "info")
    if outcome.folder is not None:
        (show_folder or _show_folder)(outcome.folder)
    return outcome


def _takes_status(compute) -> bool:
    import inspect
    try:
        return len(inspect.signature(compute).parameters) >= 2
    except (TypeError, ValueError):
        return False


def saved_path(book) -> Path:
    """The workbook's file, saved first if it has unsaved changes."""
    name = str(book.fullname)
    if "://" in name:
        raise UsageError("这个工作簿是从 OneDrive/SharePoint 网址打开的，salesbook 读不到文件。\n"
                         "请从电脑上的同步文件夹（或本地磁盘）打开它，再点击按钮。")
    path = Path(name)
    if not path.is_absolute() or path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError("这个工作簿还没有保存为 .xlsx 文件。\n请先点击“文件 → 另存为”，保存为 Excel 工作簿（*.xlsx），"
                         "再点击按钮。")
    if _unsaved(book):
        book.save()
    return path


def write_into(book, path: Path, outcome: Outcome):
    """Close the (saved) workbook, let the workbook writer patch the file, open it again
    where the person was. Returns the reopened book. If the write fails the file is left
    as it was (the writer is atomic) and the workbook is reopened all the same."""
    from .xlsx import write_outcome

    app = book.app
    view = _view(book)
    book.close()
    try:
        write_outcome(path, outcome.sheets, outcome.highlights)
    finally:
        book = app.books.open(str(path))
        _restore(book, view)
    return book


def _view(book) -> tuple[str | None, str | None]:
    """(active sheet name, selected address), to put the person back where they were."""
    try:
        sheet = book.sheets.active
        return sheet.name, book.selection.address
    except Exception:  # a chart sheet is active, or nothing is selected: nothing to restore
        return None, None


def _restore(book, view: tuple[str | None, str | None]) -> None:
    name, address = view
    if name is None or name not in [s.name for s in book.sheets]:
        return
    sheet = book.sheets[name]
    sheet.activate()
    if address:
        try:
            sheet.range(address).select()
        except Exception:  # the selection may have been a range that no longer exists
            pass


def summary_text(outcome: Outcome) -> str:
    lines = list(outcome.summary)
    if outcome.sheets:
        lines.append("已写入工作表：" + "、".join(outcome.sheets))
    return _cut("\n".join(lines) or "完成。")


def _cut(text: str, more: str = "……（内容较多，完整结果见各结果工作表）") -> str:
    if len(text) > ALERT_LIMIT:
        text = text[:ALERT_LIMIT].rsplit("\n", 1)[0] + "\n" + more
    return text
