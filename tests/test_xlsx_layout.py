"""Output sheets look finished: formats by contract type, the input sheets' header, wrapped
long text with heights that show it, frozen header, filter, and a print setup."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from conftest_xlsx import user_book
from salesbook import contract as K
from salesbook import template
from salesbook.xlsx import write_outcome
from salesbook.xlsx.layout import HEADER_FILL_RGB, HEADER_FONT_RGB, column_layouts, display_width


def payroll_frame(n: int = 6) -> pd.DataFrame:
    cols = {c.zh: c for c in K.PAYROLL.columns}
    data = {}
    for name, c in cols.items():
        if c.type == K.MONEY:
            data[name] = np.arange(n) * 12345.675
        elif c.type == K.RATIO:
            data[name] = np.linspace(0, 6.389075, n)
        elif c.type == K.MONTH:
            data[name] = "2026-03"
        else:
            data[name] = [f"{name}{i}" for i in range(n)]
    data["备注"] = ["无销售目标, 达成率留空, 绩效系数按最低档 0.5" * (1 + i % 3) for i in range(n)]
    return pd.DataFrame(data)


def issues_frame() -> pd.DataFrame:
    return pd.DataFrame({"级别": ["错误", "警告"], "工作表": ["拜访", "客户"], "行号": [12, 3400], "列": ["时长", "电话"],
                         "值": ["=1+1", "138"], "问题": ["「时长」应为数字, 填的是「=1+1」" * 3, "短"],
                         "建议": ["改成分钟数, 例如 30", "核对"]})


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return user_book(tmp_path / "台账.xlsx")


def test_header_looks_like_the_input_sheets(book: Path):
    assert HEADER_FILL_RGB[2:] == template.HEADER_FILL.fgColor.rgb[-6:]
    assert HEADER_FONT_RGB[2:] == template.HEADER_FONT.color.rgb[-6:] and template.HEADER_FONT.b
    write_outcome(book, {"业绩提成": payroll_frame()}, None)
    ws = openpyxl.load_workbook(book)["业绩提成"]
    for cell in ws[1]:
        assert cell.font.b and cell.font.color.rgb == HEADER_FONT_RGB
        assert cell.fill.fgColor.rgb == HEADER_FILL_RGB and cell.fill.fill_type == "solid"
        assert cell.alignment.horizontal == "center"


def test_number_formats_follow_the_contract_types(book: Path):
    df = payroll_frame()
    write_outcome(book, {"业绩提成": df, "校验结果": issues_frame()}, None)
    wb = openpyxl.load_workbook(book)
    ws = wb["业绩提成"]
    fmt = {ws.cell(1, j).value: ws.cell(3, j).number_format for j in range(1, ws.max_column + 1)}
    for c in K.PAYROLL.columns:
        if c.type == K.MONEY:
            assert fmt[c.zh] == "#,##0.00", c.zh
        elif c.type == K.RATIO:
            assert fmt[c.zh].endswith("%"), c.zh
    assert ws.cell(3, 6).value == pytest.approx(12345.675)     # the value itself is not rounded
    issues = wb["校验结果"]
    assert issues["C2"].number_format == "0" and issues["C3"].value == 3400
    assert issues["E2"].value == "=1+1" and issues["E2"].data_type == "s"


def test_long_text_wraps_within_a_sensible_width_and_rows_grow(book: Path):
    write_outcome(book, {"业绩提成": payroll_frame(), "校验结果": issues_frame()}, None)
    wb = openpyxl.load_workbook(book)
    ws = wb["业绩提成"]
    col = [ws.cell(1, j).value for j in range(1, ws.max_column + 1)].index("备注") + 1
    letter = openpyxl.utils.get_column_letter(col)
    assert ws.cell(2, col).alignment.wrap_text and ws.cell(2, col).alignment.vertical == "top"
    assert 20 <= ws.column_dimensions[letter].width <= K.PAYROLL.col("remarks").width
    heights = [ws.row_dimensions[r].height for r in range(2, 8)]
    assert heights[0] is None or heights[0] <= heights[2]       # one sentence vs three
    assert heights[2] and heights[2] >= 3 * 15
    issues = wb["校验结果"]
    assert issues["F2"].alignment.wrap_text and issues.row_dimensions[2].height >= 30
    assert issues.row_dimensions[3].height is None                # a short row keeps the default height
    assert issues.column_dimensions["A"].width < 12               # 级别 stays narrow


def test_frozen_header_filter_and_print_setup(book: Path):
    write_outcome(book, {"业绩提成": payroll_frame()}, None)
    wb = openpyxl.load_workbook(book)
    ws = wb["业绩提成"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:S7"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    write_outcome(book, {"业绩提成": payroll_frame(2)}, None)    # replacing keeps one print-titles name
    wb = openpyxl.load_workbook(book)
    assert wb["业绩提成"].print_title_rows == "$1:$1"
    xml = _workbook_xml(book)
    assert xml.count("_xlnm.Print_Titles") == 1


def _workbook_xml(book: Path) -> str:
    import zipfile
    with zipfile.ZipFile(book) as z:
        return z.read("xl/workbook.xml").decode()


def test_unknown_sheets_and_english_headers_get_a_layout(book: Path):
    df = pd.DataFrame({"Month": ["2026-03"], "SignedSales": [1234.5], "Remarks": ["x" * 200],
                       "When": [dt.datetime(2026, 3, 1, 9, 30)], "Count": [3]})
    lay = {c.header: c for c in column_layouts("Payroll", df)}
    assert lay["SignedSales"].number_format == "#,##0.00" and lay["Remarks"].wrap
    generic = {c.header: c for c in column_layouts("我的汇总", df)}
    assert generic["Count"].number_format == "0" and generic["Remarks"].wrap and generic["Remarks"].width <= 50
    write_outcome(book, {"我的汇总": df}, None)
    ws = openpyxl.load_workbook(book)["我的汇总"]
    assert ws["D2"].value == dt.datetime(2026, 3, 1, 9, 30) and ws["D2"].number_format == "yyyy-mm-dd hh:mm"


def test_display_width_counts_wide_characters_double():
    w = display_width(pd.Series(["abc", "销售", "ａｂ", None, "混合mix"]))
    assert w.tolist() == [3, 4, 4, 0, 7]
