import datetime as dt

import pytest

from builders import customer, staff, tables, write_book
from salesbook import reader as book
from salesbook.errors import WorkbookError


def test_reads_contract_workbook_with_row_numbers_and_types(tmp_path):
    p = write_book(tmp_path / "b.xlsx",
                   staff=[staff("S1", 底薪=5000), staff("S2", hired=dt.date(2024, 3, 5), 底薪="5,000")],
                   customers=[customer("K1", registered=dt.datetime(2026, 1, 5, 9, 30))])
    b = book.load(p)
    st = b.tables["staff"]
    assert list(st["_row"]) == [2, 3]
    assert st["hire_date"].iloc[1] == dt.datetime(2024, 3, 5)
    assert st["base_salary"].iloc[0] == 5000
    assert [(f.sheet, f.row, f.column, f.value) for f in b.findings] == [("staff", 3, "base_salary", "5,000")]
    assert b.tables["customers"]["registered_at"].iloc[0] == dt.datetime(2026, 1, 5, 9, 30)


def test_missing_sheet_and_renamed_header_are_workbook_errors(tmp_path):
    import openpyxl

    p = write_book(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(p)
    wb["人员"]["B1"] = "名字"
    wb.save(p)
    with pytest.raises(WorkbookError, match="人员.*姓名"):
        book.load(p)
    del wb["拜访"]
    wb.save(p)
    with pytest.raises(WorkbookError, match="拜访"):
        book.load(p)


def test_builders_tables_parse_like_a_file():
    t = tables(staff=[staff("S1")])
    assert t["staff"]["staff_id"].tolist() == ["S1"]
    assert len(t["visits"]) == 0
