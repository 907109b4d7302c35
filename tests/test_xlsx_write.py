"""write_outcome: output sheets round trip, untouched parts, determinism, failure safety."""
from __future__ import annotations

import datetime as dt
import errno
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import fastexcel
import numpy as np
import openpyxl
import pandas as pd
import pytest

from conftest_xlsx import (MAY_CHANGE, make_xlsm, members, raw_members, rewrite_zip, soffice_to_csv, stray_files,
                           user_book)
from salesbook.errors import WorkbookError
from salesbook.xlsx import check_writable, write_outcome
from salesbook.xlsx import zipio


def sample_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "文本": ["普通", "=SUM(A1:A2)", "+86 138", "-5", "@x", "带 & < > 符号", " 前后空格 ", None],
        "整数": [1, 2, 3, 4, 5, 6, 7, 8],
        "小数": [1.5, np.nan, -2.25, 1e-7, 123456789.125, 0.1, 3.0, None],
        "日期": pd.to_datetime(["2024-01-31", None, "2025-12-01", "2024-02-29", "2024-03-01", "2024-03-02",
                              "2024-03-03", "2024-03-04"]),
        "时间": pd.to_datetime(["2024-01-31 09:30", "2024-02-01 18:05", None, "2024-02-29 00:00",
                              "2024-03-01 12:00", "2024-03-02 23:59", "2024-03-03 08:00", "2024-03-04 10:00"]),
        "是否": [True, False, True, False, True, False, True, False],
        "混合": [Decimal("12.30"), dt.date(2024, 5, 6), "文字", 7, None, True, pd.Timestamp("2024-05-06 07:08"), 2.5],
    })


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return user_book(tmp_path / "台账.xlsx")


def test_round_trip_types_openpyxl_and_fastexcel(book: Path):
    df = sample_frame()
    write_outcome(book, {"校验结果": df}, None)
    wb = openpyxl.load_workbook(book)
    ws = wb["校验结果"]
    rows = list(ws.values)
    assert rows[0] == tuple(df.columns)
    assert [r[0] for r in rows[1:]] == ["普通", "=SUM(A1:A2)", "+86 138", "-5", "@x", "带 & < > 符号", " 前后空格 ", None]
    for r in range(2, 8):   # formula-looking text is a string cell, never a formula
        assert ws.cell(r, 1).data_type == "s"
    assert [r[1] for r in rows[1:]] == list(range(1, 9))
    assert rows[1][2] == 1.5 and rows[2][2] is None and rows[4][2] == 1e-7 and rows[5][2] == 123456789.125
    assert rows[1][3] == dt.datetime(2024, 1, 31) and rows[2][3] is None
    assert ws.cell(2, 4).number_format == "yyyy-mm-dd"
    assert rows[1][4] == dt.datetime(2024, 1, 31, 9, 30) and ws.cell(2, 5).number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(5, 5).number_format == "yyyy-mm-dd"      # midnight: a plain date
    assert [r[5] for r in rows[1:3]] == ["是", "否"]
    assert rows[1][6] == 12.3 and rows[2][6] == dt.datetime(2024, 5, 6) and rows[3][6] == "文字"
    assert rows[4][6] == 7 and rows[5][6] is None and rows[6][6] == "是" and rows[7][6] == dt.datetime(2024, 5, 6, 7, 8)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G9"
    assert ws["A1"].font.b
    assert ws.column_dimensions["A"].width > 8
    xml = members(book)[_part_of(book, "校验结果")].decode()
    assert "<f>" not in xml and "sharedStrings" not in "".join(members(book))

    fx = fastexcel.read_excel(str(book)).load_sheet("校验结果").to_pandas()
    assert list(fx.columns) == list(df.columns)
    assert fx["文本"].tolist()[:7] == df["文本"].tolist()[:7]
    assert fx["整数"].tolist() == list(range(1, 9))
    assert pd.Timestamp(fx["日期"][0]) == pd.Timestamp("2024-01-31")
    assert pd.Timestamp(fx["时间"][1]) == pd.Timestamp("2024-02-01 18:05")


def _part_of(book: Path, sheet: str) -> str:
    from salesbook.xlsx.opc import Package
    from salesbook.xlsx.workbook import Workbook
    pkg = Package(book)
    try:
        return Workbook(pkg).find(sheet).part
    finally:
        pkg.close()


