"""Entry points of the 销售管理 ribbon: RunPython "import salesbook.excel as sb; sb.<name>()".

Each button is one small function below. The flow is the CLI's: the workbook FILE is read
by the fast reader and computed by salesbook.api; only the (small) output sheets and the
cell marks are written back into the open workbook through xlwings.

Only `_caller()` and `_unsaved()` need a running Excel; everything else works on any
object with the few xlwings calls used here, so it is tested on Linux with a fake book.
"""
from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path
from typing import Callable

from .xlsx.cells import letter
from .errors import WorkbookError
from .outcome import Outcome

MARKS_SHEET = "_salesbook_marks"    # hidden: cells marked by the last run, cleared by the next
NOTE_PREFIX = "【销售管理】"          # our notes start with this; other notes are left alone
NOTE_LIMIT = 300                     # notes are one Excel call each; 校验结果 lists everything
ALERT_LIMIT = 900                    # Excel message boxes cut text near 1024 characters
FILL = {"错误": (255, 199, 206), "警告": (255, 235, 156)}
ADDRESS_BATCH = 25                   # cells per multi-area range (Excel caps addresses at 255 chars)


class UserMessage(Exception):
    """Stop with a plain Chinese message (not a defect)."""


# --- buttons: one function per ribbon button ---------------------------------------

def validate() -> None:
    from . import api
    run(_caller(), "校验数据", lambda path: api.validate(path))


def assign() -> None:
    from . import api
    run(_caller(), "客户归属", lambda path: api.assign(path))


def commission() -> None:
    from . import api
    run(_caller(), "计算提成", lambda path: api.commission(path))


# --- the Excel-only layer ----------------------------------------------------------

def _caller():
    import xlwings as xw
    return xw.Book.caller()   # from a custom add-in: the user's active workbook


def _unsaved(book) -> bool:
    import sys
    if sys.platform == "darwin":
        return not book.api.saved.get()   # appscript
    return not book.api.Saved             # COM


# --- the flow (runs anywhere) ------------------------------------------------------

def run(book, title: str, compute: Callable[[Path], Outcome]) -> Outcome | None:
    """Save if needed, compute on the file, write the results, tell the user. Never raises."""
    app = book.app
    heading = f"销售管理 - {title}"

    def status(text: str) -> None:
        app.status_bar = f"{heading}：{text}"

    try:
        check_xlwings()
        status("正在保存并读取工作簿……")
        path = saved_path(book)
        outcome = compute(path)
        write_outcome(book, outcome, status)
    except WorkbookError as e:
        app.alert(e.text("zh"), title=heading, mode="critical")
        return None
    except UserMessage as e:
        app.alert(str(e), title=heading, mode="critical")
        return None
    except Exception as e:  # a defect: the user gets a message and a log, never a traceback dialog
        log = _log_error()
        app.alert(f"出现了意外错误：{e}\n\n详细信息已保存到：\n{log}\n请把这个文件发给负责 salesbook 的同事。",
                  title=heading, mode="critical")
        return None
    finally:
        app.status_bar = False   # give the status bar back to Excel
    app.alert(summary_text(outcome), title=heading, mode="critical" if outcome.exit_code else "info")
    return outcome


def check_xlwings() -> None:
    import xlwings
    from .addin import XLWINGS_VERSION
    if xlwings.__version__ != XLWINGS_VERSION:
        raise UserMessage(
            f"xlwings 版本不一致：插件基于 {XLWINGS_VERSION}，当前 Python 中是 {xlwings.__version__}。\n"
            f"请 IT 运行：pip install xlwings=={XLWINGS_VERSION}，然后运行 salesbook excel install。")


def saved_path(book) -> Path:
    """The workbook's file, saved first if it has unsaved changes."""
    name = str(book.fullname)
    if "://" in name:
        raise UserMessage("这个工作簿是从 OneDrive/SharePoint 网址打开的，salesbook 读不到文件。\n"
                          "请从电脑上的同步文件夹（或本地磁盘）打开它，再点击按钮。")
    path = Path(name)
    if not path.is_absolute() or path.suffix.lower() not in (".xlsx", ".xlsm", ".xlsb", ".xls"):
        raise UserMessage("这个工作簿还没有保存过。\n请先点击“文件 → 另存为”，保存为 .xlsx 文件，再点击按钮。")
    if _unsaved(book):
        book.save()
    return path


