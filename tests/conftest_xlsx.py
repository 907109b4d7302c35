"""Fixture workbooks and helpers for the tests/test_xlsx_*.py modules (imported explicitly)."""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import uuid
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

# Parts write_outcome may rewrite; every other member must come through byte for byte.
MAY_CHANGE = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml",
              "docProps/app.xml"}

APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           '<Application>Microsoft Excel</Application><HeadingPairs><vt:vector size="4" baseType="variant">'
           '<vt:variant><vt:lpstr>工作表</vt:lpstr></vt:variant><vt:variant><vt:i4>{n}</vt:i4></vt:variant>'
           '<vt:variant><vt:lpstr>命名范围</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant>'
           '</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{m}" baseType="lpstr">{titles}'
           '<vt:lpstr>客户列表</vt:lpstr></vt:vector></TitlesOfParts></Properties>')


def user_book(path: Path) -> Path:
    """A workbook like a user's: styles, a data validation, a defined name, a chart, a comment."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户"
    ws.append(["客户编号", "客户名称", "金额"])
    for i in range(1, 21):
        ws.append([f"C{i:03d}", f"客户{i}", i * 100])
    ws["A1"].font = Font(bold=True, color="FF0000FF")
    ws["B3"].fill = PatternFill("solid", fgColor="FF00FF00")
    ws["B3"].font = Font(italic=True)
    ws["C5"].number_format = "#,##0.00"
    ws["B2"].comment = Comment("用户自己的批注", "张经理")
    dv = DataValidation(type="list", formula1='"A,B,C"', allow_blank=True)
    dv.add("D2:D100")
    ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    wb.defined_names["客户列表"] = DefinedName("客户列表", attr_text="'客户'!$A$2:$A$21")
    other = wb.create_sheet("拜访")
    other.append(["日期", "工号", "客户编号"])
    for i in range(1, 11):
        other.append([f"2024-01-{i:02d}", f"S{i:03d}", f"C{i:03d}"])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=21), titles_from_data=True)
    ws.add_chart(chart, "F2")
    wb.save(path)
    set_app_titles(path, ["客户", "拜访"])
    return path


def rewrite_zip(path: Path, change: dict[str, bytes | None]) -> None:
    """Rebuild a zip with members replaced/added (None = removed); test fixtures only."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    tmp = path.with_suffix(".tmpzip")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        names = set()
        for info, data in items:
            names.add(info.filename)
            if info.filename in change:
                if change[info.filename] is None:
                    continue
                data = change[info.filename]
            z.writestr(info, data)
        for name, data in change.items():
            if name not in names and data is not None:
                z.writestr(name, data)
    os.replace(tmp, path)


def set_app_titles(path: Path, sheets: list[str]) -> None:
    titles = "".join(f"<vt:lpstr>{s}</vt:lpstr>" for s in sheets)
    rewrite_zip(path, {"docProps/app.xml": APP_XML.format(n=len(sheets), m=len(sheets) + 1, titles=titles).encode()})


def make_xlsm(path: Path) -> Path:
    """An .xlsm-like workbook: macro-enabled content type and a vbaProject.bin member."""
    user_book(path)
    with zipfile.ZipFile(path) as z:
        ct = z.read("[Content_Types].xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    ct = ct.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    ct = ct.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    rels = rels.replace("</Relationships>", '<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2006/'
                        'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40   # opaque binary payload
    rewrite_zip(path, {"[Content_Types].xml": ct.encode(), "xl/_rels/workbook.xml.rels": rels.encode(),
                       "xl/vbaProject.bin": vba})
    return path


def raw_members(path: Path) -> dict[str, tuple[int, int, int, bytes]]:
    """name -> (method, CRC, size, compressed bytes as stored)."""
    out = {}
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        for i in z.infolist():
            f.seek(i.header_offset)
            head = f.read(30)
            n, m = struct.unpack("<2H", head[26:30])
            f.seek(i.header_offset + 30 + n + m)
            out[i.filename] = (i.compress_type, i.CRC, i.file_size, f.read(i.compress_size))
    return out


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def stray_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "salesbook-tmp" in p.name or p.name.endswith(".tmp"))


def soffice_to_csv(book: Path, outdir: Path, sheet: int | None = None, timeout: int = 180) -> Path:
    """Convert with LibreOffice (own throwaway profile); fails loudly if LibreOffice is missing."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        log = Path("/tmp/apt.log")
        state = "finished" if log.exists() and log.read_text(errors="replace").rstrip().endswith("done") else "not finished"
        raise AssertionError(f"LibreOffice (soffice) is not installed (apt install in /tmp/apt.log: {state}); "
                             "this test needs it to check the written file opens")
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    # Sheet selection: the 4th token of the CSV filter options (LibreOffice >= 7.2); -1 = every sheet.
    filt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false," + str(sheet if sheet else -1)
    try:
        proc = subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", filt,
                               "--outdir", str(outdir), str(book)], capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr
    found = sorted(outdir.glob(book.stem + "*.csv"))
    assert found, f"LibreOffice wrote no CSV: {proc.stdout} {proc.stderr}"
    return outdir
