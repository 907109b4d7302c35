"""One language per run, no traceback ever, and the defaults and refusals of issue 14 §4/§5."""
import subprocess
import sys

import fastexcel
import pytest
from click.testing import CliRunner

from builders import customer, staff, write_book
from salesbook import contract as K
from salesbook.cli import main
from salesbook.commands import COMMANDS

TODAY = "2026-03-31"


def book(tmp_path, name="台账.xlsx"):
    return write_book(tmp_path / name, staff=[staff("S1")], customers=[customer("K1", registered="2026-01-05")],
                      targets=[{"月份": "2026-02", "工号": "S1", "销售目标": 8000}])


def salesbook(*args, env=None):
    """The real command in a fresh process, as a person runs it."""
    return subprocess.run([sys.executable, "-m", "salesbook", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=300)


def test_every_command_of_the_table_is_a_cli_command():
    for c in COMMANDS:
        group = main
        words = c.cli.split()
        while words and not words[0].startswith("--"):
            assert hasattr(group, "commands") and words[0] in group.commands, c.cli
            group = group.commands[words.pop(0)]
        options = {o for p in group.params for o in p.opts}
        assert {w for w in words if w.startswith("--")} <= options, c.cli


def test_top_level_help_is_chinese_lists_exit_codes_and_truncates_nothing():
    r = salesbook("--help")
    assert r.returncode == 0
    assert "用法:" in r.stdout and "选项:" in r.stdout and "命令:" in r.stdout and "退出码" in r.stdout
    assert "..." not in r.stdout.replace("[ARGS]...", "") and "Show this message" not in r.stdout


def test_help_in_english_with_lang_en():
    r = salesbook("--lang", "en", "validate", "--help")
    assert r.returncode == 0 and "Usage:" in r.stdout and "Exit codes" in r.stdout and "用法" not in r.stdout


@pytest.mark.parametrize("args, words", [
    (["validate"], "缺少参数"),
    (["validat"], "没有命令"),
    (["commission", "x.xlsx", "--month"], "需要一个值"),
    (["commission", "x.xlsx", "--month", "2026-13"], "月份「2026-13」不对"),
    (["assign", "x.xlsx", "--as-of", "2026/3/1x"], "日期「2026/3/1x」不对"),
    (["demo", "--scale", "huge"], "之一"),
    (["validate", "不存在.xlsx"], "找不到文件"),
])
def test_usage_errors_are_chinese_exit_2_without_traceback(args, words):
    r = salesbook(*args)
    assert r.returncode == 2, r.stderr
    assert words in r.stderr and "Traceback" not in r.stderr + r.stdout
    assert not any(w in r.stderr for w in ("Missing", "Invalid value", "No such", "requires an argument"))


def test_usage_errors_in_english_with_lang_en():
    r = salesbook("validate", "--lang", "en")
    assert r.returncode == 2 and "Missing argument" in r.stderr and "缺少" not in r.stderr


def test_a_folder_as_book_is_named_as_a_folder(tmp_path):
    r = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert r.exit_code == 2 and "文件夹" in r.output


def test_a_month_that_has_not_started_is_refused(tmp_path):
    p = book(tmp_path)
    before = p.read_bytes()
    r = CliRunner().invoke(main, ["commission", str(p), "--month", "2030-01", "--today", TODAY])
    assert r.exit_code == 2 and "还没有开始" in r.output and p.read_bytes() == before


def test_a_date_after_today_is_computed_with_a_warning(tmp_path):
    r = CliRunner().invoke(main, ["assign", str(book(tmp_path)), "--as-of", "2026-06-30", "--today", TODAY])
    assert r.exit_code in (0, 1) and "之后" in r.output


@pytest.mark.parametrize("out, words", [("missing/dir/x.xlsx", "不存在"), ("out.txt", ".xlsx")])
def test_bad_out_paths_say_what_is_wrong(tmp_path, out, words):
    p = book(tmp_path)
    r = CliRunner().invoke(main, ["validate", str(p), "--today", TODAY, "--out", str(tmp_path / out)])
    assert r.exit_code == 2 and words in r.output and "只读" not in r.output


def test_validate_and_commission_default_to_the_same_month(tmp_path):
    # targets exist for 2026-02 (the last full month before TODAY) only: no missing-target warning
    p = book(tmp_path)
    r = CliRunner().invoke(main, ["validate", str(p), "--today", TODAY])
    issues = fastexcel.read_excel(str(p)).load_sheet(K.ISSUES.zh, dtypes="string").to_pandas()
    assert not issues["问题"].str.contains("目标").any(), r.output


def test_messages_follow_lang_and_the_workbook_keeps_its_language(tmp_path):
    p = book(tmp_path)
    r = CliRunner().invoke(main, ["assign", str(p), "--today", TODAY, "--lang", "en"])
    assert "Ownership" in r.output and "Wrote" in r.output
    names = fastexcel.read_excel(str(p)).sheet_names
    assert K.OWNERSHIP.zh in names and K.OWNERSHIP.en not in names
    state = fastexcel.read_excel(str(p)).load_sheet(K.OWNERSHIP.zh, dtypes="string").to_pandas()
    assert list(state.columns) == K.OWNERSHIP.headers("zh")
