"""A new, empty, ready-to-type workbook and the contract docs, derived from contract.py.

Nothing here spells a sheet name or a column header: every header, type, dropdown,
format, width and help text comes from `contract`. openpyxl is fine because we
create the file (user workbooks are patched at the zip level by `xlsx/`).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from . import contract as K
from .errors import WorkbookError

MAX_ROW = 1048576             # validations and lists cover whole columns (below the header)
FIXED_STAMP = dt.datetime(2024, 1, 1)  # document/zip timestamps: same inputs -> same bytes

# The guide is not a contract sheet; the reader ignores it.
GUIDE_NAME = {"zh": "说明", "en": "Guide"}

NUMBER_FORMATS = {
    K.DATE: "yyyy-mm-dd",
    K.DATETIME: "yyyy-mm-dd hh:mm",
    K.MONEY: "#,##0.00",
    K.RATIO: "0%",
    K.INT: "0",
    K.NUMBER: "General",
    # Text ("@") keeps 2026-03 a month, 工号 001 its zeros, phone numbers out of 1.38E+10,
    # and a typed "=..." out of formula land.
    K.MONTH: "@", K.CODE: "@", K.TEXT: "@", K.ENUM: "@",
}



LABELS = {  # texts of the guide sheet and docs, per language
    "zh": dict(
        title="销售台账 使用说明",
        intro=("带颜色表头的工作表由您录入, 一行一条记录, 第 1 行标题请勿修改(可以在右边加自己的列)。"
               "有下拉箭头的单元格请从列表里选; 日期写成 2026-03-15, 月份写成 2026-03。"
               "「结果工作表」每次运行「销售管理」功能时由系统重写, 不要在里面录入。"),
        inputs="一、录入工作表", settings="二、参数(「参数」工作表)", outputs="三、结果工作表(系统生成, 请勿录入)",
        col_head=("列名", "类型", "是否必填", "可选值", "引用", "填写说明"),
        set_head=("参数名", "默认值", "可选值", "作用"),
        out_head=("工作表名", "用途", "包含的列"),
        yes="必填", no="", blank="(空)", ref_fmt="须是「{sheet}」表里已有的{col}",
        sheet_fmt="【{name}】 {help}", sep="、", required="必填", optional="选填",
    ),
    "en": dict(
        title="Sales workbook guide",
        intro=("Type into the input sheets, one record per row; keep row 1 as it is (extra columns on the right are fine). "
               "Pick from the dropdowns; dates as 2026-03-15, months as 2026-03. "
               "Output sheets are rewritten by salesbook on every run; do not type into them."),
        inputs="1. Input sheets", settings="2. Settings (the Settings sheet)", outputs="3. Output sheets (written by salesbook)",
        col_head=("Column name", "Type", "Required", "Allowed values", "Refers to", "Help"),
        set_head=("Setting", "Default", "Allowed values", "Help"),
        out_head=("Sheet name", "Purpose", "Columns"),
        yes="required", no="", blank="(blank)", ref_fmt="must exist in {sheet}.{col}",
        sheet_fmt="[{name}] {help}", sep=", ", required="Required", optional="Optional",
    ),
}

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F6EB5")
GUIDE_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


# --- texts derived from the contract -----------------------------------------

def _help(obj, lang: str) -> str:
    return (obj.help_en or obj.help_zh) if lang == "en" else obj.help_zh


def _ref_target(col: K.Column) -> tuple[K.Sheet, K.Column] | None:
    if not col.ref:
        return None
    target = K.SHEETS[col.ref]
    return target, target.col(target.primary_key)


def _ref_text(col: K.Column, lang: str) -> str:
    hit = _ref_target(col)
    if hit is None:
        return ""
    sheet, pk = hit
    return LABELS[lang]["ref_fmt"].format(sheet=sheet.name(lang), col=pk.header(lang))


def _type_word(col_type: str, lang: str) -> str:
    zh, en = K.TYPE_WORDS[col_type]
    return en if lang == "en" else zh


def column_prompt(col: K.Column, lang: str = "zh") -> str:
    """The input message Excel shows when the cell is selected (≤ 255 characters)."""
    L = LABELS[lang]
    parts = [f"{L['required'] if col.required else L['optional']} · {_type_word(col.type, lang)}"]
    if col.choices:
        parts.append(L["sep"].join(col.choices))
    if col.ref:
        parts.append(_ref_text(col, lang))
    if _help(col, lang):
        parts.append(_help(col, lang))
    text = "。".join(parts) if lang == "zh" else ". ".join(parts)
    return text if len(text) <= 255 else text[:254] + "…"


def _default_rows(sheet: K.Sheet) -> list[list]:
    if sheet is K.SETTINGS:
        return [[s.key, None if s.default == "" else s.default, s.help_zh] for s in K.SETTING_KEYS]
    rows = {K.COMMISSION_PLAN.key: K.DEFAULT_COMMISSION_PLAN,
            K.PERFORMANCE_FACTORS.key: K.DEFAULT_PERFORMANCE_FACTORS,
            K.DISCOUNT_AUTHORITY.key: K.DEFAULT_DISCOUNT_AUTHORITY}.get(sheet.key, ())
    return [list(r) for r in rows]


def list_name(sheet: K.Sheet) -> str:
    """Defined name holding the filled part of a referenced sheet's key column."""
    return f"list_{sheet.key}"


