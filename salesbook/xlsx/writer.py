"""write_outcome: output sheets and highlights patched into the workbook's zip, atomically."""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pandas as pd

from . import outsheet
from .atomic import replace_atomically
from .checks import check_editable, check_readable, check_target
from .opc import RT_WORKSHEET, Damaged, Package, rels_name
from .safety import damaged
from .styles import StyleBook
from .workbook import Sheet, Workbook, check_sheet_name
from .xmldoc import XmlError
from .zipio import ZipSink
from ..errors import WorkbookError


def drop_part_links(pkg: Package, part: str) -> None:
    """Forget what `part` referenced (its rels) and remove parts nothing else reaches now."""
    rels = rels_name(part)
    if not pkg.has(rels):
        return
    before = pkg.reachable()
    pkg.remove(rels)
    pkg.remove_override(rels)
    for gone in sorted(before - pkg.reachable()):
        pkg.remove(gone)
        pkg.remove_override(gone)
        if pkg.has(rels_name(gone)):
            pkg.remove(rels_name(gone))
            pkg.remove_override(rels_name(gone))


def save_package(pkg: Package, book: Path, target: Path, *, backup: bool) -> None:
    with open(book, "rb") as raw:
        def write(fp):
            sink = ZipSink(fp)
            pkg.save(sink, raw)
            sink.close()
        replace_atomically(target, write, backup=backup)


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def write_outcome(book: Path, sheets: dict[str, pd.DataFrame], highlights=None, *,
                  out: Path | None = None, backup: bool = True, hidden: frozenset[str] = frozenset()) -> Path:
    """Write output sheets (replace by name, else append) and, unless `highlights` is None,
    replace salesbook's cell highlights; returns the path written. See the package docstring.
    Sheets named in `hidden` are written hidden (the month close keeps its snapshots there).

    Every problem with the file is a WorkbookError (plain Chinese, English in .en) and
    leaves it untouched; bad arguments (sheet names, frames) are ValueError."""
    book = Path(book)
    in_place = out is None or same_file(book, Path(out))
    target = book if in_place else Path(out)
    seen = set()
    for name, df in sheets.items():
        check_sheet_name(name)
        outsheet.check_frame(name, df)
        if name.lower() in seen:
            raise ValueError(f"sheet {name!r} given twice (names are case-insensitive)")
        seen.add(name.lower())
    check_readable(book)
    check_target(target)
    try:
        pkg = Package(book)
    except (zipfile.BadZipFile, OSError, ValueError, struct.error):
        raise damaged(book) from None
    try:
        check_editable(pkg)
        _patch(pkg, sheets, highlights, hidden)
        save_package(pkg, book, target, backup=backup and in_place)
    except Damaged as exc:
        raise damaged(book, exc.part) from None
    except zipfile.LargeZipFile:
        raise WorkbookError(f"「{book.name}」写入结果后会超过 4 GB, 超出了 salesbook 能保存的大小。工作簿没有被修改。"
                            "请把历史数据(如往年的拜访记录)移到另一个工作簿后重试。",
                            f"'{book.name}' would exceed 4 GB with the results, more than salesbook can save. "
                            "The workbook is unchanged; move old records (e.g. past years' visits) to another "
                            "workbook and retry.") from None
    except (zipfile.BadZipFile, zlib.error, XmlError, EOFError, struct.error) as exc:
        # a member that cannot be read while it is copied: the file is damaged there
        raise damaged(book) from exc
    finally:
        pkg.close()
    return target


def _patch(pkg: Package, sheets: dict[str, pd.DataFrame], highlights, hidden: frozenset[str]) -> None:
    wb = Workbook(pkg)
    styles = StyleBook(pkg)
    for name, df in sheets.items():
        prepared = outsheet.prepare(name, df, styles, wb.epoch)
        sheet = wb.find(name)
        if sheet is None:
            sheet = wb.add_sheet(name)
        else:
            _prepare_replace(pkg, wb, sheet)
        pkg.put(sheet.part, lambda p=prepared: outsheet.worksheet_xml(p), outsheet.size_hint(df))
        wb.set_filter_range(sheet, outsheet.dimension(*df.shape) if df.shape[1] else None)
        wb.set_print_titles(sheet)
        if name in hidden:
            wb.hide(sheet)
    if highlights is not None:
        from .highlights import apply_highlights
        apply_highlights(pkg, wb, styles, list(highlights), written={n.lower() for n in sheets})


def _prepare_replace(pkg: Package, wb: Workbook, sheet: Sheet) -> None:
    if sheet.rtype != RT_WORKSHEET or sheet.part is None:
        raise WorkbookError(f"工作簿里已有名为「{sheet.name}」的图表工作表或特殊工作表, salesbook 无法替换它。"
                            "请把它改名或删除后重试。",
                            f"The workbook already has a chart or special sheet named '{sheet.name}'; "
                            "rename or delete it and retry.")
    drop_part_links(pkg, sheet.part)
    wb.forget_calc_chain(sheet)
