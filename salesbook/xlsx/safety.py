"""A fast look at a workbook package before anything parses it: hostile or broken files are
refused with a plain message, in milliseconds, with the file untouched.

What is refused (every check reads the zip directory and at most the first megabyte of a
member, so a normal workbook costs a few milliseconds):
- not a zip, an empty zip, a truncated zip (members running past the end of the file);
- a member whose declared size, or whose compression ratio, is beyond anything a real
  workbook has (a "zip bomb");
- a member that inflates to more than it declares (a bomb with a lying size: the readers
  trust the stream, not the header), checked exactly for members under a megabyte and by
  the ratio of the first megabyte for bigger ones;
- a document type declaration in any XML part (where "billion laughs" entity bombs live);
- a package without content types or a workbook part, a sheet whose part is missing or
  is not a worksheet.

Limits, measured (see benchmarks and the writer's report): the xlarge demo's biggest
part is a 194 MB sheet at 8.7:1; the largest ratio among 508 real-world files is 43:1
(a styles part); the bombs we know are 400:1 and beyond (deflate's maximum is ~1032:1).
"""
from __future__ import annotations

import functools
import os
import posixpath
import struct
import zipfile
import zlib
from pathlib import Path

from ..errors import WorkbookError
from .atomic import backup_path
from .xmldoc import XmlError, parse
from .zipio import read_raw

MAX_PART = 2 << 30          # bytes one member may inflate to (10x the xlarge demo's biggest sheet)
MAX_TOTAL = 4 << 30         # all members together (the zip format's own 32-bit limit)
MAX_RATIO = 250             # inflated / stored size for members of RATIO_FROM bytes or more
RATIO_FROM = 1 << 20
SAMPLE = 1 << 20            # bytes inflated per member at most
MAX_PROLOG = 1 << 16        # XML declaration + comments before the root element
MAX_MEMBERS = 65535

CT_PART = "[Content_Types].xml"
CT_WORKBOOKS = {  # xlsx, xlsm, xltx, xltm, xlam
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.addin.macroEnabled.main+xml",
}
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_R_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
GENERIC_XML = {"application/xml", "text/xml"}
SHEET_TYPES = {  # relationship type (last segment) -> content types its part may have
    "worksheet": {"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
                  "application/vnd.ms-excel.worksheet"},
    "chartsheet": {"application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"},
    "dialogsheet": {"application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml"},
    "xlMacrosheet": {"application/vnd.ms-excel.macrosheet+xml"},
    "xlIntlMacrosheet": {"application/vnd.ms-excel.intlmacrosheet+xml"},
}


