"""Every report on the demo workbook, in every format: it opens, the figures agree with the
result sheets, and nothing private leaks."""
import datetime as dt
import html.parser
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from salesbook import api
from salesbook.demo import write_demo
from salesbook.reports import generate
from salesbook.reports.render import fonts

TODAY = dt.date(2026, 12, 2)
pytestmark = pytest.mark.filterwarnings("error:Glyph:UserWarning")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    book = write_demo(root, "small", today=TODAY)
    out = {}
    for kind, period in (("daily", "2026-12-01"), ("weekly", None), ("monthly", None), ("statement", None)):
        out[kind] = generate(book, kind, period, out=root / kind, today=TODAY)
    return book, out


def entries(manifest: Path) -> list[dict]:
    return json.loads(manifest.read_text("utf-8"))["reports"]


def pdf_text(path: Path) -> str:
    res = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    assert "Error" not in res.stderr, f"{path.name}: {res.stderr[:300]}"   # e.g. unbalanced graphics state
    return res.stdout


def xlsx_strings(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.images, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_data(self, data):
        self.text.append(data)


def test_every_report_is_written_in_every_format_and_each_file_opens(demo):
    book, manifests = demo
    for kind, manifest in manifests.items():
        reports = entries(manifest)
        assert reports and all(e["kind"] == kind for e in reports)
        for e in reports:
            folder = manifest.parent
            assert set(e["files"]) == {"html", "xlsx", "pdf", "json"}
            ctx = json.loads((folder / e["files"]["json"]).read_text("utf-8"))
            assert ctx["title"] == e["title"] and ctx["company"] == "华信健身俱乐部(演示数据)"
            page = Tags()
            page.feed((folder / e["files"]["html"]).read_text("utf-8"))
            assert "script" not in page.tags and "table" in page.tags
            assert all((folder / src).exists() and "/" not in src for src in page.images)
            assert sorted(page.images) == sorted(e["images"])
            wb = openpyxl.load_workbook(folder / e["files"]["xlsx"])
            assert wb.worksheets[0].title == "汇总" and wb.worksheets[0]["A1"].value == e["title"]
            text = pdf_text(folder / e["files"]["pdf"])
            assert ctx["title"] in text and "华信健身俱乐部" in text and "第1页/共" in re.sub(r"\s", "", text)


def test_pdf_fonts_are_embedded_subsets_of_the_shipped_font(demo):
    _, manifests = demo
    for manifest in manifests.values():
        e = entries(manifest)[0]
        out = subprocess.run(["pdffonts", str(manifest.parent / e["files"]["pdf"])], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
        assert out and all(re.search(r"\byes\s+yes\s+yes\b", line) and "NotoSansCJKSC" in line for line in out)


def test_the_monthly_report_agrees_with_the_pay_sheet(demo):
    book, manifests = demo
    e = entries(manifests["monthly"])[0]
    ctx = json.loads((manifests["monthly"].parent / e["files"]["json"]).read_text("utf-8"))
    outcome = api.commission(book, today=TODAY)
    payroll = outcome.sheets["业绩提成"]
    assert len(ctx["people"]) == len(payroll) == ctx["totals"]["people"]
    for key, header in (("signed", "签约业绩"), ("collected", "回款业绩"), ("commission", "提成"), ("total", "应发合计")):
        assert ctx["totals"][key] == pytest.approx(round(payroll[header].sum(), 2), abs=0.001)
        assert [p[key] for p in ctx["people"]] == pytest.approx(payroll[header].tolist())
    assert sum(t["signed"] for t in ctx["teams"]) == pytest.approx(ctx["totals"]["signed"])
    assert sum(r["signed"] for r in ctx["regions"]) == pytest.approx(ctx["totals"]["signed"])
    assert list(ctx["ageing"]) == ["未到期", "0-30", "31-60", "61-90", "90+"]
    assert sum(ctx["ageing"].values()) == pytest.approx(ctx["ageing_total"])
    assert len(ctx["trend"]) == 12 and ctx["trend"][-1]["month"] == ctx["period"] == "2026-11"
    assert set(e["images"]) == {f"月报-2026-11-{k}.png" for k in ("target", "trend", "ageing", "visits")}


def test_statements_add_up_to_the_payroll_and_each_holds_one_person(demo):
    book, manifests = demo
    outcome = api.commission(book, today=TODAY)
    payroll = outcome.sheets["业绩提成"]
    reports = entries(manifests["statement"])
    assert sorted(e["key"] for e in reports) == sorted(payroll["工号"])
    total = 0.0
    for e in reports:
        ctx = json.loads((manifests["statement"].parent / e["files"]["json"]).read_text("utf-8"))
        total += ctx["pay"]["total"]
        assert ctx["person"]["staff_id"] == e["key"]
        assert {x["document_id"] for x in ctx["lines"]} <= set(
            outcome.sheets["提成明细"].query("工号 == @e['key']")["单据编号"])
        assert ctx["lines_total"]["credited"] == pytest.approx(ctx["pay"]["commission"])
    assert total == pytest.approx(payroll["应发合计"].sum())


def _phones(book) -> list[str]:
    run = api.prepare(book, today=TODAY)
    digits = {re.sub(r"\D", "", p) for p in run.tables["customers"]["phone"].dropna()}
    return sorted(d[-11:] for d in digits if len(d) >= 8)


def _all_text(folder: Path, e: dict) -> str:
    f = e["files"]
    parts = [(folder / f["json"]).read_text("utf-8"), (folder / f["html"]).read_text("utf-8"),
             xlsx_strings(folder / f["xlsx"]), pdf_text(folder / f["pdf"])]
    return re.sub(r"[\s\-]", "", "\n".join(parts))


def test_phones_are_masked_everywhere_except_in_a_persons_own_daily_report(demo):
    book, manifests = demo
    phones = _phones(book)
    for kind in ("weekly", "monthly", "statement"):
        for e in entries(manifests[kind])[:8]:
            text = _all_text(manifests[kind].parent, e)
            assert not [p for p in phones if p in text], f"{kind} {e['title']} shows a full phone number"
    masked = 0
    shown = 0
    for e in entries(manifests["daily"]):
        text = _all_text(manifests["daily"].parent, e)
        shown += sum(1 for p in phones if p in text)
        masked += text.count("****")
    assert shown > 0 and masked == 0
    weekly = json.loads((manifests["weekly"].parent / entries(manifests["weekly"])[0]["files"]["json"]).read_text("utf-8"))
    assert any(re.fullmatch(r"\d{3}\*{4}\d{4}", r["phone"]) for r in weekly["intent_customers"])


def test_weekly_reports_are_one_for_the_department_and_one_per_team_with_their_recipients(demo):
    book, manifests = demo
    reports = entries(manifests["weekly"])
    run = api.prepare(book, today=TODAY)
    staff = run.tables["staff"]
    selling = staff[staff["role"].isin(["销售代表", "客户代表", "电话销售", "会籍顾问", "组长", "销售主管"])]
    teams = [t for t in dict.fromkeys(selling["team"].dropna())]
    assert [e["key"] for e in reports] == [None] + teams
    assert reports[0]["scope"] == "department" and all(e["scope"] == "team" for e in reports[1:])
    managers = staff[staff["role"].isin(["销售经理", "销售总监", "营销总监", "销售副总"]) & staff["status"].isin(["在职", "试用"])]
    assert reports[0]["recipients"] == [e for e in managers["email"] if isinstance(e, str)]
    assert all(e["recipients"] for e in reports[1:])
    ctx = json.loads((manifests["weekly"].parent / reports[0]["files"]["json"]).read_text("utf-8"))
    assert ctx["period"] == "2026-W48" and ctx["previous"]["period"] == "2026-W47"
    assert ctx["next_week"]["period"] == "2026-W49"
    assert set(ctx["figures"]["visits_by_method"]) == {"陌生拜访", "意向拜访", "电话拜访", "来访接待"}


def test_daily_reports_cover_everybody_with_activity_and_go_to_them_and_their_manager(demo):
    book, manifests = demo
    reports = entries(manifests["daily"])
    assert reports and all(e["scope"] == "person" for e in reports)
    run = api.prepare(book, today=TODAY)
    st = run.tables["staff"].set_index("staff_id")
    for e in reports:
        mine = st.loc[e["key"], "email"]
        boss = st.loc[st.loc[e["key"], "manager_id"], "email"] if isinstance(st.loc[e["key"], "manager_id"], str) else None
        assert e["recipients"] == [x for x in (mine, boss) if isinstance(x, str)]


def test_the_monthly_xlsx_opens_in_libreoffice(demo, tmp_path):
    _, manifests = demo
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    e = entries(manifests["monthly"])[0]
    src = manifests["monthly"].parent / e["files"]["xlsx"]
    res = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                          "--outdir", str(tmp_path), str(src)], capture_output=True, text=True, timeout=180)
    out = tmp_path / (src.stem + ".pdf")
    assert res.returncode == 0 and out.exists(), res.stderr
    assert "人员业绩" in pdf_text(out) or "签约业绩" in pdf_text(out)