def summary_text(outcome: Outcome) -> str:
    lines = list(outcome.summary)
    if outcome.sheets:
        lines.append("已写入工作表：" + "、".join(outcome.sheets))
    text = "\n".join(lines) or "完成。"
    if len(text) > ALERT_LIMIT:
        text = text[:ALERT_LIMIT].rsplit("\n", 1)[0] + "\n……（内容较多，完整结果见各结果工作表）"
    return text


def _log_error() -> Path:
    folder = Path.home() / ".salesbook" / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "excel-error.log"
    with log.open("a", encoding="utf-8") as f:
        f.write(f"\n=== {dt.datetime.now():%Y-%m-%d %H:%M:%S} ===\n{traceback.format_exc()}")
    return log


# --- writing into the open workbook ------------------------------------------------

def write_outcome(book, outcome: Outcome, status: Callable[[str], None] = lambda _: None) -> None:
    names = list(outcome.sheets)
    for i, name in enumerate(names, start=1):
        status(f"正在写入“{name}”（{i}/{len(names)}）……")
        write_sheet(book, name, outcome.sheets[name])
    if outcome.highlights is not None:
        status("正在标记有问题的单元格……")
        clear_marks(book)
        apply_marks(book, outcome.highlights)


def _sheet_names(book) -> list[str]:
    return [s.name for s in book.sheets]


def _get_or_add(book, name: str, *, hidden: bool = False):
    if name in _sheet_names(book):
        return book.sheets[name]
    visible = [s for s in book.sheets if s.name != MARKS_SHEET]
    sheet = book.sheets.add(name, after=visible[-1] if visible else None)
    if hidden:
        sheet.visible = False
    return sheet


def cell_value(v):
    """A pandas cell as Excel takes it: blanks as None, dates as datetimes, numpy as Python."""
    import pandas as pd
    if v is None or (not isinstance(v, (list, tuple, str)) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return dt.datetime(v.year, v.month, v.day)
    if hasattr(v, "item"):          # numpy scalar
        return v.item()
    return v


def write_sheet(book, name: str, frame) -> None:
    """Replace an output sheet's contents (formats kept); create it at the end if missing."""
    sheet = _get_or_add(book, name)
    sheet.clear_contents()
    rows = [list(frame.columns)] + [[cell_value(v) for v in row] for row in frame.itertuples(index=False)]
    sheet.range("A1").options(chunksize=5000).value = rows
    sheet.range((1, 1), (1, max(len(frame.columns), 1))).font.bold = True


def _batches(cells: list[tuple[int, int]]):
    for i in range(0, len(cells), ADDRESS_BATCH):
        yield ",".join(f"{letter(c)}{r}" for r, c in cells[i:i + ADDRESS_BATCH])


def clear_marks(book) -> None:
    """Remove the fills and our notes of the previous run (listed in the marks sheet)."""
    if MARKS_SHEET not in _sheet_names(book):
        return
    marks = book.sheets[MARKS_SHEET]
    rows = marks.range("A1").expand().options(ndim=2).value or []
    by_sheet: dict[str, list[tuple[int, int]]] = {}
    for row in rows[1:]:
        if row and row[0] and row[1] and row[2]:
            by_sheet.setdefault(str(row[0]), []).append((int(row[1]), int(row[2])))
    names = _sheet_names(book)
    for sheet_name, cells in by_sheet.items():
        if sheet_name not in names:
            continue
        sheet = book.sheets[sheet_name]
        for address in _batches(cells):
            sheet.range(address).color = None
        for r, c in cells[:NOTE_LIMIT]:
            note = sheet.range((r, c)).note
            if note is not None and note.text.startswith(NOTE_PREFIX):
                note.delete()
    marks.clear_contents()


def apply_marks(book, highlights) -> None:
    """Fill each cell by level, add a note to the first NOTE_LIMIT, remember them all."""
    names = _sheet_names(book)
    groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
    kept = []
    for h in highlights:
        if h.sheet in names:
            groups.setdefault((h.sheet, h.level), []).append((h.row, h.column))
            kept.append(h)
    for (sheet_name, level), cells in groups.items():
        sheet = book.sheets[sheet_name]
        for address in _batches(cells):
            sheet.range(address).color = FILL.get(level, FILL["警告"])
    for h in kept[:NOTE_LIMIT]:
        cell = book.sheets[h.sheet].range((h.row, h.column))
        if cell.note is None:          # never overwrite a note somebody typed
            cell.add_note(NOTE_PREFIX + h.note)
    marks = _get_or_add(book, MARKS_SHEET, hidden=True)
    marks.clear_contents()
    marks.range("A1").options(chunksize=5000).value = (
        [["工作表", "行", "列"]] + [[h.sheet, h.row, h.column] for h in kept])
