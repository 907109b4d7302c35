"""Assemble salesbook.xlam: an OOXML add-in generated from macros/ and the installed xlwings.

Parts: workbook with one config sheet ("salesbook.conf", read by xlwings' VBA), the
ribbon (customUI, generated from salesbook.commands), and xl/vbaProject.bin written by
ovba from these modules:
  - every macros/*.bas (standard modules) and macros/*.cls (document or class modules);
    SalesbookRibbon gets one generated callback Sub per command of the table,
  - xlwings' custom-add-in module (BSD) with PROJECT_NAME set to "salesbook",
  - xlwings' Dictionary class (MIT), which that module needs on macOS.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from . import ADDIN_FILE, PROJECT_NAME, XLWINGS_VERSION, ovba

# VB_Base of the two host document types, to tell document modules from classes.
DOCUMENT_BASES = {"0{00020819-0000-0000-C000-000000000046}",   # Workbook
                  "0{00020820-0000-0000-C000-000000000046}"}   # Worksheet
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"         # what VBE stores for a class
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
CONFIG_CODENAME = "Sheet1"      # must match macros/Sheet1.cls


class BuildError(Exception):
    """The add-in cannot be built; the message says why in Chinese."""


def macros_dir() -> Path:
    """macros/ beside the package in a checkout (editable install), else packaged data."""
    here = Path(__file__).resolve().parent.parent          # salesbook/
    for candidate in (here.parent / "macros", here / "macros"):
        if (candidate / f"{RIBBON_MODULE}.bas").is_file():
            return candidate
    raise BuildError(f"找不到 macros 目录（应在 {here.parent / 'macros'}）。请从源代码目录安装：pip install -e .")


def xlwings_dir() -> Path:
    import xlwings
    if xlwings.__version__ != XLWINGS_VERSION:
        raise BuildError(f"插件固定使用 xlwings {XLWINGS_VERSION}，当前安装的是 {xlwings.__version__}。"
                         f"请运行：pip install xlwings=={XLWINGS_VERSION}")
    return Path(xlwings.__file__).resolve().parent


# --- module text -------------------------------------------------------------------

_HEADER = re.compile(rb"\AVERSION 1\.0 CLASS\r\nBEGIN\r\n.*?^END\r\n", re.S | re.M)


def _attr(text: bytes, name: str) -> str | None:
    m = re.search(rb'^Attribute ' + name.encode() + rb' = (.*?)\r$', text, re.M)
    return m.group(1).decode("ascii").strip('"') if m else None


def stored_module(export: bytes, suffix: str) -> ovba.Module:
    """The module as the VBA project stores it, from a VBE export (.bas or .cls).

    .bas is stored verbatim. .cls loses its VERSION/BEGIN/END export header, as VBE does
    on import; a plain class also gets the attributes VBE adds (VB_Base etc.) if missing.
    """
    if b"\n" in export.replace(b"\r\n", b""):
        raise BuildError("VBA 源文件必须使用 CRLF 换行（VBE 导出格式）")
    name = _attr(export, "VB_Name")
    if not name:
        raise BuildError("VBA 源文件缺少 Attribute VB_Name")
    if suffix == ".bas":
        return ovba.Module(name, ovba.MODULE, export)
    text = _HEADER.sub(b"", export, count=1)
    base = _attr(text, "VB_Base")
    if base in DOCUMENT_BASES:
        return ovba.Module(name, ovba.DOCUMENT, text)
    if base is None:
        text = text.replace(f'Attribute VB_Name = "{name}"\r\n'.encode(),
                            f'Attribute VB_Name = "{name}"\r\nAttribute VB_Base = "{CLASS_BASE}"\r\n'.encode(), 1)
    if _attr(text, "VB_TemplateDerived") is None and _attr(text, "VB_Exposed") is not None:
        text = re.sub(rb"^(Attribute VB_Exposed = .*?\r\n)",
                      rb"\1Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = False\r\n",
                      text, count=1, flags=re.M)
    return ovba.Module(name, ovba.CLASS, text)


def xlwings_module() -> ovba.Module:
    """xlwings' custom-add-in module, its config sheet name set to ours."""
    src = (xlwings_dir() / "xlwings_custom_addin.bas").read_bytes()
    if f'Public Const XLWINGS_VERSION As String = "{XLWINGS_VERSION}"'.encode() not in src:
        raise BuildError(f"xlwings_custom_addin.bas 不是 xlwings {XLWINGS_VERSION} 的版本")
    old = b'Public Const PROJECT_NAME As String = "myaddin"'
    if src.count(old) != 1:
        raise BuildError("xlwings_custom_addin.bas 的 PROJECT_NAME 常量格式已变化，无法设置")
    src = src.replace(old, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"'.encode())
    return stored_module(src, ".bas")


RIBBON_MODULE = "SalesbookRibbon"
CUSTOM_UI_NS = "http://schemas.microsoft.com/office/2006/01/customui"


def ribbon_xml() -> bytes:
    """The 销售管理 tab: one group per command group, one large button per command."""
    from ..commands import COMMANDS, groups_in_use

    out = [XML, f'<customUI xmlns="{CUSTOM_UI_NS}">\n  <ribbon>\n    <tabs>\n'
           '      <tab id="salesbookTab" label="销售管理" insertAfterMso="TabHome">\n']
    for g in groups_in_use():
        out.append(f'        <group id="{g.id}" label="{escape(g.label)}">\n')
        for c in (c for c in COMMANDS if c.group == g.id):
            out.append(f'          <button id="{c.button_id}" label="{escape(c.label)}" size="large" '
                       f'imageMso="{c.image}" screentip="{escape(c.tip)}" '
                       f'supertip="{escape(c.detail, {chr(34): "&quot;"})}" onAction="{c.vba_sub}"/>\n')
        out.append("        </group>\n")
    out.append("      </tab>\n    </tabs>\n  </ribbon>\n</customUI>\n")
    return "".join(out).encode("utf-8")


def callbacks_vba() -> bytes:
    """One ribbon callback Sub per command (ASCII, CRLF, as a VBE export)."""
    from ..commands import COMMANDS

    subs = [f"Public Sub {c.vba_sub}(control As IRibbonControl)\r\n"
            "    If Not WorkbookIsOpen() Then Exit Sub\r\n"
            f'    RunPython "import salesbook.excel as sb; sb.{c.entry}()"\r\n'
            "End Sub\r\n" for c in COMMANDS]
    return ("\r\n' --- generated from salesbook/commands.py ---\r\n\r\n" + "\r\n".join(subs)).encode("ascii")


def module_source(path: Path) -> bytes:
    """A macros/ file as it goes into the project (the ribbon module with its callbacks)."""
    raw = path.read_bytes()
    return raw + callbacks_vba() if path.stem == RIBBON_MODULE else raw


def project_modules() -> list[ovba.Module]:
    src = macros_dir()
    ours = [stored_module(module_source(p), p.suffix) for p in sorted(src.iterdir())
            if p.suffix in (".bas", ".cls")]
    docs = [m for m in ours if m.kind == ovba.DOCUMENT]
    rest = [m for m in ours if m.kind != ovba.DOCUMENT]
    dictionary = stored_module((xlwings_dir() / "addin" / "Dictionary.cls").read_bytes(), ".cls")
    return docs + rest + [xlwings_module(), dictionary]


# --- OOXML parts -------------------------------------------------------------------

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
    return XML + f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'


def _config_sheet(config: list[tuple[str, str]]) -> str:
    rows = []
    for r, (key, value) in enumerate(config, start=1):
        cells = "".join(f'<c r="{col}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                        for col, v in (("A", key), ("B", value)))
        rows.append(f'<row r="{r}">{cells}</row>')
    return (XML + f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><sheetPr codeName="{CONFIG_CODENAME}"/>'
            f'<dimension ref="A1:B{len(config)}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            f'<cols><col min="1" max="1" width="32" customWidth="1"/><col min="2" max="2" width="80" customWidth="1"/></cols>'
            f'<sheetData>{"".join(rows)}</sheetData></worksheet>')


STYLES = (XML + f'<styleSheet xmlns="{NS_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def config_rows(interpreter_win: str | None, interpreter_mac: str | None) -> list[tuple[str, str]]:
    # xlwings reads keys from A1 down to the first blank cell: keep the rows contiguous.
    rows = [("ADD_WORKBOOK_TO_PYTHONPATH", "false")]   # a stray .py beside a workbook must not shadow us
    if interpreter_win:
        rows.append(("INTERPRETER_WIN", interpreter_win))
    if interpreter_mac:
        rows.append(("INTERPRETER_MAC", interpreter_mac))
    return rows


def package_parts(vba_bin: bytes, custom_ui: bytes, config: list[tuple[str, str]]) -> dict[str, bytes]:
    ct = {
        "/xl/workbook.xml": "application/vnd.ms-excel.addin.macroEnabled.main+xml",
        "/xl/worksheets/sheet1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        "/xl/styles.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    }
    content_types = (XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                     + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in ct.items())
                     + "</Types>")
    workbook = (XML + f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><workbookPr codeName="ThisWorkbook"/>'
                '<bookViews><workbookView/></bookViews>'
                f'<sheets><sheet name="{CONFIG_SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    core = (XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>销售管理 (salesbook)</dc:title>'
            '<dc:creator>salesbook</dc:creator></cp:coreProperties>')
    app = (XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           '<Application>Microsoft Excel</Application></Properties>')
    return {
        "[Content_Types].xml": content_types.encode(),
        "_rels/.rels": _rels([
            ("rId1", f"{REL}/officeDocument", "xl/workbook.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
            ("rId3", f"{REL}/extended-properties", "docProps/app.xml"),
            ("rId4", "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility", "customUI/customUI.xml"),
        ]).encode(),
        "docProps/core.xml": core.encode(),
        "docProps/app.xml": app.encode(),
        "customUI/customUI.xml": custom_ui,
        "xl/workbook.xml": workbook.encode(),
        "xl/_rels/workbook.xml.rels": _rels([
            ("rId1", f"{REL}/worksheet", "worksheets/sheet1.xml"),
            ("rId2", f"{REL}/styles", "styles.xml"),
            ("rId3", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin"),
        ]).encode(),
        "xl/worksheets/sheet1.xml": _config_sheet(config).encode(),
        "xl/styles.xml": STYLES.encode(),
        "xl/vbaProject.bin": vba_bin,
    }


@dataclass
class Built:
    path: Path
    modules: list[ovba.Module]


def build_addin(out_dir: Path | str, *, interpreter_win: str | None = None,
                interpreter_mac: str | None = None, project_id: str | None = None) -> Built:
    """Write <out_dir>/salesbook.xlam and return its path and the modules it holds."""
    modules = project_modules()
    if CONFIG_CODENAME not in {m.name for m in modules if m.kind == ovba.DOCUMENT}:
        raise BuildError(f"macros 目录缺少配置表的文档模块 {CONFIG_CODENAME}.cls")
    vba_bin = ovba.vba_project(modules, project_name=PROJECT_NAME, project_id=project_id)
    custom_ui = ribbon_xml()
    parts = package_parts(vba_bin, custom_ui, config_rows(interpreter_win, interpreter_mac))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ADDIN_FILE
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    tmp.replace(target)
    return Built(target, modules)