def test_cjk_width_and_big_sheet(book: Path):
    n = 100_000
    df = pd.DataFrame({"客户编号": [f"C{i:06d}" for i in range(n)], "客户名称": [f"上海某某贸易有限公司{i}" for i in range(n)],
                       "金额": np.arange(n) * 1.25, "日期": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n) % 700, "D")})
    write_outcome(book, {"客户归属": df}, None)
    back = fastexcel.read_excel(str(book)).load_sheet("客户归属").to_pandas()
    assert len(back) == n
    assert back["客户编号"].iloc[-1] == f"C{n - 1:06d}" and back["客户名称"].iloc[12345] == "上海某某贸易有限公司12345"
    assert back["金额"].iloc[-1] == (n - 1) * 1.25
    assert pd.Timestamp(back["日期"].iloc[800]) == pd.Timestamp("2024-01-01") + pd.Timedelta(days=100)
    ws = openpyxl.load_workbook(book, read_only=True)["客户归属"]
    assert ws.max_row == n + 1
    wb = openpyxl.load_workbook(book)   # widths: CJK counts double
    widths = wb["客户归属"].column_dimensions
    assert widths["B"].width > 2 * widths["A"].width - 4


def test_untouched_members_are_byte_identical_and_shared_parts_valid(book: Path):
    before = raw_members(book)
    write_outcome(book, {"校验结果": sample_frame(), "客户归属": sample_frame().head(3)}, None)
    after = raw_members(book)
    for name, raw in before.items():
        if name not in MAY_CHANGE:
            assert after[name] == raw, name   # same method, CRC, size and compressed bytes
    assert set(before) <= set(after)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["客户", "拜访", "校验结果", "客户归属"]
    assert "客户列表" in wb.defined_names
    assert wb.defined_names["客户列表"].attr_text == "'客户'!$A$2:$A$21"
    assert len(wb["客户"]._charts) == 1
    assert wb["客户"]["B2"].comment.text == "用户自己的批注"
    assert wb["客户"]["B3"].fill.fgColor.rgb == "FF00FF00" and wb["客户"]["B3"].font.i
    assert wb["客户"]["C5"].number_format == "#,##0.00"
    assert wb["客户"].data_validations.dataValidation[0].formula1 == '"A,B,C"'
    app = members(book)["docProps/app.xml"].decode()
    assert '<vt:i4>4</vt:i4>' in app and 'size="5"' in app
    assert app.index("客户归属") < app.index("客户列表")   # titles stay grouped: sheets, then names


