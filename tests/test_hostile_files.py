"""Hostile and broken files through the real command line: exit 2, a plain message, no traceback,
the file untouched (tests/hostile_files.py builds them; benchmarks/bench_hostile.py times them)."""
from __future__ import annotations

import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from hostile_files import build_all
from salesbook.errors import WorkbookError
from salesbook.xlsx import write_outcome
from salesbook.xlsx.safety import check_package

CJK = re.compile(r"[\u4e00-\u9fff]")
# A bomb that got through would need gigabytes; the child may have 2 GB of address space.
MEMORY_CAP = 2 << 30


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("hostile"))


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def salesbook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from salesbook.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, preexec_fn=_cap_memory)


LABELS = ["billion laughs in a sheet", "billion laughs in styles.xml", "zip bomb in an input sheet",
          "zip bomb in an output sheet", "zip bomb with a forged size", "empty zip", "zero bytes",
          "a text file named .xlsx", "truncated at 10 %", "truncated at 50 %", "truncated at 99 %",
          "wrong content type for a sheet", "workbook names a missing part", "DTD in [Content_Types].xml"]


def test_the_set_is_complete(hostile):
    assert set(hostile) == set(LABELS)


CASES = [("validate", label) for label in LABELS] + [
    ("commission", "zip bomb in an output sheet"), ("commission", "billion laughs in a sheet"),
    ("assign", "zip bomb with a forged size"), ("assign", "truncated at 99 %")]


@pytest.mark.parametrize("command, label", CASES)
def test_cli_refuses_with_exit_2_and_a_chinese_message(hostile, command, label):
    path = hostile[label]
    before = path.read_bytes()
    proc = salesbook(command, str(path))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "Traceback" not in out and "Error:" not in out.replace("错误:", ""), out
    assert proc.stderr.startswith("错误: ") and CJK.search(proc.stderr), out
    assert path.name in proc.stderr or "「" in proc.stderr
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if "salesbook-tmp" in p.name]


@pytest.mark.parametrize("label", ["zip bomb in an input sheet", "billion laughs in styles.xml", "empty zip"])
def test_english_with_lang_en(hostile, label):
    proc = salesbook("validate", str(hostile[label]), "--lang", "en")
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: ") and re.search(r"workbook|Excel", proc.stderr), proc.stderr
    assert "「" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("label", LABELS)
def test_writer_refuses_too(hostile, label):
    """The writer checks the package itself (the ribbon hands it the saved file directly)."""
    import pandas as pd

    path = hostile[label]
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as e:
        write_outcome(path, {"校验结果": pd.DataFrame({"问题": ["x"]})}, [])
    assert CJK.search(e.value.zh) and re.search(r"workbook|Excel", e.value.en)
    assert path.read_bytes() == before


def test_the_base_workbook_passes(hostile):
    base = next(iter(hostile.values())).parent / "base.xlsx"
    check_package(base)
    proc = salesbook("validate", str(base))
    assert proc.returncode in (0, 1), proc.stderr
