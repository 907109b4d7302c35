"""The month close on real workbook files: lock, idempotency, order, changes, retro, reopen."""
from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from builders import payment
from close_books import TODAY, company_rows, write_company
from salesbook import api, contract as K
from salesbook.close.boxes import preview_text, reopen_preview_text, result_text
from salesbook.close.state import CLOSED, REOPENED, RETRO, CloseState
from salesbook.errors import UsageError
from salesbook.reader import load_close_sheets

DEC = dt.date(2026, 12, 5)
JAN = dt.date(2027, 1, 5)
NOW = dt.datetime(2026, 11, 15, 9, 30)


def md5(p: Path) -> str:
    return hashlib.md5(p.read_bytes()).hexdigest()


def state_of(p: Path) -> CloseState:
    names = openpyxl.load_workbook(p, read_only=True).sheetnames
    return CloseState.from_sheets(load_close_sheets(p, names))


def sheet_rows(p: Path, name: str) -> list[tuple]:
    wb = openpyxl.load_workbook(p, read_only=True)
    return [r for r in wb[name].iter_rows(values_only=True)][1:]


def set_cell(p: Path, sheet: str, row: int, header: str, value) -> None:
    wb = openpyxl.load_workbook(p)
    ws = wb[sheet]
    col = [c.value for c in ws[1]].index(header) + 1
    ws.cell(row, col).value = value
    wb.save(p)


def close(p: Path, month: str, today=TODAY, **kw):
    return api.close(p, month=month, today=today, now=kw.pop("now", NOW), operator=kw.pop("operator", "张三"), **kw)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_company(tmp_path / "台账.xlsx")


def test_close_with_an_error_is_refused_and_nothing_is_locked(tmp_path: Path):
    rows = company_rows()
    rows["payments"].append(payment("P9", "C404", 100, paid="2026-10-09"))   # unknown contract
    p = write_company(tmp_path / "台账.xlsx", payments=rows["payments"])
    res = subprocess.run([sys.executable, "-m", "salesbook", "close", str(p), "--month", "2026-10",
                          "--today", TODAY.isoformat()], capture_output=True, text=True)
    assert res.returncode == 1, res.stderr
    assert "2026-10 未结账" in res.stdout and "回款" in res.stdout and "Traceback" not in res.stderr
    names = openpyxl.load_workbook(p, read_only=True).sheetnames
    assert K.ISSUES.zh in names
    assert not {K.CLOSE_LOG.zh, K.CLOSE_PAYROLL.zh, K.CLOSE_LINES.zh, K.CLOSE_PRINTS.zh} & set(names)
    assert not (tmp_path / "台账-报表" / "2026-10").exists()


def test_close_locks_the_month_and_a_second_close_leaves_the_file_byte_identical(book: Path):
    res = close(book, "2026-10")
    assert res.exit_code == 0 and res.wrote
    wb = openpyxl.load_workbook(book)
    assert [wb[s.zh].sheet_state for s in K.CLOSE_SHEETS] == ["hidden"] * 3
    log = sheet_rows(book, K.CLOSE_LOG.zh)
    assert len(log) == 1
    month, closed_at, operator, fingerprint, status, folder, reason = log[0]
    assert (month, closed_at, operator, status, reason) == ("2026-10", NOW, "张三", CLOSED, None)
    assert len(fingerprint) == 16 and Path(folder) == res.report_dir
    manifest = (res.report_dir / "manifest.json").read_text("utf-8")
    assert "monthly" in manifest and "statement" in manifest and "weekly" in manifest
    assert res.audit_copy.exists() and md5(res.audit_copy) == md5(book)
    state = state_of(book)
    assert [m.label for m in state.closed] == ["2026-10"]
    assert set(state.locked_payroll(state.closed[0])["staff_id"]) == {"M1", "S1", "S2"}
    assert set(state.locked_prints()["sheet"]) >= {"staff", "payments", "contracts", "targets", "settings"}

    before = md5(book)
    again = close(book, "2026-10", now=NOW + dt.timedelta(days=3))
    assert again.exit_code == 0 and not again.wrote
    assert again.summary == ["2026-10 已结账, 数据未变。"]
    assert md5(book) == before


def test_months_close_in_order(book: Path):
    assert close(book, "2026-09").exit_code == 0
    with pytest.raises(UsageError, match="先结 2026-10"):
        close(book, "2026-11", today=DEC)
    with pytest.raises(UsageError, match="第一个已结账月份 2026-09 之前"):
        close(book, "2026-08")
    with pytest.raises(UsageError, match="还没有结束"):
        close(book, "2026-11")   # today is 2026-11-15


