"""The 销售管理 Excel add-in: built from the text sources in macros/ (no binaries committed).

XLWINGS_VERSION pins the xlwings release whose VBA goes into the add-in. The Python side
must run the same release: on macOS RunPython calls a versioned AppleScript file, and the
VBA and Python halves of xlwings talk a private protocol.
"""

XLWINGS_VERSION = "0.37.8"
PROJECT_NAME = "salesbook"          # xlwings' config sheet is "<PROJECT_NAME>.conf"
ADDIN_FILE = "salesbook.xlam"
