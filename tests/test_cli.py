"""The `salesbook` command as a user runs it: real files, real exit codes and messages."""
import datetime as dt
import hashlib
import zipfile

import fastexcel
from click.testing import CliRunner

from builders import customer, staff, write_book
from salesbook.cli import main

TODAY = "2026-03-31"


def _book(tmp_path, **extra):
    sheets = dict(
        staff=[staff("S1", channel="外销"), staff("S2", channel="内销")],
        customers=[customer("K1", registered="2026-01-05", by="S1")],
        visits=[{"日期": "2026-03-02", "工号": "S1", "客户编号": "K1", "拜访方式": "意向拜访", "时长(分钟)": 10}],
        contracts=[{"合同编号": "C1", "客户编号": "K1", "签约人工号": "S1", "签约日期": "2026-03-05",
                    "原价": 10000, "合同金额": 10000, "审批状态": "已批准", "审批人工号": "S1", "合同状态": "执行中"}],
        payments=[{"回款编号": "P1", "合同编号": "C1", "回款日期": "2026-03-20", "金额": 5000,
                   "收款人工号": "S1", "是否上交": "是"}],
        targets=[{"月份": "2026-03", "工号": "S1", "销售目标": 8000}, {"月份": "2026-03", "工号": "S2", "销售目标": 8000}],
        commission_plan=[{"岗位": "默认", "下限": 0, "比例": 0.05}],
    )
    sheets.update(extra)
    return write_book(tmp_path / "台账.xlsx", **sheets)


def _digest(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _sheet(p, name):
    return fastexcel.read_excel(str(p)).load_sheet(name, dtypes="string").to_pandas()


def test_validate_clean_book_exits_0_and_writes_issues_sheet(tmp_path):
    p = _book(tmp_path)
    r = CliRunner().invoke(main, ["validate", str(p), "--today", TODAY])
    assert r.exit_code == 0, r.output
    assert "0 个错误" in r.output
    issues = _sheet(p, "校验结果")
    assert list(issues.columns) == ["级别", "工作表", "行号", "列", "值", "问题", "建议"]
    assert (issues["级别"] != "错误").all()
    assert (tmp_path / "台账.bak.xlsx").exists()


def test_validate_reports_planted_defect_on_its_cell_and_exits_1(tmp_path):
    p = _book(tmp_path, payments=[{"回款编号": "P1", "合同编号": "C1", "回款日期": "2026-03-20",
                                   "金额": "五千", "收款人工号": "S1", "是否上交": "是"}])
    r = CliRunner().invoke(main, ["validate", str(p), "--today", TODAY])
    assert r.exit_code == 1, r.output
    issues = _sheet(p, "校验结果")
    hit = issues[(issues["工作表"] == "回款") & (issues["行号"] == "2") & (issues["列"] == "金额")]
    assert len(hit) == 1 and hit["级别"].iloc[0] == "错误" and hit["值"].iloc[0] == "五千"


def test_unusable_workbook_exits_2_with_message_and_file_untouched(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"this is not a zip")
    before = _digest(bad)
    r = CliRunner().invoke(main, ["validate", str(bad)])
    assert r.exit_code == 2
    assert "坏.xlsx" in r.output and "Excel" in r.output
    assert _digest(bad) == before

    p = _book(tmp_path)
    with zipfile.ZipFile(p) as z:
        assert "xl/workbook.xml" in z.namelist()
    import openpyxl

    wb = openpyxl.load_workbook(p)
    wb["合同"]["I1"] = "金额"
    wb.save(p)
    before = _digest(p)
    r = CliRunner().invoke(main, ["validate", str(p)])
    assert r.exit_code == 2 and "合同" in r.output and "合同金额" in r.output
    assert _digest(p) == before


def test_out_option_leaves_book_untouched(tmp_path):
    p = _book(tmp_path)
    before = _digest(p)
    out = tmp_path / "结果.xlsx"
    r = CliRunner().invoke(main, ["validate", str(p), "-o", str(out), "--today", TODAY])
    assert r.exit_code == 0, r.output
    assert _digest(p) == before
    assert "校验结果" in fastexcel.read_excel(str(out)).sheet_names


def test_assign_and_commission_write_their_sheets(tmp_path):
    p = _book(tmp_path)
    r = CliRunner().invoke(main, ["assign", str(p), "--as-of", "2026-03-31", "--today", TODAY])
    assert r.exit_code == 0, r.output
    own = _sheet(p, "客户归属")
    assert own["归属人工号"].tolist() == ["S1"]
    r = CliRunner().invoke(main, ["commission", str(p), "--month", "2026-03", "--today", TODAY])
    assert r.exit_code == 0, r.output
    pay = _sheet(p, "业绩提成").set_index("工号")
    assert set(pay.index) == {"S1", "S2"}
    assert float(pay.loc["S1", "提成"]) == 250.0  # 5% of the 5,000 remitted in March
    names = fastexcel.read_excel(str(p)).sheet_names
    assert {"校验结果", "客户归属", "归属记录", "业绩提成", "提成明细"} <= set(names)


def test_bad_month_option_is_explained(tmp_path):
    p = _book(tmp_path)
    r = CliRunner().invoke(main, ["commission", str(p), "--month", "2026-3x"])
    assert r.exit_code == 2 and "YYYY-MM" in r.output


def test_explain_and_plan_comparison(tmp_path):
    import openpyxl

    p = _book(tmp_path)
    plan = tmp_path / "新方案.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "提成方案"
    ws.append(["岗位", "下限", "上限", "比例"])
    ws.append(["默认", 0, None, 0.1])
    wb.save(plan)
    before = p.read_bytes()
    r = CliRunner().invoke(main, ["commission", str(p), "--month", "2026-03", "--today", TODAY,
                                  "--explain", "S1"])
    assert r.exit_code == 0, r.output
    assert "S1" in r.output and "应发合计" in r.output and "P1" in r.output
    assert p.read_bytes() == before                  # --explain only prints
    r = CliRunner().invoke(main, ["commission", str(p), "--month", "2026-03", "--today", TODAY,
                                  "--plan", str(plan)])
    assert r.exit_code == 0, r.output
    cmp = _sheet(p, "方案对比").set_index("工号")
    assert float(cmp.loc["S1", "原提成"]) == 250.0 and float(cmp.loc["S1", "新提成"]) == 500.0

    wb = openpyxl.Workbook()
    wb.active.title = "别的表"
    wb.save(plan)
    r = CliRunner().invoke(main, ["commission", str(p), "--month", "2026-03", "--plan", str(plan)])
    assert r.exit_code == 2 and "提成方案" in r.output
