"""The 销售管理 Excel add-in: built from the text sources in macros/ (no binaries committed).

XLWINGS_VERSION pins the xlwings release whose VBA goes into the add-in. The Python side
must run the same release: on macOS RunPython calls a versioned AppleScript file, and the
VBA and Python halves of xlwings talk a private protocol.
"""

XLWINGS_VERSION = "0.37.8"
PROJECT_NAME = "salesbook"          # xlwings' config sheet is "<PROJECT_NAME>.conf"
ADDIN_FILE = "salesbook.xlam"


def check_xlwings() -> None:
    """The Python side must run the xlwings release whose VBA is in the add-in."""
    import xlwings

    from ..errors import UsageError

    if xlwings.__version__ != XLWINGS_VERSION:
        raise UsageError(
            f"xlwings 版本不一致：插件基于 {XLWINGS_VERSION}，当前 Python 中是 {xlwings.__version__}。\n"
            f"请 IT 运行：pip install xlwings=={XLWINGS_VERSION}，然后运行 salesbook excel install。",
            f"xlwings mismatch: the add-in uses {XLWINGS_VERSION}, this Python has {xlwings.__version__}. "
            f"Run: pip install xlwings=={XLWINGS_VERSION}, then salesbook excel install.")
