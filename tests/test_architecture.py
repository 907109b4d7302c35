"""The layering of docs/architecture.md, checked on the code: the pure core never reaches an edge.

Every module of the package is either core (rules, report contexts, the vocabulary: pure
functions from tables to tables/dicts) or an edge (reading files, the workbook writer,
xlwings, the CLI, rendering, mail, the orchestrators). A core module may not import an
edge module — directly, through another salesbook module, or lazily inside a function —
nor a library that does I/O or rendering. A new module must be put in one of the two lists.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "salesbook"

# Prefixes of module names. Longest match wins (salesbook.reports.figures is core although
# salesbook.reports, the orchestrator, is an edge).
CORE = (
    "salesbook.contract", "salesbook.findings", "salesbook.settings", "salesbook.marks", "salesbook.commands",
    "salesbook.outcome", "salesbook.outputs", "salesbook.credit", "salesbook.errors", "salesbook.all_rules",
    "salesbook.domain", "salesbook.tables", "salesbook.validation", "salesbook.ownership", "salesbook.commission",
    "salesbook.reports.figures", "salesbook.reports.context", "salesbook.reports.privacy",
    "salesbook.reports.recipients", "salesbook.reports.keys", "salesbook.close",
)
EDGES = (
    "salesbook.__init__", "salesbook.__main__", "salesbook.reader", "salesbook.api", "salesbook.excel",
    "salesbook.defects", "salesbook.template", "salesbook.demo", "salesbook.xlsx", "salesbook.addin",
    "salesbook.workbook", "salesbook.cli", "salesbook.reports", "salesbook.reports.render",
    "salesbook.reports.manifest", "salesbook.reports.docs", "salesbook.mail", "salesbook.close.run", "salesbook.close.boxes",
    "salesbook.macros", "salesbook.templates",
)
# Libraries only edges may use: file formats, rendering, Excel, the terminal, the network, processes.
EDGE_LIBRARIES = {
    "fastexcel", "openpyxl", "xlsxwriter", "xlwings", "click", "jinja2", "PIL", "fpdf", "css_inline",
    "fontTools", "smtplib", "email", "keyring", "aiosmtpd", "socket", "zipfile", "subprocess", "shutil",
    "tempfile", "concurrent", "threading", "multiprocessing",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def layer(name: str) -> str | None:
    if name == "salesbook":
        return "core"          # the package's __init__: a docstring and the version
    best = max((p for p in CORE + EDGES if name == p or name.startswith(p + ".")), key=len, default=None)
    if best is None:
        return None
    return "core" if best in CORE else "edge"


def imports(name: str) -> set[str]:
    """Absolute names of everything the module imports, anywhere in it."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            submodules = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES}
            out |= submodules or {base}
    return out


def test_every_module_is_core_or_edge():
    unplaced = sorted(n for n in MODULES if layer(n) is None)
    assert not unplaced, f"put these modules in CORE or EDGES of tests/test_architecture.py: {unplaced}"


def test_core_modules_never_reach_an_edge():
    for name in sorted(n for n in MODULES if layer(n) == "core"):
        seen, todo = set(), [name]
        while todo:   # follow salesbook imports transitively
            current = todo.pop()
            for imported in imports(current):
                top = imported.split(".")[0]
                assert top not in EDGE_LIBRARIES, f"core module {name} reaches {imported} (via {current})"
                if imported in MODULES and imported not in seen:
                    assert layer(imported) == "core", (
                        f"core module {name} imports the edge {imported} (via {current}); "
                        "move the I/O out, or pass its result in as a parameter")
                    seen.add(imported)
                    todo.append(imported)
