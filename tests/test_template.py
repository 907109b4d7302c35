import ast
import csv
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest

from salesbook import reader as book, contract as K, settings, template
from salesbook.errors import WorkbookError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("tpl")
    return {lang: template.build_template(d / f"t-{lang}.xlsx", lang=lang) for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_input_sheet_with_contract_headers_formats_and_widths(built, lang):
    wb = openpyxl.load_workbook(built[lang])
    assert wb.sheetnames == [template.GUIDE_NAME[lang]] + [s.name(lang) for s in K.INPUT_SHEETS]
    for s in K.INPUT_SHEETS:
        ws = wb[s.name(lang)]
        row1 = [c.value for c in ws[1]]
        assert row1 == s.headers(lang), s.key
        assert all(c.font.bold and c.fill.fgColor.rgb.endswith("2F6EB5") for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(s.columns))}1"
        for i, c in enumerate(s.columns, start=1):
            dim = ws.column_dimensions[openpyxl.utils.get_column_letter(i)]
            assert dim.width == c.width
            assert dim.number_format == template.NUMBER_FORMATS[c.type]
    fmt = lambda sheet, key: wb[sheet.name(lang)].column_dimensions[  # noqa: E731
        openpyxl.utils.get_column_letter([c.key for c in sheet.columns].index(key) + 1)].number_format
    assert fmt(K.VISITS, "date") == "yyyy-mm-dd"
    assert fmt(K.CUSTOMERS, "registered_at") == "yyyy-mm-dd hh:mm"
    assert fmt(K.CONTRACTS, "amount") == "#,##0.00"
    assert fmt(K.CONTRACTS, "collab_share") == "0%"
    assert fmt(K.TARGETS, "month") == "@"
    assert fmt(K.CUSTOMERS, "phone") == "@"


