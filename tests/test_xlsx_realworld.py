"""Real-world package shapes the writer must handle (each seen in ../shared/xlsx-corpus/),
rebuilt by hand so they are tested without the corpus too."""
from __future__ import annotations

import errno
import os
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import fastexcel
import openpyxl
import pandas as pd
import pytest

from conftest_xlsx import members, raw_members, rewrite_zip, stray_files, user_book
from salesbook import marks
from salesbook.errors import WorkbookError
from salesbook.outcome import Highlight
from salesbook.xlsx import write_outcome
from salesbook.xlsx.atomic import STALE_AFTER, backup_path, remove_stale_temps, temp_name
from salesbook.xlsx.safety import damaged

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
FRAME = {"校验结果": pd.DataFrame({"级别": ["错误", "警告"], "问题": ["金额不是数字", "=SUM(A1)"], "行号": [2, 3]})}
MARKS = [Highlight("客户", 3, 2, "错误", "名称重复"), Highlight("客户", 5, 3, "警告", "金额偏大")]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return user_book(tmp_path / "台账.xlsx")


def _sheet_part(path: Path, name: str) -> str:
    from hostile_files import part_of
    return part_of(path, name)


def _all_xml_namespace_valid(path: Path) -> None:
    """Every XML member parses with namespaces resolved (an unbound prefix fails here)."""
    for name, data in members(path).items():
        if name.endswith((".xml", ".rels")):
            ET.fromstring(data)


def _write_twice_and_clear(book: Path, tmp_path: Path) -> tuple[Path, Path]:
    one, two, clear = tmp_path / "one.xlsx", tmp_path / "two.xlsx", tmp_path / "clear.xlsx"
    write_outcome(book, FRAME, MARKS, out=one)
    write_outcome(one, FRAME, MARKS, out=two)
    assert one.read_bytes() == two.read_bytes()
    write_outcome(two, {}, [], out=clear)
    return one, clear


def test_r_prefix_declared_on_the_sheet_elements_only(book: Path):
    """hyperlinks.xlsx: xmlns:r sits on each <sheet>, not on <workbook>."""
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    xml = members(book)["xl/workbook.xml"].decode()
    xml = xml.replace(f' xmlns:r="{r}"', "").replace("<sheet ", f'<sheet xmlns:r="{r}" ')
    rewrite_zip(book, {"xl/workbook.xml": xml.encode()})
    write_outcome(book, FRAME, None)
    _all_xml_namespace_valid(book)
    assert openpyxl.load_workbook(book).sheetnames[-1] == "校验结果"


def test_r_prefix_bound_under_another_name(book: Path):
    """nonstandard-xml-ns-prefix.xlsx: the relationships namespace is bound to "rel", and the
    main namespace to "x"."""
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    xml = members(book)["xl/workbook.xml"].decode()
    xml = (xml.replace(f'xmlns:r="{r}"', f'xmlns:rel="{r}"').replace(" r:id=", " rel:id=")
           .replace(f'xmlns="{NS}"', f'xmlns:x="{NS}"'))
    xml = __import__("re").sub(r"<(/?)(?!\?)(\w+)", r"<\1x:\2", xml)
    rewrite_zip(book, {"xl/workbook.xml": xml.encode()})
    write_outcome(book, FRAME, None)
    _all_xml_namespace_valid(book)
    wb_xml = members(book)["xl/workbook.xml"].decode()
    assert '<x:sheet name="校验结果"' in wb_xml and "rel:id=" in wb_xml.split("校验结果")[1][:80]
    assert openpyxl.load_workbook(book).sheetnames[-1] == "校验结果"


def test_prefixed_content_types_and_package_rels(book: Path, tmp_path: Path):
    """58760.xlsx: [Content_Types].xml and _rels/.rels written with an ns0: prefix."""
    m = members(book)
    ct = m["[Content_Types].xml"].decode().replace("<Types xmlns=", "<ns0:Types xmlns:ns0=")
    ct = ct.replace("<Default ", "<ns0:Default ").replace("<Override ", "<ns0:Override ").replace("</Types>", "</ns0:Types>")
    rels = m["_rels/.rels"].decode().replace("<Relationships xmlns=", "<ns0:Relationships xmlns:ns0=")
    rels = rels.replace("<Relationship ", "<ns0:Relationship ").replace("</Relationships>", "</ns0:Relationships>")
    rewrite_zip(book, {"[Content_Types].xml": ct.encode(), "_rels/.rels": rels.encode()})
    one, _ = _write_twice_and_clear(book, tmp_path)
    _all_xml_namespace_valid(one)
    assert "<ns0:Override PartName=\"/xl/worksheets/sheet3.xml\"" in members(one)["[Content_Types].xml"].decode()
    openpyxl.load_workbook(one)