def test_the_xlsx_has_money_formats_frozen_headers_and_native_charts(demo):
    _, manifests = demo
    e = entries(manifests["monthly"])[0]
    path = manifests["monthly"].parent / e["files"]["xlsx"]
    wb = openpyxl.load_workbook(path)
    people = wb["人员业绩"]
    assert people.freeze_panes == "A2"
    header = [c.value for c in people[1]]
    signed = people.cell(2, header.index("签约业绩") + 1)
    assert signed.number_format == "#,##0.00" and isinstance(signed.value, (int, float))
    assert people.cell(2, header.index("达成率") + 1).number_format in ("0.0%",) or \
        people.cell(2, header.index("达成率") + 1).value is None
    assert people.page_setup.orientation == "landscape" and people.sheet_properties.pageSetUpPr.fitToPage
    import zipfile
    charts = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 3


def test_same_inputs_give_the_same_bytes(demo, tmp_path):
    book, manifests = demo
    e = entries(manifests["weekly"])[1]
    again = generate(book, "weekly", None, out=tmp_path, today=TODAY)
    first = next(x for x in entries(again) if x["key"] == e["key"])
    for fmt in ("json", "html", "xlsx", "pdf"):
        assert (tmp_path / first["files"][fmt]).read_bytes() == (manifests["weekly"].parent / e["files"][fmt]).read_bytes(), fmt
    for img in first["images"]:
        assert (tmp_path / img).read_bytes() == (manifests["weekly"].parent / img).read_bytes()


