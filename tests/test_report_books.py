"""Reports on small hand-made workbooks: privacy of statements, text that looks like a formula,
company templates, manifest merging, ISO week 53, recipients, errors."""
import datetime as dt
import json
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from builders import attendance, contract, customer, payment, staff, target, tiers, visit, write_book
from salesbook.cli import main
from salesbook.errors import UsageError, WorkbookError
from salesbook.reports import default_out_dir, generate
from salesbook.reports.privacy import mask_phone
from salesbook.reports.render import charts, templating

TODAY = dt.date(2026, 11, 10)
pytestmark = pytest.mark.filterwarnings("error:Glyph:UserWarning")
FORMULA_NAMES = ("=HYPERLINK(\"http://x\",\"点我\")", "+86 138", "-1+2", "@SUM(A1)")


def book(tmp_path: Path) -> Path:
    people = [
        staff("M1", "王经理", role="销售经理", team=None, 邮箱="m1@example.com"),
        staff("L1", "组长甲", role="组长", team="一组", manager="M1", 邮箱="l1@example.com"),
        staff("S1", "张喆", team="一组", manager="L1", 邮箱="s1@example.com", 底薪=4321.09, 津贴=111),
        staff("S2", "李堃", team="二组", manager="M1", 邮箱="s2@example.com", 底薪=9876.54, 津贴=222),
        staff("S3", "赵玥", team="二组", manager="M1", 邮箱="不是邮箱", status="离职", left="2026-06-30"),
    ]
    customers = [customer("K1", by="S1", name="上海喆堃科技有限公司", phone="13812345678", registered="2026-09-01"),
                 customer("K2", by="S2", name="北京犇昇贸易", phone="+86 139-8765-4321", registered="2026-09-02")]
    customers += [customer(f"F{i}", by="S1", name=n, phone="13700001111", registered="2026-10-03")
                  for i, n in enumerate(FORMULA_NAMES)]
    visits = [visit("2026-10-05", "S1", "K1", 是否有意向="是", 跟进内容="谈价格", 下次跟进日期="2026-10-06"),
              visit("2026-10-05", "S2", "K2", method="电话拜访", 是否有意向="否"),
              visit("2026-10-05", "S1", "F0", method="陌生拜访", 是否有意向="是", 跟进内容="=1+1")]
    contracts = [contract("C1", "S1", 12345.67, signed="2026-10-05", customer="K1"),
                 contract("C2", "S2", 76543.21, signed="2026-10-06", customer="K2")]
    payments = [payment("P1", "C1", 12345.67, paid="2026-10-05", collector="S1"),
                payment("P2", "C2", 76543.21, paid="2026-10-07", collector="S2")]
    path = write_book(tmp_path / "台账.xlsx", staff=people, customers=customers, visits=visits, contracts=contracts,
                      payments=payments, targets=[target("2026-10", "S1", 10000), target("2026-10", "S2", 100000)],
                      attendance=[attendance("2026-10", "S1"), attendance("2026-10", "S2")],
                      commission_plan=tiers((0, None, 0.1)))
    # openpyxl writes "=…" as a formula: store these cells as the text a user typed
    wb = openpyxl.load_workbook(path)
    for ws in (wb["客户"], wb["拜访"]):
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    c.data_type = "s"
    wb.save(path)
    return path


def texts(folder: Path, entry: dict) -> str:
    f = entry["files"]
    wb = openpyxl.load_workbook(folder / f["xlsx"])
    cells = "\n".join(str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None)
    pdf = subprocess.run(["pdftotext", str(folder / f["pdf"]), "-"], capture_output=True, text=True).stdout
    return "\n".join([(folder / f["json"]).read_text("utf-8"), (folder / f["html"]).read_text("utf-8"), cells, pdf])


