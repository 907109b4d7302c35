"""Can this workbook be written? Clear Chinese messages (with English) for every known blocker."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import WorkbookError
from .opc import NS_MAIN, Damaged, Package
from .safety import check_package, damaged

STRICT_NS = "http://purl.oclc.org/ooxml/"


def lock_file(book: Path) -> Path | None:
    """Excel/WPS's owner file `~$NAME.xlsx` beside an open workbook (often the only sign on a share)."""
    cand = book.with_name("~$" + book.name)
    return cand if cand.exists() else None


def _fail(zh: str, en: str):
    raise WorkbookError(zh, en)


def check_readable(book: Path) -> None:
    """The file exists, can be read, and is a package safe to parse (see safety.py)."""
    book = Path(book)
    if not book.is_file():
        _fail(f"找不到文件「{book}」。请检查路径和文件名是否正确。", f"File not found: {book}. Check the path and name.")
    try:
        with open(book, "rb"):
            pass
    except PermissionError:
        _fail(f"没有权限读取「{book.name}」。请检查文件权限, 或把文件复制到自己的文件夹后再试。",
              f"No permission to read '{book.name}'. Check the file permissions or copy it to your own folder.")
    check_package(book)


def check_writable(book: Path, *, out: Path | None = None, open_by_caller: bool = False) -> None:
    """Raise WorkbookError (zh + en) if `book` cannot be read as a normal workbook, or the
    target (`out`, else `book` itself) cannot be replaced safely right now.
    `open_by_caller`: the ribbon has the workbook open (the lock file is its own) and closes
    it just before the write, so the lock is not a reason to refuse yet."""
    book = Path(book)
    check_readable(book)
    pkg = Package(book)
    try:
        check_editable(pkg)
    except Damaged as exc:
        raise damaged(book, exc.part) from None
    finally:
        pkg.close()
    check_target(Path(out) if out is not None else book, lock_ok=open_by_caller)


def check_editable(pkg: Package) -> None:
    """Strict OOXML and a protected structure cannot be changed (messages say how to fix)."""
    name = pkg.path.name
    root = pkg.doc("_rels/.rels").root
    if root.ns.startswith(STRICT_NS) or any(r.type.startswith(STRICT_NS) for r in pkg.rels("")):
        _strict(name)
    try:
        part = pkg.office_document()
    except KeyError:
        raise damaged(pkg.path, "_rels/.rels") from None
    wb = pkg.doc(part).root
    if wb.ns.startswith(STRICT_NS):
        _strict(name)
    if wb.local != "workbook":
        _fail(f"「{name}」不是 Excel 工作簿(可能是 Word/PowerPoint 文件或其他格式)。请选择 .xlsx 工作簿。",
              f"'{name}' is not an Excel workbook (maybe a Word/PowerPoint file). Choose an .xlsx workbook.")
    if wb.ns != NS_MAIN:   # e.g. Excel 2007 beta files
        _fail(f"「{name}」不是标准的 .xlsx 格式(工作簿使用了非标准的格式 {wb.ns}), salesbook 不能修改它。"
              "请在 Excel 中「另存为」Excel 工作簿(*.xlsx), 然后用新文件重试。",
              f"'{name}' is not standard .xlsx (its workbook uses the format {wb.ns}), so salesbook cannot "
              "modify it. Save it as an Excel Workbook (*.xlsx) and retry with the new file.")
    prot = wb.kid(NS_MAIN, "workbookProtection")
    if prot is not None and prot.attrs.get("lockStructure", "").lower() in ("1", "true"):
        _fail(f"「{name}」的工作簿结构受保护, salesbook 无法添加或替换工作表。请在 Excel 中点击 审阅 → 保护工作簿, "
              "输入密码取消保护后保存, 再重试。",
              f"The structure of '{name}' is protected, so sheets cannot be added or replaced. "
              "Unprotect it in Excel (Review → Protect Workbook), save, and retry.")


def check_target(target: Path, *, lock_ok: bool = False) -> None:
    lock = None if lock_ok else lock_file(target)
    if lock is not None:
        _fail(f"「{target.name}」正在被 Excel 或 WPS 打开(发现锁定文件 {lock.name})。请先在 Excel/WPS 中保存并关闭这个工作簿, "
              f"然后重试。若确认没有人打开它, 可以删除 {lock.name}。",
              f"'{target.name}' is open in Excel or WPS (lock file {lock.name} found). Save and close it, then retry. "
              f"If nobody has it open, delete {lock.name}.")
    folder = target.parent
    if not folder.is_dir():
        _fail(f"文件夹「{folder}」不存在, 无法写入「{target.name}」。请先创建这个文件夹, 或用 --out 指定已有的文件夹。",
              f"The folder '{folder}' does not exist, so '{target.name}' cannot be written. Create it first "
              "or choose an existing folder with --out.")
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        _fail(f"结果文件「{target.name}」必须以 .xlsx 或 .xlsm 结尾(Excel 才能打开)。请换一个文件名。",
              f"The output file '{target.name}' must end in .xlsx or .xlsm so Excel opens it. Choose another name.")
    if not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        _fail(f"没有权限写入「{target}」(文件或所在文件夹是只读的)。请检查权限, 或用 --out 把结果写到其他文件夹。",
              f"No permission to write '{target}' (the file or its folder is read-only). "
              "Check permissions or write elsewhere with --out.")


def _strict(name: str):
    _fail(f"「{name}」是「Strict Open XML」格式, salesbook 不能修改它。请在 Excel 中「另存为」→ 选择"
          "「Excel 工作簿(*.xlsx)」(不要选 Strict Open XML 电子表格), 然后用新文件重试。",
          f"'{name}' is saved as Strict Open XML, which salesbook cannot modify. In Excel choose Save As → "
          "'Excel Workbook (*.xlsx)' (not Strict Open XML Spreadsheet) and retry with the new file.")
