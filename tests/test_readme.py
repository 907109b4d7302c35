"""The README's promises: its two commands, CI running the second one, and its sample output."""
import datetime as dt
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from salesbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
# The day the README's sample was generated (its heading says so).
SAMPLE_DAY = dt.date(2026, 12, 2)


def blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README, flags=re.M | re.S)


def commands() -> list[str]:
    found = [b.strip() for b in blocks("bash")]
    assert len(found) >= 2, "the README opens with two bash commands"
    return found[:2]


def sample() -> list[str]:
    text = README.split("What the first one prints", 1)[1]
    return re.search(r"^```\n(.*?)^```", text, flags=re.M | re.S).group(1).splitlines()


def test_readme_opens_with_the_two_commands():
    first = README.index("```bash")
    assert README[:first].count("\n```") == 0, "nothing but a title and a sentence before the commands"
    install, tests = commands()
    assert "\n" not in install and "\n" not in tests, "each command is one line to paste"
    assert "python3 -m venv .venv" in install and install.endswith(".venv/bin/salesbook demo")
    assert "pip install" not in install.split("&& .venv/bin/pip", 1)[0], "no pip outside the venv (PEP 668)"
    assert " python " not in f" {install} {tests} ", "stock Debian has no `python`, only python3"
    assert tests.startswith("bash .ci/setup.sh") and ".venv/bin/python -m pytest" in tests
    assert f"{SAMPLE_DAY:%Y-%m-%d}" in README.split("What the first one prints", 1)[1].split("\n", 1)[0]


def test_ci_runs_exactly_the_readme_test_command():
    run = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert commands()[1] in run, "CI = what the README says: .ci/run must contain its test command verbatim"


def test_setup_uses_the_venv_python_and_installs_what_the_tests_need():
    setup = (ROOT / ".ci" / "setup.sh").read_text("utf-8")
    assert ".venv/bin/python -m pip install" in setup
    assert not re.search(r"^\s*(python|pip)\s", setup, flags=re.M), "no bare python/pip from PATH"
    for package in ("libreoffice-calc", "python3-uno", "fonts-noto-cjk", "poppler-utils", "python3-venv"):
        assert package in setup, package


def test_gitignore_covers_what_the_commands_create():
    ignored = (ROOT / ".gitignore").read_text("utf-8").splitlines()
    for entry in (".venv/", "salesbook-demo/", "*.salesbook-tmp", "*.bak.xlsx"):
        assert entry in ignored, entry


# --- the first command's shell logic, against stand-ins for python3, apt-get, sudo and id

SHIMS = {
    # python3 -m venv fails like Debian's without python3-venv, until apt-get installed it
    "python3": """#!/bin/sh
echo "python3 $*" >> "$LOG"
[ "$1 $2" = "-m venv" ] || exit 2
[ -e "$STATE/venv-installed" ] || { echo "ensurepip is not available" >&2; exit 1; }
mkdir -p "$3/bin"
for tool in pip salesbook; do
  printf '#!/bin/sh\\necho "%s $*" >> "$LOG"\\n' "$tool" > "$3/bin/$tool"; chmod +x "$3/bin/$tool"
done
""",
    "apt-get": """#!/bin/sh
echo "apt-get $*" >> "$LOG"
case "$*" in *install*python3-venv*) touch "$STATE/venv-installed";; esac
""",
    "sudo": """#!/bin/sh
echo "sudo" >> "$LOG"
exec "$@"
""",
    "id": """#!/bin/sh
echo "$FAKE_UID"
""",
}


def _run_install_command(tmp_path: Path, *, uid: int, venv_package: bool) -> list[str]:
    shims, state, work = tmp_path / "shims", tmp_path / "state", tmp_path / "work"
    for d in (shims, state, work):
        d.mkdir()
    for name, body in SHIMS.items():
        (shims / name).write_text(body)
        (shims / name).chmod(stat.S_IRWXU)
    if venv_package:
        (state / "venv-installed").touch()
    log = tmp_path / "log"
    env = {"PATH": f"{shims}:/usr/bin:/bin", "LOG": str(log), "STATE": str(state), "FAKE_UID": str(uid),
           "HOME": str(tmp_path)}
    done = subprocess.run(["bash", "-c", commands()[0]], cwd=work, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "ensurepip" not in done.stderr, "the expected first failure is not shown to the user"
    return log.read_text().splitlines()


def test_install_command_with_python3_venv_present(tmp_path):
    assert _run_install_command(tmp_path, uid=1000, venv_package=True) == [
        "python3 -m venv .venv", "pip install -q -e .", "salesbook demo"]


@pytest.mark.parametrize("uid, sudo", [(0, False), (1000, True)])
def test_install_command_installs_python3_venv_when_missing(tmp_path, uid, sudo):
    log = _run_install_command(tmp_path, uid=uid, venv_package=False)
    apt = [line for line in log if line.startswith("apt-get")]
    assert apt == ["apt-get update -qq", "apt-get install -y -qq python3-venv"]
    assert log.count("sudo") == (2 if sudo else 0)
    assert log[-3:] == ["python3 -m venv .venv", "pip install -q -e .", "salesbook demo"]


# --- the sample output is a real run's

def _normalise(line: str) -> str:
    return re.sub(r"\d+\.\d 秒", "… 秒", line.rstrip())


def test_readme_sample_is_what_the_demo_prints(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["demo", "--today", f"{SAMPLE_DAY:%Y-%m-%d}"])
    assert result.exit_code == 0, result.output
    printed = [_normalise(line) for line in result.output.splitlines()]
    # The sample is the printed text with some lines left out where it shows "...".
    parts, part = [], []
    for line in sample():
        if line.strip() in ("...", "…"):
            parts.append(part)
            part = []
        else:
            part.append(_normalise(line))
    parts.append(part)
    at = 0
    for part in parts:
        if not part:
            continue
        starts = [i for i in range(at, len(printed) - len(part) + 1) if printed[i:i + len(part)] == part]
        assert starts, ("README sample differs from the real output", part, printed)
        at = starts[0] + len(part)
    shown = sum(len(p) for p in parts)
    assert shown >= 10 and shown >= len(printed) // 2, "the sample leaves out no more than it shows"
    assert os.path.exists(tmp_path / "salesbook-demo" / "销售台账-演示.xlsx")
