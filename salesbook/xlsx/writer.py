"""write_outcome: output sheets and highlights patched into the workbook's zip, atomically."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import cells, outsheet
from .atomic import replace_atomically
from .checks import check_writable
from .opc import RT_WORKSHEET, Package, rels_name
from .styles import StyleBook
from .workbook import Sheet, Workbook, check_sheet_name
from .zipio import ZipSink
from ..errors import WorkbookError

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def cell_styles(styles: StyleBook, wb: Workbook) -> cells.Styles:
    date = styles.xf_index(numfmt=styles.num_fmt(DATE_FORMAT), applyNumberFormat="1")
    stamp = styles.xf_index(numfmt=styles.num_fmt(DATETIME_FORMAT), applyNumberFormat="1")
    return cells.Styles(f' s="{date}"', f' s="{stamp}"', epoch=wb.epoch)


def drop_part_links(pkg: Package, part: str) -> None:
    """Forget what `part` referenced (its rels) and remove parts nothing else reaches now."""
    rels = rels_name(part)
    if not pkg.has(rels):
        return
    before = pkg.reachable()
    pkg.remove(rels)
    for gone in sorted(before - pkg.reachable()):
        pkg.remove(gone)
        pkg.remove_override(gone)
        if pkg.has(rels_name(gone)):
            pkg.remove(rels_name(gone))


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
    Sheets named in `hidden` are written hidden (the month close keeps its snapshots there)."""
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
    check_writable(book, out=None if in_place else target)
    pkg = Package(book)
    try:
        wb = Workbook(pkg)
        styles = StyleBook(pkg)
        if sheets:
            st = cell_styles(styles, wb)
            header = styles.xf_index(font=styles.bold_font(), applyFont="1")
        for name, df in sheets.items():
            sheet = wb.find(name)
            if sheet is None:
                sheet = wb.add_sheet(name)
            else:
                _prepare_replace(pkg, wb, sheet)
            pkg.put(sheet.part, lambda df=df: outsheet.worksheet_xml(df, st, header), outsheet.size_hint(df))
            wb.set_filter_range(sheet, outsheet.dimension(*df.shape) if df.shape[1] else None)
            if name in hidden:
                wb.hide(sheet)
        if highlights is not None:
            from .highlights import apply_highlights
            apply_highlights(pkg, wb, styles, list(highlights), written={n.lower() for n in sheets})
        save_package(pkg, book, target, backup=backup and in_place)
    finally:
        pkg.close()
    return target


def _prepare_replace(pkg: Package, wb: Workbook, sheet: Sheet) -> None:
    if sheet.rtype != RT_WORKSHEET or sheet.part is None:
        raise WorkbookError(f"工作簿里已有名为「{sheet.name}」的图表工作表或特殊工作表, salesbook 无法替换它。"
                            "请把它改名或删除后重试。",
                            f"The workbook already has a chart or special sheet named '{sheet.name}'; "
                            "rename or delete it and retry.")
    drop_part_links(pkg, sheet.part)
    wb.forget_calc_chain(sheet)