def check_package(path: Path | str) -> None:
    """Raise WorkbookError (plain Chinese, English in .en) if `path` is not a package that
    is safe to hand to a reader. Cached per file state, so readers on several threads pay once."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError:
        return   # the caller reports missing/unreadable files in its own words
    _check(str(path), st.st_size, st.st_mtime_ns, st.st_ino)


@functools.lru_cache(maxsize=32)
def _check(path: str, size: int, mtime: int, inode: int) -> None:
    name = Path(path).name
    try:
        with open(path, "rb") as fp:
            _inspect(fp, size, name, path)
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, zlib.error, struct.error, EOFError, ValueError, KeyError, IndexError):
        raise damaged(Path(path)) from None
    except OSError as exc:
        raise WorkbookError(f"无法读取「{name}」: 文件读取出错({exc.strerror or exc})。请确认文件可以打开, "
                            "或把它复制到本机文件夹后重试。",
                            f"Cannot read '{name}': {exc.strerror or exc}. Check the file opens, or copy it to a "
                            "local folder and retry.") from None


def damaged(book: Path, part: str | None = None) -> WorkbookError:
    """The "damaged" message; it suggests the backup only when there is one."""
    book = Path(book)
    where = f"(其中的 {part} 无法读取)" if part else ""
    where_en = f" ({part} cannot be read)" if part else ""
    bak = backup_path(book)
    if bak.exists() and bak != book:
        fix = f"请用同一文件夹里的备份文件「{bak.name}」恢复, 或在 Excel 中打开它(提示修复时选「是」)后「另存为」Excel 工作簿(*.xlsx), 再重试。"
        fix_en = f"Restore the backup '{bak.name}' from the same folder, or open it in Excel (accept the repair) and save it as .xlsx, then retry."
    else:
        fix = "请在 Excel 中打开它(提示修复时选「是」)后「另存为」Excel 工作簿(*.xlsx), 或换用一份完好的副本, 再重试。"
        fix_en = "Open it in Excel (accept the repair) and save it as .xlsx, or use an intact copy, then retry."
    return WorkbookError(f"「{book.name}」已损坏或不是 Excel 工作簿{where}。{fix}",
                         f"'{book.name}' is damaged or not an Excel workbook{where_en}. {fix_en}")


def _hostile(name: str, member: str, why_zh: str, why_en: str) -> WorkbookError:
    return WorkbookError(f"「{name}」不能打开: 其中的 {member} {why_zh}, 这不是正常的 Excel 工作簿(可能是损坏或恶意构造的文件), "
                         "salesbook 拒绝读取它, 文件没有被修改。请使用从 Excel 正常保存的台账。",
                         f"'{name}' was refused: its part {member} {why_en}. This is not a normal Excel workbook "
                         "(damaged or crafted); the file is unchanged. Use a workbook saved normally by Excel.")


def _not_workbook(name: str, why_zh: str = "", why_en: str = "") -> WorkbookError:
    return WorkbookError(f"「{name}」不是 Excel 工作簿{why_zh}。请选择用 Excel 保存的 .xlsx/.xlsm 台账文件。",
                         f"'{name}' is not an Excel workbook{why_en}. Choose an .xlsx/.xlsm workbook saved by Excel.")


def _inspect(fp, size: int, name: str, path: str) -> None:
    head = fp.read(8)
    fp.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(
            f"「{name}」不是 .xlsx 格式: 它可能设置了打开密码, 或是旧版 .xls 文件。请在 Excel 中取消打开密码"
            "(文件 → 信息 → 保护工作簿 → 用密码进行加密, 清空密码), 或「另存为」Excel 工作簿(*.xlsx)后再试。",
            f"'{name}' is not .xlsx: it is password-encrypted or an old .xls file. Remove the open password "
            "or save it as an Excel Workbook (*.xlsx) and retry.")
    if size == 0:
        raise _not_workbook(name, "(文件是空的, 0 字节)", " (the file is empty)")
    try:
        z = zipfile.ZipFile(fp)
    except zipfile.BadZipFile:   # not a zip, or a zip that lost its end (truncated)
        raise damaged(Path(path)) from None
    infos = z.infolist()
    if not infos:
        raise _not_workbook(name, "(是一个空的压缩包, 里面没有任何内容)", " (an empty zip archive)")
    if len(infos) > MAX_MEMBERS:
        raise _hostile(name, "[目录]", f"有 {len(infos)} 个部件", f"has {len(infos)} members")
    total = 0
    members = {}
    for info in infos:
        members[info.filename] = info
        total += info.file_size
        if info.file_size > MAX_PART or total > MAX_TOTAL:
            raise _hostile(name, info.filename, f"解压后有 {info.file_size / 2**30:.1f} GB",
                           f"inflates to {info.file_size / 2**30:.1f} GB")
        if info.file_size >= RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _hostile(name, info.filename, f"的压缩比为 {info.file_size // max(info.compress_size, 1)}:1(压缩炸弹)",
                           f"has a compression ratio of {info.file_size // max(info.compress_size, 1)}:1 (a zip bomb)")
        if info.flag_bits & 0x1:
            raise damaged(Path(path), info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _hostile(name, info.filename, f"使用了 Excel 不会使用的压缩方式({info.compress_type})",
                           f"uses a compression method Excel never writes ({info.compress_type})")
    for info in infos:
        _check_member(fp, size, info, name, path)
    if CT_PART not in members or "_rels/.rels" not in members:
        raise damaged(Path(path), CT_PART if CT_PART not in members else "_rels/.rels")
    _check_structure(fp, members, name, path)


def _check_member(fp, size: int, info: zipfile.ZipInfo, name: str, path: str) -> None:
    """Local header, stored bytes within the file, actual inflated size, and no DTD."""
    fp.seek(info.header_offset)
    local = fp.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise damaged(Path(path), info.filename)
    n, m = struct.unpack("<2H", local[26:30])
    start = info.header_offset + 30 + n + m
    if start + info.compress_size > size:
        raise damaged(Path(path), info.filename)   # truncated
    fp.seek(start)
    want = min(info.file_size, SAMPLE) + 1
    if info.compress_type == zipfile.ZIP_STORED:
        data, consumed = fp.read(min(info.compress_size, want)), min(info.compress_size, want)
        ended = info.compress_size <= SAMPLE
    else:
        d = zlib.decompressobj(-15)
        chunks, produced, left, consumed = [], 0, info.compress_size, 0
        while left and produced < want:
            chunk = fp.read(min(left, 1 << 16))
            if not chunk:
                break
            left -= len(chunk)
            out = d.decompress(chunk, want - produced)
            consumed += len(chunk) - len(d.unconsumed_tail)
            chunks.append(out)
            produced += len(out)
            if d.eof:
                break
        data = b"".join(chunks)
        ended = d.eof
    if len(data) > info.file_size:
        if info.file_size < SAMPLE and info.compress_type == zipfile.ZIP_DEFLATED and not ended:
            more = d.decompress(d.unconsumed_tail + fp.read(min(left, 4 * SAMPLE)), SAMPLE)
            ended = d.eof and len(data) + len(more) <= SAMPLE
        if ended:   # a small part longer than its header says: damaged, not a bomb
            raise damaged(Path(path), info.filename)
        raise _hostile(name, info.filename, "解压后比它声明的大小更大(伪造的大小)",
                       "inflates to more than its declared size (a forged size)")
    if ended and len(data) < info.file_size:
        raise damaged(Path(path), info.filename)
    if len(data) >= RATIO_FROM and len(data) > MAX_RATIO * max(consumed, 1):
        raise _hostile(name, info.filename, f"的压缩比超过 {MAX_RATIO}:1(压缩炸弹)",
                       f"compresses beyond {MAX_RATIO}:1 (a zip bomb)")
    if _has_dtd(data):
        raise _hostile(name, info.filename, "含有文档类型声明(DTD/实体定义), 正常的工作簿从不包含它",
                       "contains a document type declaration (DTD / entities), which workbooks never have")


def _has_dtd(data: bytes) -> bool:
    """True if the XML prolog declares a DOCTYPE, or is too long to be a real prolog."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data[:MAX_PROLOG * 2].decode("utf-16", "replace")
    else:
        text = data[:MAX_PROLOG].decode("utf-8", "replace")
    text = text.lstrip("\ufeff")
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("<?", i):
            j = text.find("?>", i)
            if j < 0:
                return n >= MAX_PROLOG
            i = j + 2
        elif text.startswith("<!--", i):
            j = text.find("-->", i)
            if j < 0:
                return n >= MAX_PROLOG
            i = j + 3
        elif text.startswith("<!", i):
            return True       # <!DOCTYPE (or anything else that is not an element)
        else:
            return False      # the root element, or not XML at all (an image, a binary part)
    return n >= MAX_PROLOG and data.lstrip()[:1] == b"<"


