"""Hostile and broken workbook files, generated from a fresh template (never stored).

`build_all(folder)` writes every file and returns {label: path}. Used by
tests/test_hostile_files.py (each must give exit 2, a plain message, no traceback) and by
benchmarks/bench_hostile.py (time and peak memory per file).
"""
from __future__ import annotations

import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BOMB_SIZE = 2_300_000_000   # what the observed zip bomb inflated to

LAUGHS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
                     for i in range(1, 10))
          + b"]>\n")


def _body(xml: bytes) -> bytes:
    """XML without its declaration (a DTD goes after the declaration, before the root)."""
    return xml.split(b"?>", 1)[1].lstrip() if xml.startswith(b"<?xml") else xml


def _members(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(i, z.read(i.filename)) for i in z.infolist()]


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip from (name, stored deflate bytes, CRC, declared size) members, written by hand so
    that a member may lie about its size."""
    with open(path, "wb") as out:
        central = []
        for name, comp, crc, size in members:
            n = name.encode("utf-8")
            off = out.tell()
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x800, 8, 0, 0x21, crc, len(comp), size, len(n), 0))
            out.write(n)
            out.write(comp)
            central.append((n, crc, len(comp), size, off))
        start = out.tell()
        for n, crc, csize, size, off in central:
            out.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0x800, 8, 0, 0x21, crc, csize, size,
                                  len(n), 0, 0, 0, 0, 0, off))
            out.write(n)
        end = out.tell()
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), end - start, start, 0))
    return path


def rebuilt(base: Path, target: Path, change: dict[str, bytes | None] | None = None,
            raw: dict[str, tuple[bytes, int, int]] | None = None) -> Path:
    """`base` with members replaced (None = removed) or given as raw (deflate bytes, CRC, size)."""
    change, raw = change or {}, raw or {}
    members = []
    for info, data in _members(base):
        name = info.filename
        if name in raw:
            members.append((name, *raw[name]))
            continue
        if name in change:
            if change[name] is None:
                continue
            data = change[name]
        members.append((name, _deflate(data), zlib.crc32(data), len(data)))
    return write_zip(target, members)


def sheet_bomb(size: int = BOMB_SIZE) -> tuple[bytes, int, int]:
    """(deflate bytes, CRC, size) of a worksheet inflating to about `size` bytes of cells: a block of
    cells compressed once and repeated (a full flush makes each block independent)."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
            b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2">')
    tail = b"</row></sheetData></worksheet>"
    block = b'<c r="A2" t="inlineStr"><is><t>lol</t></is></c>' * 40000
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    rep = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    n = max((size - len(head) - len(tail)) // len(block), 1)
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return first + rep * n + last, crc, len(head) + n * len(block) + len(tail)


def base_workbook(folder: Path) -> Path:
    """A template with a 校验结果 output sheet (so an output sheet can be made hostile too)."""
    import pandas as pd

    from salesbook.template import build_template
    from salesbook.xlsx import write_outcome

    path = build_template(folder / "base.xlsx")
    write_outcome(path, {"校验结果": pd.DataFrame({"级别": ["警告"], "问题": ["示例"]})}, None, backup=False)
    return path


def part_of(book: Path, sheet: str) -> str:
    from salesbook.xlsx.opc import Package
    from salesbook.xlsx.workbook import Workbook

    pkg = Package(book)
    try:
        return Workbook(pkg).find(sheet).part
    finally:
        pkg.close()


def build_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    base = base_workbook(folder)
    data = dict((i.filename, d) for i, d in _members(base))
    customers, visits, issues = part_of(base, "客户"), part_of(base, "拜访"), part_of(base, "校验结果")
    out: dict[str, Path] = {}

    def laughs_in(xml: bytes) -> bytes:
        """The sheet behind a DTD whose entity expands to 10^9 "lol"s, used in one cell."""
        body = _body(xml)
        cell = b'<row r="900"><c r="A900" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        return LAUGHS + body.replace(b"</sheetData>", cell + b"</sheetData>", 1)

    out["billion laughs in a sheet"] = rebuilt(base, folder / "laughs-sheet.xlsx",
                                               {customers: laughs_in(data[customers])})
    styles = _body(data["xl/styles.xml"])
    laughing = re.sub(rb'(<(?:\w+:)?name val=")[^"]*"', rb'\1&lol9;"', styles, count=1)
    assert laughing != styles, "fixture: no font name in styles.xml"
    out["billion laughs in styles.xml"] = rebuilt(base, folder / "laughs-styles.xlsx",
                                                  {"xl/styles.xml": LAUGHS + laughing})
    comp, crc, size = sheet_bomb()
    out["zip bomb in an input sheet"] = rebuilt(base, folder / "bomb-input.xlsx", raw={visits: (comp, crc, size)})
    out["zip bomb in an output sheet"] = rebuilt(base, folder / "bomb-output.xlsx", raw={issues: (comp, crc, size)})
    out["zip bomb with a forged size"] = rebuilt(base, folder / "bomb-forged.xlsx", raw={visits: (comp, crc, 40_000)})
    empty = folder / "empty-zip.xlsx"
    with zipfile.ZipFile(empty, "w"):
        pass
    out["empty zip"] = empty
    (folder / "zero-bytes.xlsx").write_bytes(b"")
    out["zero bytes"] = folder / "zero-bytes.xlsx"
    (folder / "text.xlsx").write_text("客户编号,客户名称\nC001,某公司\n", encoding="utf-8")
    out["a text file named .xlsx"] = folder / "text.xlsx"
    whole = base.read_bytes()
    for frac in (10, 50, 99):
        cut = folder / f"truncated-{frac}.xlsx"
        cut.write_bytes(whole[: len(whole) * frac // 100])
        out[f"truncated at {frac} %"] = cut
    ct = data["[Content_Types].xml"].decode()
    wrong = ct.replace(f'PartName="/{customers}" ContentType="application/vnd.openxmlformats-officedocument.'
                       f'spreadsheetml.worksheet+xml"', f'PartName="/{customers}" ContentType="image/png"')
    assert wrong != ct, "fixture: the sheet's Override was not found"
    out["wrong content type for a sheet"] = rebuilt(base, folder / "wrong-type.xlsx",
                                                    {"[Content_Types].xml": wrong.encode()})
    out["workbook names a missing part"] = rebuilt(base, folder / "missing-part.xlsx", {visits: None})
    out["DTD in [Content_Types].xml"] = rebuilt(
        base, folder / "dtd-types.xlsx",
        {"[Content_Types].xml": LAUGHS + _body(data["[Content_Types].xml"])})
    return out


if __name__ == "__main__":
    import tempfile
    for label, path in build_all(Path(tempfile.mkdtemp())).items():
        print(f"{label}: {path} ({path.stat().st_size} bytes)")
