"""Install the add-in for the current user (Windows, macOS); remove it again.

The add-in is built in place with this Python's path in its config sheet, into Excel's
per-user startup folder (a trusted location, so no macro prompt and no Mark-of-the-Web:
the file never came from the internet). Paths are parameters so tests run anywhere.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import ADDIN_FILE, XLWINGS_VERSION
from .build import build_addin

MAC_OFFICE = "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"
MARKER = ".salesbook-installed-applescript"   # we put the AppleScript there, so we may remove it


class ExcelUnavailable(Exception):
    """No desktop Excel on this system."""


NO_EXCEL = ("这台电脑的系统（{system}）上没有 Excel 桌面版，无法安装“销售管理”插件。\n"
            "请直接使用命令行，效果相同，例如：\n"
            "  salesbook validate 销售台账.xlsx\n"
            "  salesbook assign 销售台账.xlsx\n"
            "  salesbook commission 销售台账.xlsx\n"
            "（如需把插件文件拷到 Windows/Mac 电脑上，可运行 salesbook excel build-addin -o 目录）")


@dataclass
class Target:
    platform: str
    home: Path
    env: dict = field(default_factory=dict)

    @classmethod
    def current(cls) -> "Target":
        return cls(sys.platform, Path.home(), dict(os.environ))

    def addin_dir(self) -> Path:
        if self.platform == "win32":
            appdata = self.env.get("APPDATA") or str(self.home / "AppData" / "Roaming")
            return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
        if self.platform == "darwin":
            return self.home / MAC_OFFICE
        raise ExcelUnavailable(NO_EXCEL.format(system=self.platform))

    def applescript(self) -> Path:
        return self.home / MAC_SCRIPTS / f"xlwings-{XLWINGS_VERSION}.applescript"


def interpreter(platform: str, executable: str = sys.executable) -> str:
    """pythonw.exe on Windows, so no console window flashes at every click."""
    exe = Path(executable)
    if platform == "win32" and exe.name.lower() == "python.exe" and exe.with_name("pythonw.exe").exists():
        return str(exe.with_name("pythonw.exe"))
    return str(exe)


def install(target: Target | None = None, *, executable: str = sys.executable, run=subprocess.run) -> list[str]:
    """Build the add-in into Excel's startup folder; returns lines to show the person."""
    from . import check_xlwings
    target = target or Target.current()
    folder = target.addin_dir()
    check_xlwings()
    folder.mkdir(parents=True, exist_ok=True)
    python = interpreter(target.platform, executable)
    built = build_addin(folder,
                        interpreter_win=python if target.platform == "win32" else None,
                        interpreter_mac=python if target.platform == "darwin" else None)
    lines = [f"已安装插件：{built.path}", f"使用的 Python：{python}"]
    if target.platform == "darwin":
        script = target.applescript()
        if not script.exists():
            # RunPython on macOS goes through this versioned AppleScript (sandbox rule).
            run([executable, "-m", "xlwings.cli", "runpython", "install"], check=True)
            (folder / MARKER).write_text(str(script), encoding="utf-8")
        lines.append(f"RunPython 已启用：{script}")
    lines.append("请完全退出并重新打开 Excel，功能区会出现“销售管理”选项卡。")
    return lines


def uninstall(target: Target | None = None) -> list[str]:
    target = target or Target.current()
    folder = target.addin_dir()
    lines = []
    addin = folder / ADDIN_FILE
    if addin.exists():
        addin.unlink()
        lines.append(f"已删除插件：{addin}")
    else:
        lines.append(f"没有找到已安装的插件（{addin}）。")
    marker = folder / MARKER
    if marker.exists():
        script = Path(marker.read_text(encoding="utf-8"))
        if script.exists():
            script.unlink()
            lines.append(f"已删除 RunPython 脚本：{script}")
        marker.unlink()
    lines.append("请重新打开 Excel，“销售管理”选项卡将不再出现。")
    return lines