def test_styles_with_a_bom_and_a_prefix(book: Path, tmp_path: Path):
    """craftonhills…xlsx: styles.xml starts with a BOM and spells every element x:..."""
    import re
    xml = members(book)["xl/styles.xml"].decode()
    xml = xml.replace(f'xmlns="{NS}"', f'xmlns:x="{NS}"')
    xml = re.sub(r"<(/?)(?!\?)(\w+)", r"<\1x:\2", xml)
    rewrite_zip(book, {"xl/styles.xml": b"\xef\xbb\xbf" + xml.encode()})
    one, clear = _write_twice_and_clear(book, tmp_path)
    styles = members(one)["xl/styles.xml"]
    assert styles.startswith(b"\xef\xbb\xbf")
    root = ET.fromstring(styles)
    xfs = root.find(f"{{{NS}}}cellXfs")
    assert int(xfs.get("count")) == len(xfs) and all(c.tag == f"{{{NS}}}xf" for c in xfs)
    dxfs = root.find(f"{{{NS}}}dxfs")
    assert int(dxfs.get("count")) == len(dxfs) == 2
    sheet = members(one)[_sheet_part(one, "校验结果")].decode()
    assert max(int(s) for s in re.findall(r' s="(\d+)"', sheet)) < len(xfs)
    assert members(clear)["xl/styles.xml"] == styles   # no growth on later runs


def test_dxfs_under_alternate_content_count_once(book: Path):
    """style-alternate-content.xlsx: an mc:AlternateContent holds one dxf twice (Choice, Fallback)."""
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    xml = members(book)["xl/styles.xml"].decode()
    alt = (f'<dxfs count="2"><dxf><font><b/></font></dxf><mc:AlternateContent xmlns:mc="{mc}">'
           '<mc:Choice Requires="x14"><dxf><font><i/></font></dxf></mc:Choice>'
           "<mc:Fallback><dxf><font><i/></font></dxf></mc:Fallback></mc:AlternateContent></dxfs>")
    xml = xml.replace("<dxfs count=\"0\" />", alt).replace("<dxfs count=\"0\"/>", alt)
    if "<dxfs" not in xml:
        xml = xml.replace("<tableStyles", alt + "<tableStyles", 1)
    assert "AlternateContent" in xml
    rewrite_zip(book, {"xl/styles.xml": xml.encode()})
    write_outcome(book, {}, MARKS)
    sheet = members(book)[_sheet_part(book, "客户")].decode()
    import re
    ids = {int(i) for i in re.findall(r'dxfId="(\d+)"', sheet)}
    assert ids == {2, 3}   # after the two entries that were there
    dxfs = ET.fromstring(members(book)["xl/styles.xml"]).find(f"{{{NS}}}dxfs")
    assert dxfs.get("count") == "4"
    ws = openpyxl.load_workbook(book)["客户"]
    assert any(marks.MARK_FORMULA in (r.formula or [""])[0] for cf in ws.conditional_formatting for r in cf.rules)


def test_marks_go_among_the_worksheets_direct_children(book: Path, tmp_path: Path):
    """simple-monthly-budget.xlsx, workbookProtection…revision…xlsx: a data-bar rule with an extLst,
    and a customSheetView holding its own pageSetup: our conditionalFormatting/legacyDrawing
    must not land inside them."""
    part = _sheet_part(book, "客户")
    xml = members(book)[part].decode()
    custom = ('<customSheetViews><customSheetView guid="{11111111-2222-3333-4444-555555555555}">'
              '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
              '<pageSetup orientation="portrait"/><headerFooter/></customSheetView></customSheetViews>')
    bar = ('<conditionalFormatting sqref="C2:C21"><cfRule type="dataBar" priority="1"><dataBar><cfvo type="min"/>'
           '<cfvo type="max"/><color rgb="FF638EC6"/></dataBar><extLst><ext uri="{B025F937-C7B1-47D3-B67F-A62EFF666E3E}" '
           'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:id>{00000000-0000-0000-0000-000000000001}'
           "</x14:id></ext></extLst></cfRule></conditionalFormatting>")
    at = xml.index("<dataValidations") if "<dataValidations" in xml else xml.index("<pageMargins")
    xml = xml[:at] + bar + xml[at:]
    xml = xml.replace("</sheetData>", "</sheetData>" + custom, 1)
    rewrite_zip(book, {part: xml.encode()})
    original = members(book)[part]
    one, clear = _write_twice_and_clear(book, tmp_path)
    root = ET.fromstring(members(one)[part])
    children = [c.tag.rsplit("}", 1)[-1] for c in root]
    assert children.count("conditionalFormatting") == 3   # the user's data bar, our 错误 and 警告
    custom_view = root.find(f"{{{NS}}}customSheetViews/{{{NS}}}customSheetView")
    assert [c.tag.rsplit("}", 1)[-1] for c in custom_view] == ["pageMargins", "pageSetup", "headerFooter"]
    rule = root.find(f"{{{NS}}}conditionalFormatting/{{{NS}}}cfRule")
    assert [c.tag.rsplit("}", 1)[-1] for c in rule] == ["dataBar", "extLst"]
    order = ["sheetData", "customSheetViews", "conditionalFormatting", "dataValidations", "pageMargins",
             "legacyDrawing"]
    seen = [c for c in children if c in order]
    assert seen == sorted(seen, key=order.index)
    assert members(clear)[part] == original
    openpyxl.load_workbook(one)