def test_a_statement_holds_that_persons_pay_and_nobody_elses(tmp_path):
    path = book(tmp_path)
    manifest = generate(path, "statement", "2026-10", out=tmp_path / "out", today=TODAY)
    reports = {e["key"]: e for e in json.loads(manifest.read_text("utf-8"))["reports"]}
    assert set(reports) == {"M1", "L1", "S1", "S2"}   # S3 left in June: not paid in October
    assert reports["S1"]["recipients"] == ["s1@example.com"]
    mine = texts(tmp_path / "out", reports["S1"])
    theirs = texts(tmp_path / "out", reports["S2"])
    assert "4,321.09" in mine and "12,345.67" in mine and "张喆" in mine
    for other in ("9,876.54", "76,543.21", "7,654.32", "李堃", "S2", "北京犇昇贸易"):
        assert other not in mine
    for other in ("4,321.09", "12,345.67", "1,234.57", "张喆", "S1"):
        assert other not in theirs
    ctx = json.loads((tmp_path / "out" / reports["S1"]["files"]["json"]).read_text("utf-8"))
    assert ctx["pay"]["commission"] == 1234.57 and ctx["pay"]["base_salary"] == 4321.09


def test_text_that_looks_like_a_formula_stays_text_in_the_xlsx(tmp_path):
    path = book(tmp_path)
    manifest = generate(path, "daily", "2026-10-05", out=tmp_path / "d", today=TODAY, person="S1", formats=("xlsx",))
    e = json.loads(manifest.read_text("utf-8"))["reports"][0]
    assert set(e["files"]) == {"xlsx", "json"}
    wb = openpyxl.load_workbook(tmp_path / "d" / e["files"]["xlsx"])
    cells = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert FORMULA_NAMES[0] in values and "=1+1" in values


def test_the_persons_own_daily_report_shows_phones_and_other_reports_mask_them(tmp_path):
    path = book(tmp_path)
    d = generate(path, "daily", "2026-10-05", out=tmp_path / "d", today=TODAY)
    daily = {e["key"]: e for e in json.loads(d.read_text("utf-8"))["reports"]}
    assert set(daily) == {"S1", "S2"}
    assert daily["S1"]["recipients"] == ["s1@example.com", "l1@example.com"]
    assert "13812345678" in texts(tmp_path / "d", daily["S1"])
    w = generate(path, "weekly", "2026-W41", out=tmp_path / "w", today=TODAY)
    for e in json.loads(w.read_text("utf-8"))["reports"]:
        text = texts(tmp_path / "w", e)
        assert "13812345678" not in text and "87654321" not in text
    dept = json.loads((tmp_path / "w" / "周报-2026-W41-部门.json").read_text("utf-8"))
    assert {r["phone"] for r in dept["intent_customers"]} == {"138****5678", "137****1111"}


def test_mask_phone_keeps_three_and_four_digits():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 139-8765-4321") == "139****4321"
    assert mask_phone("0086 13987654321") == "139****4321"
    assert mask_phone("021-5555 1234") == "021****1234"
    assert mask_phone("12345") == "****" and mask_phone(None) == "" and mask_phone("") == ""


def test_recipients_of_team_and_department_reports(tmp_path):
    path = book(tmp_path)
    w = generate(path, "weekly", "2026-W41", out=tmp_path / "w", today=TODAY, formats=("html",))
    by_key = {e["key"]: e for e in json.loads(w.read_text("utf-8"))["reports"]}
    assert by_key[None]["recipients"] == ["m1@example.com"]
    assert by_key["一组"]["recipients"] == ["l1@example.com", "m1@example.com"]
    assert by_key["二组"]["recipients"] == []       # no 组长/销售主管 in 二组


def test_a_later_run_into_the_same_folder_merges_the_manifest(tmp_path):
    path = book(tmp_path)
    out = tmp_path / "m"
    generate(path, "statement", "2026-10", out=out, today=TODAY, person="S1", formats=("html",))
    generate(path, "monthly", "2026-10", out=out, today=TODAY, formats=("html",))
    manifest = generate(path, "statement", "2026-10", out=out, today=TODAY, formats=("html",))
    reports = json.loads(manifest.read_text("utf-8"))["reports"]
    keys = [(e["kind"], e["key"]) for e in reports]
    assert keys[0] == ("statement", "S1") and keys[1] == ("monthly", None)
    assert len(keys) == len(set(keys)) == 5


def test_the_default_folder_is_beside_the_workbook_and_the_workbook_is_not_written(tmp_path):
    path = book(tmp_path)
    before = path.read_bytes()
    manifest = generate(path, "monthly", None, today=TODAY, formats=("html",))
    assert manifest.parent == default_out_dir(path, "2026-10") == tmp_path / "台账-报表" / "2026-10"
    assert path.read_bytes() == before


