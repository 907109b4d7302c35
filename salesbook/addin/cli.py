"""`salesbook excel …`: build, install and remove the 销售管理 ribbon add-in."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click


@click.group(name="excel", help="Excel “销售管理”功能区插件：生成、安装、卸载。")
def excel():
    pass


@excel.command("build-addin", help="从 macros/ 文本源生成 salesbook.xlam（不需要 Excel）。")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="输出目录")
def build_addin_cmd(out_dir: Path):
    from .build import BuildError, build_addin
    started = time.perf_counter()
    try:
        built = build_addin(out_dir)
    except BuildError as e:
        click.echo(f"错误：{e}", err=True)
        sys.exit(2)
    click.echo(f"已生成 {built.path}（{len(built.modules)} 个 VBA 模块，"
               f"{time.perf_counter() - started:.1f} 秒）")


def _do(action) -> None:
    from .build import BuildError
    from .install import ExcelUnavailable
    from ..errors import WorkbookError
    try:
        for line in action():
            click.echo(line)
    except ExcelUnavailable as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    except (BuildError, WorkbookError) as e:
        click.echo(f"错误：{e}", err=True)
        sys.exit(2)


@excel.command(help="为当前用户安装插件（Windows/macOS），并写入本机 Python 路径。")
def install():
    from .install import install as do_install
    _do(do_install)


@excel.command(help="卸载插件（install 的反向操作）。")
def uninstall():
    from .install import uninstall as do_uninstall
    _do(do_uninstall)
