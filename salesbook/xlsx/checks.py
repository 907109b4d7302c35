"""Can this workbook be written? Clear Chinese messages (with English) for every known blocker."""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from ..errors import WorkbookError

STRICT_NS = "http://purl.oclc.org/ooxml/"


def lock_file(book: Path) -> Path | None:
    """Excel/WPS's owner file `~$NAME.xlsx` beside an open workbook (often the only sign on a share)."""
    cand = book.with_name("~$" + book.name)
    return cand if cand.exists() else None


def _fail(zh: str, en: str):
    raise WorkbookError(zh, en)


def check_writable(book: Path, *, out: Path | None = None) -> None:
    """Raise WorkbookError (zh + en) if `book` cannot be read as a normal workbook, or the
    target (`out`, else `book` itself) cannot be replaced safely right now."""
    book = Path(book)
    name = book.name
    if not book.is_file():
        _fail(f"找不到文件「{book}」。请检查路径和文件名是否正确。", f"File not found: {book}. Check the path and name.")
    try:
        with open(book, "rb") as f:
            head = f.read(8)
    except PermissionError:
        _fail(f"没有权限读取「{name}」。请检查文件权限, 或把文件复制到自己的文件夹后再试。",
              f"No permission to read '{name}'. Check the file permissions or copy it to your own folder.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        _fail(f"「{name}」不是 .xlsx 格式: 它可能设置了打开密码, 或是旧版 .xls 文件。"
              "请在 Excel 中取消打开密码(文件 → 信息 → 保护工作簿 → 用密码进行加密, 清空密码), "
              "或「另存为」Excel 工作簿(*.xlsx)后再试。",
              f"'{name}' is not .xlsx: it is password-encrypted or an old .xls file. Remove the open password "
              "or save it as an Excel Workbook (*.xlsx) and retry.")
    corrupt = (f"「{name}」已损坏或不是 Excel 工作簿(无法按 .xlsx 打开)。请用备份文件(如 {book.stem}.bak{book.suffix})恢复, "
               "或在 Excel 中打开后「另存为」Excel 工作簿(*.xlsx)。",
               f"'{name}' is damaged or not an Excel workbook. Restore the backup "
               f"({book.stem}.bak{book.suffix}) or re-save it as .xlsx in Excel.")
    try:
        with zipfile.ZipFile(book) as z:
            names = set(z.namelist())
            if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
                _fail(*corrupt)
            rels = z.read("_rels/.rels").decode("utf-8", "replace")
            if STRICT_NS in rels:
                _strict(name)
            m = re.search(r"<Relationship\b[^>]*officeDocument\"[^>]*>", rels) or \
                re.search(r"<Relationship\b[^>]*Type=\"[^\"]*/officeDocument\"[^>]*>", rels)
            target = re.search(r'Target="/?([^"]+)"', m.group(0)).group(1) if m else None
            if not target or target not in names or not target.startswith("xl/"):
                _fail(f"「{name}」不是 Excel 工作簿(可能是 Word/PowerPoint 文件或其他格式)。请选择 .xlsx 工作簿。",
                      f"'{name}' is not an Excel workbook (maybe a Word/PowerPoint file). Choose an .xlsx workbook.")
            wb = z.read(target).decode("utf-8", "replace")
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, RuntimeError):
        _fail(*corrupt)
    if STRICT_NS in wb[:2000]:
        _strict(name)
    prot = re.search(r"<(?:\w+:)?workbookProtection\b[^>]*>", wb)
    if prot and re.search(r"\blockStructure\s*=\s*[\"'](1|true)[\"']", prot.group(0)):
        _fail(f"「{name}」的工作簿结构受保护, salesbook 无法添加或替换工作表。请在 Excel 中点击 审阅 → 保护工作簿, "
              "输入密码取消保护后保存, 再重试。",
              f"The structure of '{name}' is protected, so sheets cannot be added or replaced. "
              "Unprotect it in Excel (Review → Protect Workbook), save, and retry.")
    target = Path(out) if out is not None else book
    lock = lock_file(target)
    if lock is not None:
        _fail(f"「{target.name}」正在被 Excel 或 WPS 打开(发现锁定文件 {lock.name})。请先在 Excel/WPS 中保存并关闭这个工作簿, "
              f"然后重试。若确认没有人打开它, 可以删除 {lock.name}。",
              f"'{target.name}' is open in Excel or WPS (lock file {lock.name} found). Save and close it, then retry. "
              f"If nobody has it open, delete {lock.name}.")
    folder = target.parent
    if not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        _fail(f"没有权限写入「{target}」(文件或所在文件夹是只读的)。请检查权限, 或用 --out 把结果写到其他文件夹。",
              f"No permission to write '{target}' (the file or its folder is read-only). "
              "Check permissions or write elsewhere with --out.")


def _strict(name: str):
    _fail(f"「{name}」是「Strict Open XML」格式, salesbook 不能修改它。请在 Excel 中「另存为」→ 选择"
          "「Excel 工作簿(*.xlsx)」(不要选 Strict Open XML 电子表格), 然后用新文件重试。",
          f"'{name}' is saved as Strict Open XML, which salesbook cannot modify. In Excel choose Save As → "
          "'Excel Workbook (*.xlsx)' (not Strict Open XML Spreadsheet) and retry with the new file.")