def test_iso_week_53_of_2026_and_a_refused_2027_w53(tmp_path):
    people = [staff("S1", "张喆")]
    path = write_book(tmp_path / "b.xlsx", staff=people, customers=[customer("K1", registered="2026-12-01")],
                      visits=[visit("2026-12-27", "S1"), visit("2026-12-29", "S1", 下次跟进日期="2027-01-05"),
                              visit("2027-01-03", "S1", method="电话拜访")])
    m = generate(path, "weekly", "2026-W53", out=tmp_path / "o", today=dt.date(2027, 1, 10), formats=("html",))
    ctx = json.loads((tmp_path / "o" / "周报-2026-W53-部门.json").read_text("utf-8"))
    assert (ctx["period_first"], ctx["period_last"]) == ("2026-12-28", "2027-01-03")
    assert ctx["figures"]["visits_total"] == 2 and ctx["previous"]["visits_total"] == 1
    assert ctx["previous"]["period"] == "2026-W52" and ctx["next_week"]["period"] == "2027-W01"
    assert len(ctx["followups_next_week"]) == 1
    assert json.loads(m.read_text("utf-8"))["reports"][0]["period"] == "2026-W53"
    assert generate(path, "weekly", None, out=tmp_path / "p", today=dt.date(2027, 1, 4), formats=("html",))
    with pytest.raises(UsageError, match="没有第 53 周"):
        generate(path, "weekly", "2027-W53", today=dt.date(2028, 1, 10))


def test_a_company_template_overrides_ours_and_a_broken_one_names_file_and_line(tmp_path):
    path = book(tmp_path)
    company = tmp_path / "模板"
    company.mkdir()
    (company / "monthly.html").write_text(
        '{% extends "base.html" %}{% block body %}<p>本公司月报 {{ totals.signed|money }}</p>{% endblock %}', "utf-8")
    m = generate(path, "monthly", "2026-10", out=tmp_path / "o", today=TODAY, formats=("html", "pdf"))
    e = json.loads(m.read_text("utf-8"))["reports"][0]
    assert "本公司月报 88,888.88" in (tmp_path / "o" / e["files"]["html"]).read_text("utf-8")
    (company / "statement.pdf.html").write_text("<h1>{{ title }}</h1>\n<p>{% if %}</p>\n", "utf-8")
    with pytest.raises(WorkbookError) as err:
        generate(path, "statement", "2026-10", out=tmp_path / "s", today=TODAY, formats=("pdf",))
    assert "statement.pdf.html" in err.value.zh and "第 2 行" in err.value.zh
    (company / "statement.pdf.html").write_text("<h1>{{ title }}</h1>\n\n<p>{{ no_such_key.x }}</p>\n", "utf-8")
    with pytest.raises(WorkbookError) as err:
        generate(path, "statement", "2026-10", out=tmp_path / "s", today=TODAY, formats=("pdf",))
    assert "statement.pdf.html" in err.value.zh and "第 3 行" in err.value.zh and "no_such_key" in err.value.zh


def test_templates_export_writes_our_defaults_to_edit(tmp_path):
    res = CliRunner().invoke(main, ["report", "templates", "--export", str(tmp_path / "模板")])
    assert res.exit_code == 0, res.output
    names = {p.name for p in (tmp_path / "模板").iterdir()}
    assert {"base.html", "weekly.html", "monthly.pdf.html", "statement.pdf.html", "style.css"} <= names
    assert names == set(templating.template_names())
    (tmp_path / "模板" / "style.css").write_text("/* mine */", "utf-8")
    res = CliRunner().invoke(main, ["report", "templates", "--export", str(tmp_path / "模板")])
    assert "未覆盖" in res.output and (tmp_path / "模板" / "style.css").read_text("utf-8") == "/* mine */"