def test_new_rels_part_gets_a_content_type_without_a_rels_default(book: Path):
    """51444.xlsx: [Content_Types].xml names every rels part by Override, no rels Default."""
    import re
    ct = members(book)["[Content_Types].xml"].decode()
    ct = re.sub(r'<Default Extension="rels"[^>]*/>', "", ct)
    for name in members(book):
        if name.endswith(".rels"):
            ct = ct.replace("</Types>", f'<Override PartName="/{name}" ContentType="application/'
                                        'vnd.openxmlformats-package.relationships+xml"/></Types>')
    rewrite_zip(book, {"[Content_Types].xml": ct.encode()})
    write_outcome(book, FRAME, [Highlight("拜访", 2, 1, "错误", "日期不对")])
    root = ET.fromstring(members(book)["[Content_Types].xml"])
    defaults = {d.get("Extension") for d in root if d.tag.endswith("Default")}
    overrides = {o.get("PartName").lstrip("/") for o in root if o.tag.endswith("Override")}
    for name in members(book):
        if name.endswith(".rels"):
            assert "rels" in defaults or name in overrides, name


def test_self_closing_stylesheet(book: Path, tmp_path: Path):
    """47889.xlsx: styles.xml is just <styleSheet/>."""
    rewrite_zip(book, {"xl/styles.xml": f'<?xml version="1.0"?>\n<styleSheet xmlns="{NS}"/>'.encode()})
    one, _ = _write_twice_and_clear(book, tmp_path)
    root = ET.fromstring(members(one)["xl/styles.xml"])
    names = [c.tag.rsplit("}", 1)[-1] for c in root]
    assert names == ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"]
    fills = root.find(f"{{{NS}}}fills")
    assert [f[0].get("patternType") for f in fills][:2] == ["none", "gray125"]
    openpyxl.load_workbook(one)
    assert fastexcel.read_excel(str(one)).load_sheet("校验结果").to_pandas()["问题"].tolist()[1] == "=SUM(A1)"