def _read_small(fp, info: zipfile.ZipInfo) -> bytes:
    return read_raw(fp, info, check_crc=False)


def _check_structure(fp, members: dict, name: str, path: str) -> None:
    """Content types, the workbook part, and every sheet's part and content type."""
    def xml(member: str):
        try:
            return parse(_read_small(fp, members[member]))
        except XmlError:
            raise damaged(Path(path), member) from None

    types = xml(CT_PART)
    overrides, defaults = {}, {}
    for el in types.children:
        if el.local == "Override":
            overrides[el.attrs.get("PartName", "").lstrip("/").lower()] = el.attrs.get("ContentType", "")
        elif el.local == "Default":
            defaults[el.attrs.get("Extension", "").lower()] = el.attrs.get("ContentType", "")

    def ctype(part: str) -> str | None:
        return overrides.get(part.lower()) or defaults.get(posixpath.splitext(part)[1][1:].lower())

    lower = {n.lower(): n for n in members}
    office = None
    for el in xml("_rels/.rels").children:
        t = el.attrs.get("Type", "")
        if el.local == "Relationship" and t.rsplit("/", 1)[-1] == "officeDocument" \
                and el.attrs.get("TargetMode") != "External":
            office = el.attrs.get("Target", "")
            break
    if office is None:
        raise _not_workbook(name, "(找不到工作簿部件, 可能是 Word/PowerPoint 文件或其他格式)",
                            " (no workbook part: a Word/PowerPoint file or another format?)")
    office = posixpath.normpath(office.lstrip("/"))
    part = lower.get(office.lower())
    ct = ctype(office) or ""
    if part is None:
        raise damaged(Path(path), office)
    if ct not in CT_WORKBOOKS and xml(part).local != "workbook":
        raise _not_workbook(name, "(可能是 Word/PowerPoint 文件或其他格式)", " (maybe a Word/PowerPoint file)")
    rels_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    rels = {}
    if rels_part.lower() in lower:
        for el in xml(lower[rels_part.lower()]).children:
            if el.local == "Relationship" and el.attrs.get("TargetMode") != "External":
                target = el.attrs.get("Target", "")
                target = target[1:] if target.startswith("/") else posixpath.join(posixpath.dirname(part), target)
                rels[el.attrs.get("Id")] = (el.attrs.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(target))
    wb = xml(part)
    sheets = next((c for c in wb.children if c.local == "sheets"), None)
    for sheet in (sheets.children if sheets is not None else []):
        rid = sheet.attr(NS_R, "id") or sheet.attr(NS_R_STRICT, "id")
        title = sheet.attrs.get("name", "?")
        if rid not in rels:
            raise WorkbookError(
                f"「{name}」已损坏: 工作表「{title}」在工作簿里没有对应的内容(缺少它的关系 {rid or '(空)'})。"
                "请在 Excel 中打开它(提示修复时选「是」)后另存为 .xlsx, 或使用一份完好的副本。",
                f"'{name}' is damaged: sheet '{title}' has no contents (its relationship {rid or '(empty)'} is "
                "missing). Open it in Excel (accept the repair) and save it as .xlsx, or use an intact copy.")
        kind, target = rels[rid]
        if target.lower() not in lower:
            raise WorkbookError(
                f"「{name}」已损坏: 工作表「{title}」的内容({target})在文件里不存在。请在 Excel 中打开它"
                "(提示修复时选「是」)后另存为 .xlsx, 或使用一份完好的副本。",
                f"'{name}' is damaged: the contents of sheet '{title}' ({target}) are missing. Open it in Excel "
                "(accept the repair) and save it as .xlsx, or use an intact copy.")
        allowed = SHEET_TYPES.get(kind)
        declared = (ctype(target) or "").lower()
        # a generic XML type is "not said" (some libraries write that for added sheets): readers accept it
        if allowed is not None and declared not in allowed and declared not in GENERIC_XML:
            raise WorkbookError(
                f"「{name}」已损坏: 工作表「{title}」的部件 {target} 的内容类型不对({ctype(target) or '没有'}), "
                "读取它不安全。请在 Excel 中打开它后另存为 .xlsx, 或使用一份完好的副本。",
                f"'{name}' is damaged: sheet '{title}' ({target}) has the content type "
                f"{ctype(target) or 'none'}. Re-save it as .xlsx in Excel, or use an intact copy.")