# --- the workbook --------------------------------------------------------------

def new_workbook(lang: str = "zh") -> Workbook:
    """The template as an openpyxl Workbook (not saved), so demo can fill it first."""
    if lang not in LABELS:
        raise ValueError(f"lang must be zh or en, not {lang!r}")
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_NAME[lang]
    _write_guide(guide, lang)
    for sheet in K.INPUT_SHEETS:
        _write_input_sheet(wb.create_sheet(sheet.name(lang)), sheet, lang)
    for target in sorted({c.ref for s in K.INPUT_SHEETS for c in s.columns if c.ref}):
        sheet = K.SHEETS[target]
        letter = get_column_letter([c.key for c in sheet.columns].index(sheet.primary_key) + 1)
        name = sheet.name(lang)
        # Only the filled cells, so the dropdown is not a list of a million blanks.
        formula = (f"OFFSET('{name}'!${letter}$2,0,0,"
                   f"MAX(1,COUNTA('{name}'!${letter}:${letter})-1),1)")
        wb.defined_names[list_name(sheet)] = DefinedName(list_name(sheet), attr_text=formula)
    wb.properties.creator = "salesbook"
    wb.properties.created = FIXED_STAMP
    return wb


def _write_input_sheet(ws, sheet: K.Sheet, lang: str) -> None:
    ws.append(sheet.headers(lang))
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.freeze_panes = "A2"
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A1:{last}1"
    for i, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        dim = ws.column_dimensions[letter]
        dim.width = col.width
        dim.number_format = NUMBER_FORMATS[col.type]  # cells typed later inherit the column format
        dv = _validation(col, lang, f"{letter}2:{letter}{MAX_ROW}")
        if sheet is K.SETTINGS and col.key == sheet.primary_key:
            _setting_keys_dropdown(dv, lang)
        ws.add_data_validation(dv)
    for r, values in enumerate(_default_rows(sheet), start=2):
        for i, (col, value) in enumerate(zip(sheet.columns, values), start=1):
            cell = ws.cell(row=r, column=i, value=value)
            cell.number_format = NUMBER_FORMATS[col.type]


