"""kill -9 at random moments of `salesbook close`: the workbook is either exactly as it was
or completely closed — never half-locked — and closing again afterwards just works.

The close writes the closed workbook as the audit copy in the report folder first and then
swaps it in with one atomic replace, so "completely closed" means: byte-identical to that
audit copy, with the month in 月结记录. Each run starts from a fresh copy of the workbook.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl

from close_books import TODAY, write_company
from salesbook.close.state import CloseState
from salesbook.domain.calendar import Month
from salesbook.reader import load_close_sheets

RUNS = 30
MONTH = "2026-10"


def _close_cmd(book: Path) -> list[str]:
    return [sys.executable, "-m", "salesbook", "close", str(book), "--month", MONTH,
            "--today", TODAY.isoformat(), "--operator", "张三"]


def _closed(book: Path) -> bool:
    names = openpyxl.load_workbook(book, read_only=True).sheetnames
    return CloseState.from_sheets(load_close_sheets(book, names)).is_closed(Month.parse(MONTH))


def test_kill_9_during_a_close_leaves_the_workbook_unchanged_or_closed(tmp_path: Path):
    original = write_company(tmp_path / "original.xlsx")
    pristine = original.read_bytes()
    # how long a whole close takes here, to spread the kills over all of it
    probe = tmp_path / "probe" / "台账.xlsx"
    probe.parent.mkdir()
    shutil.copy(original, probe)
    started = time.monotonic()
    done = subprocess.run(_close_cmd(probe), capture_output=True, text=True, timeout=300)
    full = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    rng = random.Random(20261202)
    outcomes = {"unchanged": 0, "closed": 0}
    for i in range(RUNS):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        book = folder / "台账.xlsx"
        shutil.copy(original, book)
        proc = subprocess.Popen(_close_cmd(book), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.05, full * 1.5))   # about a third of the runs get to the end
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass                                   # it had already finished
        proc.wait(timeout=60)
        data = book.read_bytes()
        if data == pristine:
            outcomes["unchanged"] += 1
        else:
            audit, = (folder / "台账-报表" / MONTH).glob("*已结账.xlsx")
            assert data == audit.read_bytes(), f"run {i}: the workbook is neither the original nor the closed copy"
            assert _closed(book), f"run {i}"
            outcomes["closed"] += 1
        if i % 10 == 0:   # closing again after the interruption finishes the job (or finds it done)
            again = subprocess.run(_close_cmd(book), capture_output=True, text=True, timeout=300)
            assert again.returncode == 0 and "Traceback" not in again.stderr, again.stdout + again.stderr
            assert _closed(book)
            assert not list(folder.glob(".*.salesbook-tmp")), "a stale temp file of the killed run is left"
    # the kills did land on both sides of the swap (otherwise the test proves little)
    assert outcomes["unchanged"] and outcomes["closed"], outcomes