def test_headers_are_spelled_only_in_the_contract():
    names = set()
    for s in K.ALL_SHEETS:
        names |= {s.zh, s.en} | {c.zh for c in s.columns} | {c.en for c in s.columns}
    for module in ("template.py", "demo.py"):
        path = ROOT / "salesbook" / module
        if not path.exists():
            continue
        literals = {n.value for n in ast.walk(ast.parse(path.read_text("utf-8")))
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        spelled = literals & names
        # The guide sheet's own name happens to equal the 参数 column 说明; it is not a header use.
        assert spelled <= {template.GUIDE_NAME["zh"]}, f"{module} spells contract names: {spelled}"
    for s in K.ALL_SHEETS:  # and the contract itself spells each header once per sheet
        for lang in ("zh", "en"):
            assert len(set(s.headers(lang))) == len(s.columns), s.key


def _validations(ws):
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord] = dv
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dropdowns_and_help_survive_a_reread(built, lang):
    wb = openpyxl.load_workbook(built[lang])
    names = wb.defined_names
    for s in K.INPUT_SHEETS:
        dvs = _validations(wb[s.name(lang)])
        for i, c in enumerate(s.columns, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            dv = dvs[f"{letter}2:{letter}{template.MAX_ROW}"]
            assert dv.showInputMessage and dv.prompt == template.column_prompt(c, lang)
            if c.help_zh and lang == "zh":
                assert c.help_zh in dv.prompt
            if c.type == K.ENUM:
                assert (dv.type, dv.errorStyle) == ("list", "stop")
                assert dv.formula1 == '"' + ",".join(c.choices) + '"', (s.key, c.key)
            elif c.ref:
                target = K.SHEETS[c.ref]
                assert dv.type == "list" and dv.formula1 == template.list_name(target)
                pk_letter = openpyxl.utils.get_column_letter(
                    [x.key for x in target.columns].index(target.primary_key) + 1)
                text = names[dv.formula1].attr_text
                assert f"'{target.name(lang)}'!${pk_letter}$2" in text, text
    # the 参数 column offers the known keys
    key_dv = _validations(wb[K.SETTINGS.name(lang)])[f"A2:A{template.MAX_ROW}"]
    assert key_dv.type == "list" and all(s.key in key_dv.formula1 for s in K.SETTING_KEYS)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_rows_read_back_as_defaults_without_findings(built, lang):
    b = book.load(built[lang])
    assert b.findings == []
    t = b.tables
    assert t["settings"]["key"].tolist() == [s.key for s in K.SETTING_KEYS]
    values, problems = settings.read_settings(t["settings"])
    assert problems == [] and values == settings.defaults()
    assert len(t["commission_plan"]) == len(K.DEFAULT_COMMISSION_PLAN)
    assert t["commission_plan"]["rate"].tolist() == [r[3] for r in K.DEFAULT_COMMISSION_PLAN]
    assert t["performance_factors"]["factor"].tolist() == [r[1] for r in K.DEFAULT_PERFORMANCE_FACTORS]
    assert dict(zip(t["discount_authority"]["role"], t["discount_authority"]["min_discount"])) == \
        dict(K.DEFAULT_DISCOUNT_AUTHORITY)
    for key in ("staff", "customers", "visits", "contracts", "payments"):
        assert len(t[key]) == 0


def test_guide_sheet_explains_every_sheet_column_and_setting(built):
    ws = openpyxl.load_workbook(built["zh"])[template.GUIDE_NAME["zh"]]
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    for s in K.ALL_SHEETS:
        assert s.zh in text
    for s in K.INPUT_SHEETS:
        assert s.help_zh in text
        for c in s.columns:
            assert c.help_zh in text
    for s in K.OUTPUT_SHEETS:
        assert s.help_zh and s.help_zh in text
    for s in K.SETTING_KEYS:
        assert s.key in text and s.help_zh in text
    assert "请勿录入" in text


def test_refuses_to_overwrite_unless_forced(tmp_path):
    p = tmp_path / "台账.xlsx"
    p.write_bytes(b"my precious data")
    with pytest.raises(WorkbookError, match="已经存在") as exc:
        template.build_template(p)
    assert "--force" in exc.value.zh and "already exists" in exc.value.en
    assert p.read_bytes() == b"my precious data"
    template.build_template(p, force=True)
    assert book.load(p).findings == []
    with pytest.raises(WorkbookError, match=".xlsx"):
        template.build_template(tmp_path / "台账.xls")
    with pytest.raises(WorkbookError, match="不存在"):
        template.build_template(tmp_path / "nowhere" / "台账.xlsx")


def test_same_template_same_bytes(tmp_path):
    a = template.build_template(tmp_path / "a.xlsx").read_bytes()
    b = template.build_template(tmp_path / "b.xlsx").read_bytes()
    assert a == b


def soffice_convert_all_sheets(xlsx: Path, outdir: Path) -> dict[str, list[list[str]]]:
    """Every sheet of `xlsx` as CSV rows, converted by LibreOffice headless (fails if it cannot)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, ("LibreOffice (soffice) is not installed: the template must be checked by a second "
                 "spreadsheet program. Install it with `apt-get install -y libreoffice-calc`.")
    profile = Path(f"/tmp/lo-{uuid.uuid4().hex}")
    outdir.mkdir(parents=True, exist_ok=True)
    # 76 = UTF-8; the trailing -1 writes every sheet to <name>-<sheet>.csv
    filt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    try:
        run = subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless",
                              "--convert-to", filt, "--outdir", str(outdir), str(xlsx)],
                             capture_output=True, text=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert run.returncode == 0, run.stderr
    out = {}
    for f in outdir.glob(f"{xlsx.stem}-*.csv"):
        with open(f, encoding="utf-8", newline="") as fh:
            out[f.stem[len(xlsx.stem) + 1:]] = list(csv.reader(fh))
    assert out, f"LibreOffice wrote no CSV: {run.stdout} {run.stderr}"
    return out


def test_template_opens_in_libreoffice(built, tmp_path):
    sheets = soffice_convert_all_sheets(built["zh"], tmp_path / "csv")
    assert set(sheets) == {template.GUIDE_NAME["zh"]} | {s.zh for s in K.INPUT_SHEETS}
    for s in K.INPUT_SHEETS:
        assert sheets[s.zh][0] == s.headers(), s.key
    assert [r[0] for r in sheets[K.SETTINGS.zh][1:]] == [s.key for s in K.SETTING_KEYS]
    assert sheets[K.COMMISSION_PLAN.zh][1] == ["默认", "0", "50000", "3%"]


def test_contract_docs_are_up_to_date():
    doc = ROOT / "docs" / "contract.md"
    assert doc.read_text("utf-8") == template.contract_docs_markdown(), (
        "docs/contract.md is stale: run python -c \"from salesbook.template import write_contract_docs; "
        "write_contract_docs()\"")
