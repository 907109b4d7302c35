"""Highlights: salesbook's fills and comments on input cells, replaced on every run."""
import zipfile

import openpyxl
import pandas as pd

from conftest_xlsx import user_book
from salesbook.marks import NOTE_AUTHOR, note_text
from salesbook.outcome import Highlight
from salesbook.xlsx import write_outcome
from test_template import soffice_convert_all_sheets


def _marks(ws):
    return sorted(str(cf.sqref) for cf in ws.conditional_formatting
                  if any('"salesbook"' in f for r in cf.rules for f in (r.formula or [])))


def _members(p):
    with zipfile.ZipFile(p) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_cells_get_fill_and_comment_and_the_next_run_replaces_them(tmp_path):
    p = user_book(tmp_path / "b.xlsx")
    write_outcome(p, {"校验结果": pd.DataFrame({"问题": ["x"]})},
                  [Highlight("客户", 4, 3, "错误", "金额应为数字\n请改成数字"),
                   Highlight("拜访", 3, 2, "警告", "工号不存在")])
    wb = openpyxl.load_workbook(p)
    assert _marks(wb["客户"]) == ["C4"] and _marks(wb["拜访"]) == ["B3"]
    assert wb["客户"]["C4"].comment.text == note_text("金额应为数字\n请改成数字")
    assert wb["客户"]["C4"].comment.author == NOTE_AUTHOR
    assert wb["拜访"]["B3"].comment.text == note_text("工号不存在")

    write_outcome(p, {"校验结果": pd.DataFrame({"问题": ["y"]})}, [Highlight("客户", 6, 1, "警告", "新问题")])
    wb = openpyxl.load_workbook(p)
    assert _marks(wb["客户"]) == ["A6"] and _marks(wb["拜访"]) == []
    assert wb["客户"]["C4"].comment is None and wb["拜访"]["B3"].comment is None
    assert wb["客户"]["A6"].comment.text == note_text("新问题")

    write_outcome(p, {}, [])
    wb = openpyxl.load_workbook(p)
    assert _marks(wb["客户"]) == [] and wb["客户"]["A6"].comment is None


def test_users_comments_styles_and_formats_survive(tmp_path):
    p = user_book(tmp_path / "b.xlsx")
    before = openpyxl.load_workbook(p)["客户"]
    style_before = (before["B3"].fill.fgColor.rgb, before["B3"].font.i, before["C5"].number_format)
    # B2 carries the user's own comment: it keeps it and only gets the fill.
    write_outcome(p, {}, [Highlight("客户", 2, 2, "错误", "名称重复"), Highlight("客户", 3, 2, "警告", "看一下")])
    write_outcome(p, {}, [Highlight("客户", 5, 3, "错误", "再看")])
    ws = openpyxl.load_workbook(p)["客户"]
    assert ws["B2"].comment.text.startswith("用户自己的批注") and ws["B2"].comment.author == "张经理"
    assert (ws["B3"].fill.fgColor.rgb, ws["B3"].font.i, ws["C5"].number_format) == style_before
    assert ws["B3"].comment is None
    write_outcome(p, {}, [])
    ws = openpyxl.load_workbook(p)["客户"]
    assert ws["B2"].comment.author == "张经理" and _marks(ws) == []


def test_highlighting_leaves_unrelated_parts_byte_identical(tmp_path):
    p = user_book(tmp_path / "b.xlsx")
    before = _members(p)
    write_outcome(p, {}, [Highlight("拜访", 2, 1, "错误", "日期不对")])
    after = _members(p)
    # the workbook's rels gain the link to salesbook's record of its marks (record.py)
    untouched = {n for n in before if "sheet2" not in n and n not in (
        "[Content_Types].xml", "xl/styles.xml", "xl/worksheets/_rels/sheet2.xml.rels", "xl/_rels/workbook.xml.rels")}
    assert {n: after[n] for n in untouched} == {n: before[n] for n in untouched}


def test_highlighted_workbook_opens_in_libreoffice(tmp_path):
    p = user_book(tmp_path / "b.xlsx")
    write_outcome(p, {"校验结果": pd.DataFrame({"问题": ["x"]})},
                  [Highlight("客户", 4, 3, "错误", "金额"), Highlight("拜访", 3, 2, "警告", "工号")])
    sheets = soffice_convert_all_sheets(p, tmp_path / "csv")
    assert sheets["客户"][3][:2] == ["C003", "客户3"]
    assert sheets["校验结果"][1] == ["x"]