def test_edited_payment_is_warned_adjusted_next_month_locked_and_never_paid_twice(book: Path):
    close(book, "2026-10")
    locked = state_of(book).locked_payroll(state_of(book).closed[0]).set_index("staff_id")
    set_cell(book, "回款", 5, "金额", 20000)          # P4, S2's October payment: 30000 → 20000

    out = api.validate(book, today=DEC, month="2026-11")
    warned = [r for r in out.sheets["校验结果"].itertuples(index=False) if "已结账" in r[5]]
    assert len(warned) == 1
    assert warned[0][1:5] == ("回款", 5, "金额", "20000")
    assert "已结账月份 2026-10 的数据被修改: 回款 第 5 行 金额 30000 → 20000" in warned[0][5]
    changed = [h for h in out.highlights if h.sheet == "回款" and h.row == 5]
    assert changed and changed[0].level == "警告"

    nov = api.commission(book, month="2026-11", today=DEC)
    payroll = nov.sheets["业绩提成"].set_index("工号")
    lines = nov.sheets["提成明细"]
    retro = lines[lines["来源类型"] == RETRO]
    # S2's October base fell by 10000 at 3% (progressive, first tier): 300.00 less commission
    assert retro["工号"].tolist() == ["S2"]
    assert retro["单据编号"].tolist() == ["2026-10"] and retro["计入金额"].tolist() == [-300.0]
    basis = retro["依据"].iloc[0]
    assert "2026-10(已结账) 提成" in basis and "回款 第 5 行 金额 30000 → 20000" in basis
    assert payroll.loc["S2", "调整"] == -300.0 and payroll.loc["S1", "调整"] == 0
    assert any("追溯调整" in line for line in nov.summary)
    text = api.explain(book, "S2", month="2026-11", today=DEC)
    assert "调整 -300.00" in text and "2026-10(已结账)" in text

    assert close(book, "2026-11", today=DEC).exit_code == 0
    state = state_of(book)
    assert state.adjusted(state.closed[0]) == {("S2", "提成"): -30000}
    dec = api.commission(book, month="2026-12", today=JAN)
    assert (dec.sheets["业绩提成"]["调整"] == 0).all()
    assert not (dec.sheets["提成明细"]["来源类型"] == RETRO).any()
    assert not [r for r in api.validate(book, today=JAN).sheets["校验结果"].itertuples() if "已结账" in r[6]]
    # the closed months still show what was paid
    octo = api.commission(book, month="2026-10", today=JAN)
    assert "2026-10 已结账" in octo.summary[0] and "没有重新计算" in octo.summary[0]
    shown = octo.sheets["业绩提成"].set_index("工号")
    assert shown.loc["S2", "提成"] == locked.loc["S2", "commission"] / 100


def test_closing_a_closed_month_with_changed_data_is_refused_with_the_rows(book: Path):
    close(book, "2026-10")
    set_cell(book, "回款", 5, "金额", 20000)
    before = md5(book)
    res = close(book, "2026-10")
    assert res.exit_code == 1 and not res.wrote and md5(book) == before
    text = result_text(res)
    assert "回款 第 5 行 金额 30000 → 20000" in text and "追溯调整" in text and "--reopen" in text


def test_added_and_deleted_rows_of_a_closed_month_are_reported(book: Path):
    close(book, "2026-10")
    wb = openpyxl.load_workbook(book)
    ws = wb["回款"]
    ws.delete_rows(3)                                  # P2 (September) gone
    ws.append(["P7", "C3", dt.datetime(2026, 10, 30), 500, "S1", "是"])
    wb.save(book)
    out = api.validate(book, today=TODAY)
    texts = [r[5] for r in out.sheets["校验结果"].itertuples(index=False) if "已结账" in r[5]]
    assert any("有新增行: 回款 第 7 行 新增(P7)" in t for t in texts), texts
    assert any("被删除: 回款 原第 3 行 已删除(P2)" in t for t in texts), texts


def test_reopen_recompute_close_again_and_the_log_keeps_every_step(book: Path):
    close(book, "2026-09")
    close(book, "2026-10", now=NOW + dt.timedelta(hours=1))
    with pytest.raises(UsageError, match="请先反结账以后的月份: 2026-10"):
        api.reopen(book, month="2026-09", reason="录错", operator="王经理")
    with pytest.raises(UsageError, match="原因"):
        api.reopen(book, month="2026-10", reason=" ", operator="王经理")
    assert "反结账 2026-10" in reopen_preview_text(book, "2026-10")
    res = api.reopen(book, month="2026-10", reason="回款金额录错", operator="王经理", now=NOW + dt.timedelta(hours=2))
    assert res.exit_code == 0
    state = state_of(book)
    assert [m.label for m in state.closed] == ["2026-09"]
    assert not (state.payroll["month"] == "2026-10").any() and not (state.prints["recorded"] == "2026-10").any()
    set_cell(book, "回款", 5, "金额", 20000)
    assert close(book, "2026-10", now=NOW + dt.timedelta(hours=3)).exit_code == 0
    log = sheet_rows(book, K.CLOSE_LOG.zh)
    assert [(r[0], r[2], r[4], r[6]) for r in log] == [
        ("2026-09", "张三", CLOSED, None), ("2026-10", "张三", CLOSED, None),
        ("2026-10", "王经理", REOPENED, "回款金额录错"), ("2026-10", "张三", CLOSED, None)]
    state = state_of(book)
    locked = state.locked_payroll(state.closed[-1]).set_index("staff_id")
    assert locked.loc["S2", "collected"] == 2_000_000          # the corrected data, no retro line
    assert not (state.lines["source_type"] == RETRO).any()


