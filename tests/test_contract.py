"""The contract is defined once and round-trips through a real workbook, zh or en."""
import openpyxl

from builders import customer, staff, write_book
from salesbook import reader as book, contract as K


def test_every_sheet_and_header_of_domain_md_is_in_the_contract():
    # Spelled here once more on purpose: domain.md §3 is the outside contract.
    assert [s.zh for s in K.INPUT_SHEETS] == [
        "参数", "提成方案", "绩效系数", "折扣权限", "人员", "目标", "考勤", "值班", "客户", "拜访", "合同", "回款", "归属调整"]
    assert K.VISITS.headers() == ["日期", "工号", "客户编号", "拜访方式", "时长(分钟)", "是否有意向", "未成交原因",
                                  "跟进内容", "下次跟进日期"]
    assert K.PAYROLL.headers()[-3:] == ["调整", "应发合计", "备注"]
    keys = [c.key for s in K.ALL_SHEETS for c in s.columns]
    assert all(k.isidentifier() for k in keys)
    for s in K.ALL_SHEETS:
        assert len({c.zh for c in s.columns}) == len(s.columns)
        assert len({c.en.lower() for c in s.columns}) == len(s.columns)
        for c in s.columns:
            assert c.ref is None or c.ref in K.SHEETS
            assert (c.type == K.ENUM) == bool(c.choices), (s.zh, c.zh)


def test_english_sheet_names_and_headers_are_accepted(tmp_path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in K.INPUT_SHEETS:
        wb.create_sheet(s.en).append(s.headers("en"))
    wb["Staff"].append(["S1", "Ann", "销售代表", "外销", "华东", "一组", None, "2024-01-01", None, "在职"])
    p = tmp_path / "en.xlsx"
    wb.save(p)
    b = book.load(p)
    assert b.sheet_names["staff"] == "Staff"
    assert b.tables["staff"]["name"].tolist() == ["Ann"]
    assert b.findings == []


def test_extra_user_columns_and_column_order_and_blank_rows(tmp_path):
    p = write_book(tmp_path / "b.xlsx", staff=[staff("S1"), staff("S2")], customers=[customer("K1")])
    wb = openpyxl.load_workbook(p)
    ws = wb["人员"]
    ws.insert_cols(1)
    ws["A1"] = "我的备注"
    ws["A2"] = "老员工"
    for _ in range(3):
        ws.append([])
    ws.append(["", "S3", "王五", "组长", "外销", "华东", "一组", None, "2024-01-01", None, "在职"])
    wb.save(p)
    b = book.load(p)
    st = b.tables["staff"]
    assert st["staff_id"].tolist() == ["S1", "S2", "S3"]
    assert st["_row"].tolist() == [2, 3, 7]
    assert b.column_index["staff"]["staff_id"] == 2