def test_xlsm_keeps_vba_project_and_content_type(tmp_path: Path):
    book = make_xlsm(tmp_path / "宏.xlsm")
    before = raw_members(book)
    write_outcome(book, {"结果": sample_frame()}, None)
    after = raw_members(book)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    ct = members(book)["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in ct and "vnd.ms-office.vbaProject" in ct
    assert "vbaProject.bin" in members(book)["xl/_rels/workbook.xml.rels"].decode()
    assert (tmp_path / "宏.bak.xlsm").exists()
    assert openpyxl.load_workbook(book, keep_vba=True).sheetnames[-1] == "结果"


def test_replace_keeps_position_id_and_count(book: Path):
    write_outcome(book, {"结果": sample_frame(), "其他": sample_frame().head(1)}, None)
    wb_xml = members(book)["xl/workbook.xml"].decode()
    write_outcome(book, {"结果": sample_frame().head(2)}, None)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["客户", "拜访", "结果", "其他"]
    assert wb["结果"].max_row == 3
    assert members(book)["xl/workbook.xml"].decode() == wb_xml   # same sheetId and r:id


def test_deterministic_and_idempotent(book: Path, tmp_path: Path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    outputs = {"结果": sample_frame(), "汇总": sample_frame().head(2)}
    write_outcome(book, outputs, None, out=a)
    write_outcome(book, outputs, None, out=b)
    assert a.read_bytes() == b.read_bytes()
    first = a.read_bytes()
    write_outcome(a, outputs, None)           # same outputs again, in place
    assert a.read_bytes() == first


def test_out_leaves_book_untouched(book: Path, tmp_path: Path):
    original = book.read_bytes()
    target = write_outcome(book, {"结果": sample_frame()}, None, out=tmp_path / "结果.xlsx")
    assert target == tmp_path / "结果.xlsx"
    assert book.read_bytes() == original
    assert not (tmp_path / "台账.bak.xlsx").exists()
    assert "结果" in openpyxl.load_workbook(target).sheetnames


def test_backup_keeps_one_previous_generation(book: Path):
    first = book.read_bytes()
    write_outcome(book, {"结果": sample_frame()}, None)
    bak = book.with_name("台账.bak.xlsx")
    assert bak.read_bytes() == first
    second = book.read_bytes()
    write_outcome(book, {"结果": sample_frame().head(1)}, None)
    assert bak.read_bytes() == second
    write_outcome(book, {"结果": sample_frame()}, None, backup=False)
    assert bak.read_bytes() == second


def test_date1904_workbook(tmp_path: Path):
    book = user_book(tmp_path / "mac.xlsx")
    wb_xml = members(book)["xl/workbook.xml"].decode().replace("<workbookPr", '<workbookPr date1904="1"', 1)
    rewrite_zip(book, {"xl/workbook.xml": wb_xml.encode()})
    write_outcome(book, {"结果": pd.DataFrame({"日期": pd.to_datetime(["2024-01-31"])})}, None)
    assert openpyxl.load_workbook(book)["结果"]["A2"].value == dt.datetime(2024, 1, 31)


def test_replacing_sheet_with_formulas_drops_stale_calc_chain(book: Path):
    write_outcome(book, {"结果": sample_frame()}, None)
    part = _part_of(book, "结果")
    xml = members(book)[part].decode().replace("<v>1</v>", "<f>1+0</f><v>1</v>", 1)
    ct = members(book)["[Content_Types].xml"].decode().replace(
        "</Types>", '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.calcChain+xml"/></Types>')
    rels = members(book)["xl/_rels/workbook.xml.rels"].decode().replace(
        "</Relationships>", '<Relationship Id="rId77" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                            'relationships/calcChain" Target="calcChain.xml"/></Relationships>')
    sid = openpyxl.load_workbook(book).sheetnames.index("结果") + 1
    chain = f'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="B2" i="{sid}"/></calcChain>'
    rewrite_zip(book, {part: xml.encode(), "[Content_Types].xml": ct.encode(), "xl/_rels/workbook.xml.rels": rels.encode(),
                       "xl/calcChain.xml": chain.encode()})
    write_outcome(book, {"结果": sample_frame()}, None)
    m = members(book)
    assert "xl/calcChain.xml" not in m and "calcChain" not in m["[Content_Types].xml"].decode()
    assert "calcChain" not in m["xl/_rels/workbook.xml.rels"].decode()
    openpyxl.load_workbook(book)


def test_invalid_sheet_names_are_programming_errors(book: Path):
    original = book.read_bytes()
    for bad in ["x" * 32, "a/b", "a[1]", "问:题", "", "'x'", "what?"]:
        with pytest.raises(ValueError):
            write_outcome(book, {bad: sample_frame()}, None)
    assert book.read_bytes() == original


# --- failure safety ------------------------------------------------------------------

@pytest.mark.parametrize("step", ["copy_raw", "write", "close"])
def test_crash_mid_write_leaves_book_identical(book: Path, monkeypatch, step):
    original = book.read_bytes()
    real = getattr(zipio.ZipSink, step)
    calls = {"n": 0}

    def boom(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 2 or step == "close":
            raise RuntimeError("injected crash")
        return real(self, *a, **k)

    monkeypatch.setattr(zipio.ZipSink, step, boom)
    with pytest.raises(RuntimeError, match="injected"):
        write_outcome(book, {"结果": sample_frame(), "汇总": sample_frame()}, None)
    assert book.read_bytes() == original
    assert stray_files(book.parent) == []
    assert not book.with_name("台账.bak.xlsx").exists()


def test_crash_while_generating_rows_leaves_book_identical(book: Path, monkeypatch):
    from salesbook.xlsx import cells
    original = book.read_bytes()
    real = cells.rows_xml

    def rows(*a, **k):
        yield next(real(*a, **k))
        raise MemoryError("injected")

    monkeypatch.setattr(cells, "rows_xml", rows)
    with pytest.raises(MemoryError):
        write_outcome(book, {"结果": pd.concat([sample_frame()] * 5000)}, None)
    assert book.read_bytes() == original and stray_files(book.parent) == []


def test_disk_full_is_a_workbook_error_and_book_untouched(book: Path, monkeypatch):
    original = book.read_bytes()

    def full(self, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipio.ZipSink, "write", full)
    with pytest.raises(WorkbookError) as e:
        write_outcome(book, {"结果": sample_frame()}, None)
    assert "磁盘空间不足" in e.value.zh and "Disk full" in e.value.en
    assert book.read_bytes() == original and stray_files(book.parent) == []


def test_failed_rename_leaves_book_and_no_temp(book: Path, monkeypatch):
    original = book.read_bytes()
    real = os.replace

    def fail(src, dst):
        if str(dst) == str(book):
            raise PermissionError(errno.EACCES, "denied")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(WorkbookError) as e:
        write_outcome(book, {"结果": sample_frame()}, None)
    assert "没有权限" in e.value.zh
    assert book.read_bytes() == original and stray_files(book.parent) == []


def test_lock_file_blocks_and_book_untouched(book: Path):
    original = book.read_bytes()
    (book.parent / f"~${book.name}").write_bytes(b"\x00owner")
    with pytest.raises(WorkbookError) as e:
        write_outcome(book, {"结果": sample_frame()}, None)
    assert "关闭" in e.value.zh and "台账.xlsx" in e.value.zh and "close" in e.value.en
    assert book.read_bytes() == original and stray_files(book.parent) == []


def test_missing_and_not_a_zip(tmp_path: Path):
    with pytest.raises(WorkbookError) as e:
        check_writable(tmp_path / "没有.xlsx")
    assert "找不到文件" in e.value.zh
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"this is not a zip file at all")
    with pytest.raises(WorkbookError) as e:
        write_outcome(bad, {"结果": sample_frame()}, None)
    assert "已损坏" in e.value.zh and bad.read_bytes() == b"this is not a zip file at all"
    enc = tmp_path / "加密.xlsx"
    enc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(WorkbookError) as e:
        check_writable(enc)
    assert "密码" in e.value.zh


def test_truncated_zip_and_docx(tmp_path: Path, book: Path):
    cut = tmp_path / "截断.xlsx"
    cut.write_bytes(book.read_bytes()[: len(book.read_bytes()) // 2])
    with pytest.raises(WorkbookError) as e:
        check_writable(cut)
    assert "已损坏" in e.value.zh
    docx = tmp_path / "文档.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                                  'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                                  '</Relationships>')
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(WorkbookError) as e:
        check_writable(docx)
    assert "不是 Excel 工作簿" in e.value.zh


def test_strict_ooxml(book: Path):
    m = members(book)
    strict = {n: d.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                           b"http://purl.oclc.org/ooxml/spreadsheetml/main")
              .replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                       b"http://purl.oclc.org/ooxml/officeDocument/relationships") for n, d in m.items()}
    rewrite_zip(book, strict)
    original = book.read_bytes()
    with pytest.raises(WorkbookError) as e:
        write_outcome(book, {"结果": sample_frame()}, None)
    assert "Strict" in e.value.zh and "另存为" in e.value.zh
    assert book.read_bytes() == original


def test_protected_structure(book: Path):
    xml = members(book)["xl/workbook.xml"].decode()
    xml = xml.replace("<workbookProtection />", "").replace("<workbookProtection/>", "")
    xml = xml.replace("<bookViews>", '<workbookProtection lockStructure="1"/><bookViews>', 1)
    rewrite_zip(book, {"xl/workbook.xml": xml.encode()})
    original = book.read_bytes()
    with pytest.raises(WorkbookError) as e:
        write_outcome(book, {"结果": sample_frame()}, None)
    assert "保护工作簿" in e.value.zh and "审阅" in e.value.zh
    assert book.read_bytes() == original


def test_not_writable_target(book: Path, monkeypatch):
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == book.parent else real(p, mode))
    with pytest.raises(WorkbookError) as e:
        check_writable(book)
    assert "没有权限写入" in e.value.zh


def test_libreoffice_opens_output(book: Path, tmp_path: Path):
    df = sample_frame()
    write_outcome(book, {"校验结果": df}, None)
    out = tmp_path / "csv"
    out.mkdir()
    soffice_to_csv(book, out)
    text = (out / "台账-校验结果.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "文本,整数,小数,日期,时间,是否,混合"
    assert lines[1].startswith("普通,1,1.5,2024-01-31,2024-01-31 09:30,是,12.3")
    assert lines[2].startswith("=SUM(A1:A2),2,,,2024-02-01 18:05,否")
    assert "带 & < > 符号" in text
    assert (out / "台账-客户.csv").read_text(encoding="utf-8").splitlines()[1].startswith("C001,客户1,100")
