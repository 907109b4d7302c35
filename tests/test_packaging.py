"""A non-editable install must carry every subpackage and the add-in's text sources."""
try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_and_the_macros_are_listed_in_pyproject():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(conf["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "salesbook").rglob("__init__.py")}
    assert on_disk <= listed, f"add to pyproject packages: {sorted(on_disk - listed)}"
    assert conf["package-dir"]["salesbook.macros"] == "macros"
    patterns = conf["package-data"]["salesbook.macros"]
    shipped = {p.name for pat in patterns for p in (ROOT / "macros").glob(pat)}
    assert shipped == {p.name for p in (ROOT / "macros").iterdir() if p.is_file() and not p.name.startswith(".")}