def test_workbook_part_at_the_package_root(tmp_path: Path):
    """minimal_package.xlsx: workbook.xml, styles.xml and sheet1.xml at the root, no xl/ folder."""
    book = tmp_path / "root.xlsx"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Override PartName="/workbook.xml" ContentType="application/vnd.'
                   'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="workbook.xml"/></Relationships>')
        z.writestr("workbook.xml", f'<workbook xmlns="{NS}" xmlns:r="{rel}"><sheets><sheet name="客户" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>')
        z.writestr("_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="sheet1.xml"/></Relationships>')
        z.writestr("sheet1.xml", f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>客户编号'
                   "</t></is></c></row></sheetData></worksheet>")
    write_outcome(book, FRAME, [Highlight("客户", 2, 1, "错误", "空")])
    names = set(members(book))
    assert {"worksheets/sheet1.xml", "xl/styles.xml"} <= names
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["客户", "校验结果"]
    assert fastexcel.read_excel(str(book)).load_sheet("校验结果").to_pandas()["问题"][0] == "金额不是数字"


def test_damaged_message_mentions_the_backup_only_when_there_is_one(book: Path):
    msg = damaged(book, "xl/styles.xml")
    assert "bak" not in msg.zh and "bak" not in msg.en and "xl/styles.xml" in msg.zh
    backup_path(book).write_bytes(book.read_bytes())
    msg = damaged(book)
    assert "台账.bak.xlsx" in msg.zh and "台账.bak.xlsx" in msg.en


def test_a_damaged_part_we_must_change_is_a_clean_refusal(book: Path):
    """issue252.xlsx: the workbook rels inflate to other bytes than their header says."""
    with zipfile.ZipFile(book) as z:
        infos = {i.filename: i for i in z.infolist()}
    raw = bytearray(book.read_bytes())
    info = infos["xl/_rels/workbook.xml.rels"]
    # a wrong CRC for that member, in its local header and in the central directory
    import struct
    bad = struct.pack("<L", info.CRC ^ 0xFFFF)
    raw[info.header_offset + 14:info.header_offset + 18] = bad
    pos = 0
    while True:
        pos = raw.index(b"PK\x01\x02", pos)
        n = struct.unpack("<H", raw[pos + 28:pos + 30])[0]
        if raw[pos + 46:pos + 46 + n] == info.filename.encode():
            raw[pos + 16:pos + 20] = bad
            break
        pos += 4
    book.write_bytes(bytes(raw))
    before = book.read_bytes()
    with pytest.raises(WorkbookError) as e:
        write_outcome(book, FRAME, None)
    assert "已损坏" in e.value.zh and "xl/_rels/workbook.xml.rels" in e.value.zh
    assert book.read_bytes() == before and stray_files(book.parent) == []


def test_a_damaged_part_we_do_not_need_is_copied_as_it_is(book: Path):
    """A broken part nobody asked us to change (here a theme with a bad CRC) does not stop the write."""
    import struct
    with zipfile.ZipFile(book) as z:
        info = z.getinfo("xl/theme/theme1.xml")
    raw = bytearray(book.read_bytes())
    raw[info.header_offset + 14:info.header_offset + 18] = struct.pack("<L", info.CRC ^ 1)
    book.write_bytes(bytes(raw))
    before = raw_members(book)["xl/theme/theme1.xml"]
    write_outcome(book, FRAME, MARKS)
    assert raw_members(book)["xl/theme/theme1.xml"][3] == before[3]


def test_notes_of_ours_are_recognised_by_their_text_after_a_resave(book: Path):
    """LibreOffice/WPS write every author as " ": our notes are found by their prefix."""
    write_outcome(book, {}, MARKS)
    wb = openpyxl.load_workbook(book)
    ws = wb["客户"]
    assert ws["B3"].comment.text == marks.note_text("名称重复")
    for row in ws.iter_rows():
        for c in row:
            if c.comment is not None:
                c.comment.author = " "
    wb.save(book)
    write_outcome(book, {}, [])
    ws = openpyxl.load_workbook(book)["客户"]
    assert ws["B3"].comment is None and ws["C5"].comment is None
    assert ws["B2"].comment.text.startswith("用户自己的批注")   # the user's own note stays


def test_permission_error_on_replace_says_close_it_and_keeps_the_backup(book: Path, monkeypatch):
    """Windows: os.replace onto a workbook Excel holds open raises PermissionError."""
    write_outcome(book, FRAME, None)                 # now there is a .bak of the original
    bak = backup_path(book)
    bak_before, book_before = bak.read_bytes(), book.read_bytes()
    real = os.replace

    def locked(src, dst):
        if Path(dst) == book:
            raise PermissionError(errno.EACCES, "The process cannot access the file")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(WorkbookError) as e:
        write_outcome(book, FRAME, MARKS)
    assert "关闭" in e.value.zh and "Excel" in e.value.zh and "close" in e.value.en
    assert book.read_bytes() == book_before and bak.read_bytes() == bak_before
    assert stray_files(book.parent) == []


def test_stale_temp_files_of_ours_are_removed_and_nothing_else(book: Path):
    folder = book.parent
    dead = temp_name(book)
    dead = dead.with_name(dead.name.replace(f"-{os.getpid()}-", "-999999999-"))   # no such process
    alive = temp_name(book)                                                         # this process
    old_elsewhere = book.with_name(f".{book.name}.ffff-12-0123abcd.salesbook-tmp")
    theirs = folder / ".notes.salesbook-tmp"
    for p in (dead, alive, old_elsewhere, theirs):
        p.write_bytes(b"partial")
    old = time.time() - STALE_AFTER - 60
    os.utime(old_elsewhere, (old, old))
    os.utime(theirs, (old, old))
    assert sorted(remove_stale_temps(folder)) == sorted([dead, old_elsewhere])
    assert alive.exists() and theirs.exists()
    alive.unlink()
    dead.write_bytes(b"partial")
    write_outcome(book, FRAME, None)   # every write cleans up first
    assert not dead.exists() and theirs.exists() and stray_files(folder) == [theirs.name]


# --- the record of written marks (record.py): unchanged sheets are left alone ----------------

OTHER_MARKS = [Highlight("客户", 7, 1, "警告", "编号格式"), Highlight("拜访", 2, 2, "错误", "工号不存在")]


def _reads(monkeypatch) -> list[str]:
    from salesbook.xlsx.opc import Package
    seen: list[str] = []
    real = Package.read_original

    def spy(self, name, **k):
        seen.append(name)
        return real(self, name, **k)

    monkeypatch.setattr(Package, "read_original", spy)
    return seen


def test_a_rerun_with_the_same_marks_does_not_even_inflate_the_marked_sheets(book: Path, monkeypatch):
    write_outcome(book, FRAME, MARKS)
    first = book.read_bytes()
    reads = _reads(monkeypatch)
    write_outcome(book, FRAME, MARKS)
    assert _sheet_part(book, "客户") not in reads and _sheet_part(book, "拜访") not in reads
    assert book.read_bytes() == first


def test_fast_and_slow_paths_write_the_same_bytes(book: Path, tmp_path: Path, monkeypatch):
    """The record and the no-fill-of-ours shortcut change what is read, never what is written."""
    from salesbook.xlsx import highlights, record
    start = tmp_path / "start.xlsx"
    write_outcome(book, FRAME, MARKS, out=start)
    fast = {}
    for label, marks_now in (("same", MARKS), ("other", OTHER_MARKS), ("none", [])):
        fast[label] = tmp_path / f"fast-{label}.xlsx"
        write_outcome(start, FRAME, marks_now, out=fast[label])
    monkeypatch.setattr(record, "load", lambda pkg: {})
    monkeypatch.setattr(highlights, "_styles_may_have_our_fills", lambda pkg, styles: True)
    for label, marks_now in (("same", MARKS), ("other", OTHER_MARKS), ("none", [])):
        slow = tmp_path / f"slow-{label}.xlsx"
        write_outcome(start, FRAME, marks_now, out=slow)
        assert slow.read_bytes() == fast[label].read_bytes(), label


def test_a_sheet_changed_since_our_run_is_looked_at_again(book: Path):
    """Saved by someone else: the CRCs differ, the record does not match, marks are found by content."""
    write_outcome(book, {}, MARKS)
    part = _sheet_part(book, "客户")
    xml = members(book)[part]
    assert b"<v>400</v>" in xml
    rewrite_zip(book, {part: xml.replace(b"<v>400</v>", b"<v>401</v>", 1)})
    write_outcome(book, {}, OTHER_MARKS)
    ws = openpyxl.load_workbook(book)["客户"]
    ours = sorted(str(cf.sqref) for cf in ws.conditional_formatting
                  if any(marks.MARK_FORMULA in (r.formula or [""])[0] for r in cf.rules))
    assert ours == ["A7"] and ws["B3"].comment is None and ws["A7"].comment.text == marks.note_text("编号格式")
    assert ws["C5"].value == 401


def test_notes_in_a_shapes_part_written_with_other_prefixes(book: Path, tmp_path: Path, monkeypatch):
    """openpyxl writes note shapes as ns0:/ns1:/ns2:; ours say v:/o:/x: and must be declared,
    found again on the next run (same ids), and gone with their declarations when cleared."""
    from salesbook.xlsx import highlights, record
    vml = "xl/drawings/commentsDrawing1.vml"
    assert b"<ns1:shape " in members(book)[vml]
    one, clear = _write_twice_and_clear(book, tmp_path)
    ET.fromstring(members(one)[vml])                       # every prefix bound
    assert members(clear)[vml] == members(book)[vml]
    monkeypatch.setattr(record, "load", lambda pkg: {})   # the slow path alone is idempotent too
    monkeypatch.setattr(highlights, "_styles_may_have_our_fills", lambda pkg, styles: True)
    again = tmp_path / "again.xlsx"
    write_outcome(one, FRAME, MARKS, out=again)
    assert again.read_bytes() == one.read_bytes()


def test_clearing_a_sheet_that_had_no_notes_restores_it_exactly(book: Path, tmp_path: Path):
    part = _sheet_part(book, "拜访")
    before = members(book)
    one, clear = tmp_path / "one.xlsx", tmp_path / "clear.xlsx"
    write_outcome(book, {}, [Highlight("拜访", 3, 2, "错误", "工号不存在")], out=one)
    assert b"legacyDrawing" in members(one)[part]
    write_outcome(one, {}, [], out=clear)
    after = members(clear)
    assert after[part] == before[part]
    assert not [n for n in after if n not in before and not n.startswith("customXml/")]   # notes parts gone
