"""`salesbook excel build-addin / install / uninstall`, with each OS's folders under tmp."""
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from salesbook.addin import ADDIN_FILE, XLWINGS_VERSION, install as I
from salesbook.addin.cli import excel


def _config(xlam: Path) -> list[str]:
    return re.findall(r"<t>(.*?)</t>", zipfile.ZipFile(xlam).read("xl/worksheets/sheet1.xml").decode())


def test_build_addin_command(tmp_path):
    result = CliRunner().invoke(excel, ["build-addin", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / ADDIN_FILE).is_file() and "已生成" in result.output


def test_linux_says_excel_is_missing_and_points_to_the_cli(tmp_path):
    with pytest.raises(I.ExcelUnavailable, match="salesbook validate"):
        I.install(I.Target("linux", tmp_path))
    with pytest.raises(I.ExcelUnavailable):
        I.uninstall(I.Target("linux", tmp_path))


def test_install_command_on_this_linux_machine():
    result = CliRunner().invoke(excel, ["install"])
    assert result.exit_code == 1
    assert "没有 Excel" in result.output and "salesbook commission" in result.output


def test_windows_install_and_uninstall(tmp_path):
    appdata = tmp_path / "AppData" / "Roaming"
    python = tmp_path / "py" / "python.exe"
    python.parent.mkdir()
    python.write_text("")
    (python.parent / "pythonw.exe").write_text("")
    target = I.Target("win32", tmp_path, {"APPDATA": str(appdata)})
    lines = I.install(target, executable=str(python), run=None)
    xlam = appdata / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE
    assert xlam.is_file() and str(xlam) in lines[0]
    assert _config(xlam) == ["ADD_WORKBOOK_TO_PYTHONPATH", "false",
                             "INTERPRETER_WIN", str(python.parent / "pythonw.exe")]
    lines = I.uninstall(target)
    assert not xlam.exists() and "已删除插件" in lines[0]
    assert "没有找到" in I.uninstall(target)[0]


def test_macos_install_enables_runpython_once_and_uninstall_reverses_it(tmp_path):
    target = I.Target("darwin", tmp_path)
    calls = []

    def fake_run(cmd, check):
        calls.append(cmd)               # what `xlwings runpython install` does: copy the script
        target.applescript().parent.mkdir(parents=True, exist_ok=True)
        target.applescript().write_text("script")

    I.install(target, executable="/opt/py/bin/python3", run=fake_run)
    xlam = tmp_path / I.MAC_OFFICE / ADDIN_FILE
    assert calls == [["/opt/py/bin/python3", "-m", "xlwings.cli", "runpython", "install"]]
    assert target.applescript().name == f"xlwings-{XLWINGS_VERSION}.applescript"
    assert _config(xlam)[2:] == ["INTERPRETER_MAC", "/opt/py/bin/python3"]
    I.install(target, executable="/opt/py/bin/python3", run=fake_run)     # already enabled
    assert len(calls) == 1
    I.uninstall(target)
    assert not xlam.exists() and not target.applescript().exists()


def test_macos_uninstall_keeps_an_applescript_it_did_not_install(tmp_path):
    target = I.Target("darwin", tmp_path)
    target.applescript().parent.mkdir(parents=True)
    target.applescript().write_text("from somebody else")
    I.install(target, executable="/usr/bin/python3", run=None)
    I.uninstall(target)
    assert target.applescript().exists()