def test_cli_close_reopen_english_and_usage_errors(book: Path):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "salesbook", "close", str(book), *args,
                               "--today", TODAY.isoformat()], capture_output=True, text=True)

    r = cli("--month", "2026-10", "--operator", "Ann", "--lang", "en")
    assert r.returncode == 0 and "2026-10 closed" in r.stdout, r.stderr
    r = cli("--month", "2026-10")
    assert r.returncode == 0 and "2026-10 已结账, 数据未变" in r.stdout
    r = cli("--month", "2026-10", "--reopen")
    assert r.returncode == 2 and "原因" in r.stderr and "Traceback" not in r.stderr
    r = cli("--month", "2026-13")
    assert r.returncode == 2 and "月份" in r.stderr
    r = cli("--month", "2026-10", "--reopen", "--reason", "test", "--lang", "en")
    assert r.returncode == 0 and "reopened" in r.stdout


def test_preview_text_says_what_will_happen(book: Path):
    text = preview_text(book, "2026-10", today=TODAY)
    assert "即将对 2026-10 月结" in text and "台账-报表" in text and "这是第一次月结" in text


def test_fingerprints_do_not_change_when_libreoffice_resaves_the_workbook(book: Path, tmp_path: Path):
    close(book, "2026-10")
    out = tmp_path / "lo"
    res = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "xlsx", "--outdir", str(out), str(book)], capture_output=True, timeout=180)
    resaved = out / book.name
    assert resaved.exists(), res.stderr
    assert md5(resaved) != md5(book)
    run = api.prepare(resaved, today=TODAY)
    assert [m.label for m in run.closed.closed] == ["2026-10"]
    assert run.changes == []
    assert close(resaved, "2026-10").summary == ["2026-10 已结账, 数据未变。"]
    set_cell(resaved, "考勤", 9, "迟到次数", 1)      # 2026-10 S2: one late arrival
    run = api.prepare(resaved, today=TODAY)
    assert [(c.kind, c.sheet, c.row, c.cells) for c in run.changes] == [("changed", "attendance", 9, (("late_count", "", "1"),))]


def test_carry_forward_reads_the_locked_deficit():
    from builders import staff, tables, tiers
    from salesbook.commission import compute
    from salesbook.commission.history import Locked
    from salesbook.domain.calendar import Month
    from salesbook.settings import read_settings

    t = tables(staff=[staff("S1")], commission_plan=tiers((0, None, 0.1)),
               customers=[{"客户编号": "K1", "客户名称": "甲", "登记日期": "2026-01-05", "登记人工号": "S1"}],
               contracts=[{"合同编号": "C1", "客户编号": "K1", "签约人工号": "S1", "签约日期": "2026-09-01", "原价": 9000,
                           "合同金额": 9000, "审批状态": "已批准", "审批人工号": "S1", "合同状态": "执行中"}],
               payments=[{"回款编号": "P1", "合同编号": "C1", "回款日期": "2026-10-02", "金额": 9000, "收款人工号": "S1",
                          "是否上交": "是"}])
    s, _ = read_settings(t["settings"])
    plain = compute(t, s, "2026-10", lambda c, d: None)
    assert plain.persons["S1"].carry_in == 0
    sep = Month.parse("2026-09").index
    locked = compute(t, s, "2026-10", lambda c, d: None, locked=Locked(carry_out={("S1", sep): 100000}))
    p = locked.persons["S1"]
    assert p.carry_in == 100000 and p.base == 900000 - 100000 and p.commission == 80000
    assert (locked.lines["source_type"] == "扣回结转").sum() == 1


def test_one_read_gives_the_input_and_the_close_sheets(book: Path):
    """prepare reads the close's sheets in the same read as the input sheets."""
    from salesbook.reader import load, load_with_close

    close(book, "2026-10")
    together, close_tables = load_with_close(book)
    alone = load(book)
    separately = load_close_sheets(book, alone.all_sheet_names)
    assert set(close_tables) == set(separately) == {"close_log", "close_payroll", "close_lines", "close_prints"}
    for key, frame in separately.items():
        assert close_tables[key].equals(frame), key
    for key, frame in alone.tables.items():
        assert together.tables[key].equals(frame), key
    assert together.findings == alone.findings
