"""The built salesbook.xlam, read back by independent readers (issue 5 verification).

olevba must decode every module byte for byte, olefile (strict) must read the container
without defects, LibreOffice must list the modules, and the ribbon, the VBA and
salesbook.excel must agree on every callback.
"""
import io
import json
import os
import re
import shutil
import struct
import subprocess
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

import olefile
import pytest
import xlwings
from oletools.olevba import VBA_Parser, decompress_stream

import salesbook.excel
from salesbook.addin import ADDIN_FILE, XLWINGS_VERSION, build

MACROS = Path(__file__).resolve().parent.parent / "macros"
XLWINGS = Path(xlwings.__file__).parent
CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build.build_addin(tmp_path_factory.mktemp("addin"))


@pytest.fixture(scope="module")
def decoded(built):
    """{module name: source bytes} as olevba decodes them."""
    parser = VBA_Parser(str(built.path))
    try:
        return {Path(name).stem: code.encode("cp1252")
                for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def vba_bin(built):
    return zipfile.ZipFile(built.path).read("xl/vbaProject.bin")


def _without_export_header(cls: bytes) -> bytes:
    head, sep, rest = cls.partition(b"\r\nEND\r\n")
    assert head.startswith(b"VERSION 1.0 CLASS\r\nBEGIN") and sep
    return rest


def test_builds_the_addin_file(built):
    assert built.path.name == ADDIN_FILE and built.path.stat().st_size > 10_000


def test_olevba_decodes_our_modules_byte_for_byte(decoded):
    sources = sorted(p for p in MACROS.iterdir() if p.suffix in (".bas", ".cls"))
    assert {p.stem for p in sources} | {"xlwings", "Dictionary"} == set(decoded)
    for p in sources:
        raw = build.module_source(p)
        expected = raw if p.suffix == ".bas" else _without_export_header(raw)
        assert decoded[p.stem] == expected, p.name


def test_olevba_decodes_the_xlwings_modules(decoded):
    src = (XLWINGS / "xlwings_custom_addin.bas").read_bytes()
    assert decoded["xlwings"] == src.replace(b'PROJECT_NAME As String = "myaddin"',
                                             b'PROJECT_NAME As String = "salesbook"')
    assert f'XLWINGS_VERSION As String = "{XLWINGS_VERSION}"'.encode() in decoded["xlwings"]
    # VBE adds these attributes when it imports a class; everything else is verbatim.
    cls = _without_export_header((XLWINGS / "addin" / "Dictionary.cls").read_bytes())
    cls = cls.replace(b'Attribute VB_Name = "Dictionary"\r\n',
                      b'Attribute VB_Name = "Dictionary"\r\n'
                      b'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"\r\n')
    cls = cls.replace(b"Attribute VB_Exposed = True\r\n",
                      b"Attribute VB_Exposed = True\r\nAttribute VB_TemplateDerived = False\r\n"
                      b"Attribute VB_Customizable = False\r\n")
    assert decoded["Dictionary"] == cls


def test_macro_sources_are_vbe_exports():
    for p in MACROS.iterdir():
        if p.suffix in (".bas", ".cls"):
            raw = p.read_bytes()
            raw.decode("ascii")                                   # code-page independent
            assert b"\n" not in raw.replace(b"\r\n", b""), p.name  # CRLF only
            assert re.search(rb'^Attribute VB_Name = "' + p.stem.encode() + rb'"\r$', raw, re.M)


def _dir_records(data: bytes):
    i = 0
    while i < len(data):
        rid, size = struct.unpack_from("<HI", data, i)
        if rid == 0x0009:          # PROJECTVERSION: the size field is a constant 4, payload is 6
            size = 6
        yield rid, data[i + 6:i + 6 + size]
        i += 6 + size


def test_container_is_clean_and_source_only(vba_bin, built):
    ole = olefile.OleFileIO(io.BytesIO(vba_bin), raise_defects=olefile.DEFECT_UNSURE)
    assert ole.parsing_issues == []
    streams = {"/".join(p) for p in ole.listdir()}
    names = {m.name for m in built.modules}
    assert streams == {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {f"VBA/{n}" for n in names}
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")
    records = list(_dir_records(bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))))
    ids = [r for r, _ in records]
    assert ids[-1] == 0x0010
    assert [struct.unpack("<I", p)[0] for r, p in records if r == 0x0031] == [0] * len(names)  # MODULEOFFSET
    assert {p.decode() for r, p in records if r == 0x0019} == names
    libids = [p[4:].decode("cp1252") for r, p in records if r == 0x000D]
    assert any("{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in lib for lib in libids)   # Office: IRibbonControl
    project = ole.openstream("PROJECT").read().decode("cp1252")
    assert 'Name="salesbook"' in project
    assert "Document=ThisWorkbook/&H00000000" in project and "Class=Dictionary" in project


def test_ribbon_callbacks_resolve_to_vba_subs_and_python_functions(decoded, built):
    root = ET.fromstring(zipfile.ZipFile(built.path).read("customUI/customUI.xml"))
    tab = root.find(f"{CUI}ribbon/{CUI}tabs/{CUI}tab")
    assert tab.get("label") == "销售管理"
    buttons = list(tab.iter(f"{CUI}button"))
    assert len(buttons) >= 3
    vba = b"\r\n".join(decoded.values()).decode("cp1252")
    for b in buttons:
        assert b.get("size") == "large" and b.get("imageMso") and b.get("screentip") and b.get("supertip")
        assert re.search(r"[\u4e00-\u9fff]", b.get("label"))
        sub = b.get("onAction")
        body = re.search(rf"^(?:Public )?Sub {sub}\(control As IRibbonControl\)\r\n(.*?)^End Sub",
                         vba, re.M | re.S)
        assert body, f"onAction {sub} has no Sub {sub}(control As IRibbonControl)"
        assert "If Not WorkbookIsOpen() Then Exit Sub" in body.group(1)
        calls = re.findall(r'RunPython "import salesbook\.excel as sb; sb\.(\w+)\(\)"', body.group(1))
        assert len(calls) == 1, sub
        assert callable(getattr(salesbook.excel, calls[0], None)), calls[0]
    # No RunPython outside a ribbon callback's body names a missing function either.
    for fn in re.findall(r'RunPython "import salesbook\.excel as sb; sb\.(\w+)\(\)"', vba):
        assert callable(getattr(salesbook.excel, fn, None)), fn


def test_package_parts_and_config_sheet(built):
    z = zipfile.ZipFile(built.path)
    assert z.namelist()[0] == "[Content_Types].xml"
    types = z.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types
    rels = z.read("_rels/.rels").decode()
    assert 'Type="http://schemas.microsoft.com/office/2006/relationships/ui/extensibility" Target="customUI/customUI.xml"' in rels
    assert z.read("customUI/customUI.xml") == build.ribbon_xml()
    assert "vbaProject.bin" in z.read("xl/_rels/workbook.xml.rels").decode()
    workbook = z.read("xl/workbook.xml").decode()
    assert 'codeName="ThisWorkbook"' in workbook and 'name="salesbook.conf"' in workbook
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert 'codeName="Sheet1"' in sheet
    cells = re.findall(r"<t>(.*?)</t>", sheet)
    assert cells[:2] == ["ADD_WORKBOOK_TO_PYTHONPATH", "false"]
    for name in z.namelist():
        if name.endswith(".xml") or name.endswith(".rels"):
            ET.fromstring(z.read(name))


def test_interpreter_paths_go_into_the_config_sheet(tmp_path):
    out = build.build_addin(tmp_path, interpreter_win=r"C:\Python\pythonw.exe", interpreter_mac="/opt/py/bin/python3")
    sheet = zipfile.ZipFile(out.path).read("xl/worksheets/sheet1.xml").decode()
    assert re.findall(r"<t>(.*?)</t>", sheet) == [
        "ADD_WORKBOOK_TO_PYTHONPATH", "false", "INTERPRETER_WIN", r"C:\Python\pythonw.exe",
        "INTERPRETER_MAC", "/opt/py/bin/python3"]


def test_refuses_another_xlwings_version(monkeypatch, tmp_path):
    monkeypatch.setattr(xlwings, "__version__", "0.99.0")
    with pytest.raises(build.BuildError, match=XLWINGS_VERSION):
        build.build_addin(tmp_path)


def test_refuses_lf_sources():
    with pytest.raises(build.BuildError, match="CRLF"):
        build.stored_module(b'Attribute VB_Name = "X"\nSub A()\r\nEnd Sub\r\n', ".bas")


def _libreoffice_available() -> bool:
    if shutil.which("soffice") is None or not os.path.exists("/usr/bin/python3"):
        return False
    return subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode == 0


def test_libreoffice_lists_the_modules(built):
    if not _libreoffice_available():
        if os.environ.get("CI") or os.environ.get("SALESBOOK_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice + python3-uno are required in CI: run .ci/setup.sh")
        pytest.skip("LibreOffice/python3-uno not installed (.ci/setup.sh installs them)")
    script = Path(__file__).with_name("lo_check.py")
    done = subprocess.run(["/usr/bin/python3", str(script), str(built.path)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    libraries = json.loads(done.stdout)
    assert sorted(libraries["salesbook"]) == sorted(m.name for m in built.modules)


def test_the_ribbon_is_the_command_table(built):
    """One button per command, in table order, each calling its VBA Sub and Python entry point."""
    from salesbook.commands import COMMANDS

    root = ET.fromstring(zipfile.ZipFile(built.path).read("customUI/customUI.xml"))
    buttons = list(root.iter(f"{CUI}button"))
    assert [(b.get("label"), b.get("onAction")) for b in buttons] == [(c.label, c.vba_sub) for c in COMMANDS]
    assert [b.get("supertip") for b in buttons] == [c.detail for c in COMMANDS]
    for c in COMMANDS:
        assert callable(getattr(salesbook.excel, c.entry, None)), c.entry