def test_cli_reports_summary_and_errors_exit_2_with_chinese_text(tmp_path):
    path = book(tmp_path)
    r = CliRunner().invoke(main, ["report", "monthly", str(path), "--month", "2026-10", "--today", "2026-11-10",
                                  "--out", str(tmp_path / "o"), "--format", "html,pdf"])
    assert r.exit_code == 0, r.output
    assert "已生成 1 份月报" in r.output and "manifest.json" in r.output
    assert {p.suffix for p in (tmp_path / "o").iterdir()} >= {".html", ".pdf", ".json", ".png"}
    r = CliRunner().invoke(main, ["report", "statement", str(path), "--month", "2026-10", "--person", "S9",
                                  "--today", "2026-11-10", "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "S9" in r.output and "工资表" in r.output
    r = CliRunner().invoke(main, ["report", "weekly", str(path), "--week", "2026-W99", "--lang", "en"])
    assert r.exit_code == 2 and "ISO weeks" in r.output
    r = CliRunner().invoke(main, ["report", "monthly", str(path), "--format", "docx"])
    assert r.exit_code == 2 and "html、xlsx、pdf" in r.output
    r = CliRunner().invoke(main, ["report", "monthly", str(tmp_path / "nope.xlsx")])
    assert r.exit_code == 2 and "Traceback" not in r.output
    for cmd in ("daily", "weekly", "monthly", "statement", "templates"):
        assert "Example" in CliRunner().invoke(main, ["report", cmd, "--help"]).output


def test_english_reports(tmp_path):
    path = book(tmp_path)
    m = generate(path, "monthly", "2026-10", out=tmp_path / "o", today=TODAY, lang="en")
    e = json.loads(m.read_text("utf-8"))["reports"][0]
    assert e["title"].startswith("Monthly report 2026-10") and e["files"]["pdf"] == "monthly-2026-10.pdf"
    assert "Signed sales" in (tmp_path / "o" / e["files"]["html"]).read_text("utf-8")


def test_a_missing_glyph_in_a_chart_fails_under_the_test_warning_filter(tmp_path):
    ctx = {"lang": "zh", "period": "2026-W41", "figures": {"visits_by_method": {"陌生拜访": 1, "\U0001F600": 2}},
           "previous": {"period": "2026-W40", "visits_by_method": {}}}
    with pytest.raises(UserWarning, match="Glyph"):
        charts.visits_by_method(ctx, tmp_path / "x.png")



def _cells(data: bytes) -> list:
    import io

    def value(c):   # openpyxl undoes the _x005F_ escape (a literal "_x0041_") in shared strings only
        return c.value.replace("_x005F_", "_") if isinstance(c.value, str) else c.value

    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [(ws.title, ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows,
             {k: d.width for k, d in ws.column_dimensions.items()},
             [[(value(c), c.number_format if c.value is not None else None, c.data_type) for c in r]
              for r in ws.iter_rows()]) for ws in wb.worksheets]


def test_a_long_detail_table_written_in_bulk_reads_back_as_written_cell_by_cell(tmp_path, monkeypatch):
    from salesbook.reports.render import xlsx

    path = book(tmp_path)
    manifest = generate(path, "monthly", "2026-10", out=tmp_path / "m", today=TODAY, formats=("xlsx",))
    e = json.loads(manifest.read_text("utf-8"))["reports"][0]
    ctx = json.loads((tmp_path / "m" / e["files"]["json"]).read_text("utf-8"))
    odd = ["=1+1", " 前后有空格 ", "a<b>&c", "控制\x07字符", "_x0041_", True, 12, None, ""]
    ctx["overdue"] = [{"contract_id": f"HT{i:05d}", "customer_id": f"K{i}", "customer_name": odd[i % len(odd)],
                       "phone": "138****0000", "owner_id": "S1", "owner_name": "张喆", "signer_name": "张喆",
                       "signed_on": "2026-01-31", "due": None if i % 7 == 0 else "2026-03-01",
                       "days_past": i % 400, "bucket": "90+", "amount": 1234.5 + i, "paid": 0 if i % 3 else None,
                       "outstanding": "n/a" if i == 1200 else 1234.5 + i} for i in range(1500)]
    bulk = xlsx.render(ctx)
    monkeypatch.setattr(xlsx, "BULK_ROWS", 10**9)
    by_cell = xlsx.render(ctx)
    assert _cells(bulk) == _cells(by_cell)
    sheet = [s for s in _cells(bulk) if s[0] == "逾期合同"][0]
    assert len(sheet[5]) == 1501 and sheet[5][1500][0][0] == "HT01499"
    assert sheet[5][1201][13] == ("n/a", "#,##0.00", "s")   # a text in a money column stays text