def _validation(col: K.Column, lang: str, sqref: str) -> DataValidation:
    """Dropdown for enumerations and references, type check for numbers/dates, and the help."""
    title = col.header(lang)[:32]
    dv = DataValidation(showInputMessage=True, promptTitle=title, prompt=column_prompt(col, lang),
                        allow_blank=True, sqref=sqref)
    zh = lang != "en"
    if col.type == K.ENUM:
        dv.type, dv.formula1, dv.errorStyle = "list", '"' + ",".join(col.choices) + '"', "stop"
        dv.error = (f"只能从下拉列表选择: {'、'.join(col.choices)}" if zh
                    else f"Pick one of: {', '.join(col.choices)}")
    elif col.ref:
        sheet, pk = _ref_target(col)
        dv.type, dv.formula1, dv.errorStyle = "list", list_name(sheet), "warning"
        dv.error = (f"「{sheet.zh}」表里没有这个{pk.zh}。请先在「{sheet.zh}」表登记, 或检查是否输错。" if zh
                    else f"Not found in {sheet.en}.{pk.en}; add it there first or check the spelling.")
    elif col.type in K.NUMERIC_TYPES:
        dv.type = "whole" if col.type == K.INT else "decimal"
        dv.errorStyle = "warning"
        if col.type == K.RATIO:
            dv.operator, dv.formula1, dv.formula2 = "between", "0", "1"
        else:
            dv.operator, dv.formula1, dv.formula2 = "between", "-999999999999", "999999999999"
        dv.error = (f"「{col.zh}」应填{_type_word(col.type, 'zh')}, 不要带单位或文字。" if zh
                    else f"{col.en} must be a {_type_word(col.type, 'en')}.")
    elif col.type in K.DATE_TYPES:
        dv.type, dv.operator, dv.formula1, dv.formula2 = "date", "between", "1", "2958465"
        dv.errorStyle = "warning"
        dv.error = "请填写日期, 如 2026-03-15。" if zh else "Type a date such as 2026-03-15."
    if dv.error:
        dv.showErrorMessage = True
        dv.errorTitle = title
    return dv


def _setting_keys_dropdown(dv: DataValidation, lang: str) -> None:
    # Unknown keys are only a 警告 when read, hence "warning" rather than "stop".
    keys = [s.key for s in K.SETTING_KEYS]
    dv.type, dv.formula1, dv.errorStyle = "list", '"' + ",".join(keys) + '"', "warning"
    dv.showErrorMessage, dv.errorTitle = True, dv.promptTitle
    dv.error = ("系统不认识这个参数名, 请从下拉列表选择。" if lang != "en"
                else "Unknown setting; pick one from the list.")