def test_every_character_of_the_demo_reports_is_in_the_shipped_font(demo):
    _, manifests = demo
    for manifest in manifests.values():
        for e in entries(manifest):
            ctx = json.loads((manifest.parent / e["files"]["json"]).read_text("utf-8"))
            assert fonts.missing_glyphs("".join(fonts.chars_of(ctx))) == []
    assert fonts.missing_glyphs("喆堃玥犇昇珺") == []


def test_every_context_key_is_documented_and_the_docs_are_current(demo):
    from salesbook.reports.docs import templates_docs_markdown
    from salesbook.reports.keys import KEYS, paths

    _, manifests = demo
    for kind, manifest in manifests.items():
        documented = {k for k, _, _ in KEYS[kind]}
        for e in entries(manifest):
            ctx = json.loads((manifest.parent / e["files"]["json"]).read_text("utf-8"))
            missing = paths(ctx) - documented
            assert not missing, f"{kind}: undocumented keys {sorted(missing)} (salesbook/reports/keys.py)"
        parents = {k.rsplit(".", 1)[0].removesuffix("[]") for k in documented if "." in k or k.endswith("[]")}
        assert parents <= documented | {p + "[]" for p in documented}
    doc = Path(__file__).resolve().parents[1] / "docs" / "templates.md"
    assert doc.read_text("utf-8") == templates_docs_markdown(), (
        "docs/templates.md is stale: run python -c \"from salesbook.reports.docs import write_templates_docs; "
        "write_templates_docs()\"")


def test_figures_by_group_equal_the_figures_of_each_group(demo):
    from salesbook.domain.calendar import Week
    from salesbook.reports import figures as F

    book, _ = demo
    run = api.prepare(book, today=TODAY)
    week = Week.parse("2026-W47")
    staff = run.tables["staff"]
    group_of = {s: t for s, t in zip(staff["staff_id"], staff["team"]) if isinstance(t, str)}
    by = F.figures_by(run.tables, week, group_of)
    assert by
    for team in set(group_of.values()):
        f = F.period_figures(run.tables, week, [s for s, t in group_of.items() if t == team])
        expect = {"visits_total": f.visits_total, "intent_customers": len(f.intent_customers),
                  "new_customers": f.new_customers, "contracts_signed": f.contracts_signed,
                  "contract_amount": f.contract_amount, "payments_amount": f.payments_amount}
        assert by.get(team, dict.fromkeys(expect, 0)) == expect, team
    windowed = F.window(run.tables, week.prev().first, week.next().last)
    assert F.period_figures(windowed, week) == F.period_figures(run.tables, week)