def _write_guide(ws, lang: str) -> None:
    L = LABELS[lang]
    bold = Font(bold=True)
    ws.append([L["title"]])
    ws["A1"].font = Font(bold=True, size=16)
    ws.append([L["intro"]])
    ws.append([])

    def head(values):
        ws.append(list(values))
        for cell in ws[ws.max_row]:
            cell.font, cell.fill = bold, GUIDE_HEAD_FILL

    ws.append([L["inputs"]])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=13)
    for sheet in K.INPUT_SHEETS:
        ws.append([L["sheet_fmt"].format(name=sheet.name(lang), help=_help(sheet, lang))])
        ws.cell(ws.max_row, 1).font = bold
        head(L["col_head"])
        for col in sheet.columns:
            ws.append([col.header(lang), _type_word(col.type, lang), L["yes"] if col.required else L["no"],
                       L["sep"].join(col.choices), _ref_text(col, lang), _help(col, lang)])
        ws.append([])

    ws.append([L["settings"]])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=13)
    head(L["set_head"])
    for s in K.SETTING_KEYS:
        ws.append([s.key, L["blank"] if s.default == "" else str(s.default), L["sep"].join(s.choices), s.help_zh])
    ws.append([])

    ws.append([L["outputs"]])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=13)
    head(L["out_head"])
    for sheet in K.OUTPUT_SHEETS:
        zh, en = sheet.help_zh, sheet.help_en
        ws.append([sheet.name(lang), en if lang == "en" else zh, L["sep"].join(sheet.headers(lang))])

    for letter, width in zip("ABCDEF", (22, 20, 8, 36, 28, 60)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws["A2"].alignment = Alignment(wrap_text=False)


# --- saving --------------------------------------------------------------------

def build_template(path: Path | str, *, lang: str = "zh", force: bool = False) -> Path:
    """Create a new, empty, ready-to-type workbook at `path`; refuses to overwrite unless force."""
    path = Path(path)
    check_new_file(path, force)
    save(new_workbook(lang), path)
    return path


def check_new_file(path: Path, force: bool) -> None:
    if path.suffix.lower() != ".xlsx":
        raise WorkbookError(f"新台账的文件名要以 .xlsx 结尾, 例如「销售台账.xlsx」, 而不是「{path.name}」。",
                            f"The new workbook's name must end in .xlsx, not '{path.name}'.")
    if path.exists() and not force:
        raise WorkbookError(
            f"文件「{path}」已经存在, 为防止覆盖您的数据, 没有改动它。请换一个文件名, 或确认要覆盖时加上 --force。",
            f"'{path}' already exists and was left untouched. Choose another name, or add --force to overwrite.")
    if not path.parent.exists():
        raise WorkbookError(f"文件夹「{path.parent}」不存在, 请先创建它或换一个位置。",
                            f"Folder '{path.parent}' does not exist.")


def save(wb: Workbook, path: Path) -> None:
    """Save with fixed timestamps, so the same workbook gives the same bytes."""
    buf = io.BytesIO()
    wb.save(buf)
    write_normalised_zip(buf.getvalue(), path)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def write_normalised_zip(data: bytes, path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        write_parts({info.filename: src.read(info.filename) for info in src.infolist()}, path)


def write_parts(parts: dict[str, bytes], path: Path) -> None:
    """Zip the parts (in the given order) with fixed timestamps; the workbook's bytes depend on nothing else."""
    stamp = FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for name, body in parts.items():
            if name == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", body)
            fixed = zipfile.ZipInfo(name, date_time=FIXED_STAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, body, compresslevel=1)
    Path(path).write_bytes(out.getvalue())


# --- docs/contract.md ----------------------------------------------------------

def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def contract_docs_markdown() -> str:
    """docs/contract.md: every sheet, column and setting, generated from the contract."""
    L = LABELS["zh"]
    out = ["# 工作簿契约 (workbook contract)", "",
           "> 本文件由 `salesbook.template.contract_docs_markdown()` 从 `salesbook/contract.py` 生成, 请勿手改;",
           "> 改了契约后运行 `python -c \"from salesbook.template import write_contract_docs; write_contract_docs()\"`。",
           "> Generated from salesbook/contract.py; do not edit by hand.", ""]
    out += [f"## {L['inputs']}", ""]
    for sheet in K.INPUT_SHEETS:
        out += [f"### {sheet.zh} ({sheet.en})", ""]
        if sheet.help_zh:
            out += [sheet.help_zh, ""]
        if sheet.primary_key:
            out += [f"唯一键: {sheet.col(sheet.primary_key).zh}", ""]
        head = (L["col_head"][0], "English") + L["col_head"][1:]
        out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for c in sheet.columns:
            out.append("| " + " | ".join(_md(v) for v in (
                c.zh, c.en, _type_word(c.type, "zh"), "是" if c.required else "",
                "、".join(c.choices), _ref_text(c, "zh"), c.help_zh)) + " |")
        defaults = _default_rows(sheet) if sheet is not K.SETTINGS else []
        if defaults:
            out += ["", "新台账的默认行:", "", "| " + " | ".join(sheet.headers()) + " |",
                    "|" + "---|" * len(sheet.columns)]
            out += ["| " + " | ".join("" if v is None else _md(v) for v in row) + " |" for row in defaults]
        out.append("")
    head = L["set_head"][:2] + (L["col_head"][1],) + L["set_head"][2:]
    out += [f"## {L['settings']}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in K.SETTING_KEYS:
        out.append("| " + " | ".join(_md(v) for v in (
            s.key, s.default, _type_word(s.type, "zh"), "、".join(s.choices), s.help_zh)) + " |")
    out += ["", f"## {L['outputs']}", ""]
    for sheet in K.OUTPUT_SHEETS:
        zh = sheet.help_zh
        out += [f"### {sheet.zh} ({sheet.en})", "", zh, "",
                f"| {L['col_head'][0]} | English | {L['col_head'][1]} |", "|---|---|---|"]
        out += [f"| {c.zh} | {c.en} | {_type_word(c.type, 'zh')} |" for c in sheet.columns]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def write_contract_docs(path: Path | str | None = None) -> Path:
    path = Path(path) if path else Path(__file__).resolve().parent.parent / "docs" / "contract.md"
    path.write_text(contract_docs_markdown(), encoding="utf-8")
    return path
