"""Month close (月结): lock a month's pay so that what was paid stays what was paid.

    salesbook close 台账.xlsx --month 2026-10 --operator 张三
    salesbook close 台账.xlsx --month 2026-10 --reopen --reason "回款录错"

Pure parts (no I/O, no clock: "now" and the operator are parameters):
- `fingerprint`  per-row fingerprints over cell VALUES (re-saving in Excel/WPS/LibreOffice
                 changes none), which rows feed a month, 数据指纹;
- `state`        the records a close leaves in the workbook (月结记录 + hidden 月结快照 /
                 月结明细 / 月结指纹) and what they say: closed months, locked figures,
                 history, what was already adjusted;
- `diff`         rows changed since their last lock (edited cell by cell, added, deleted);
- `retro`        the 追溯调整 of a closed month: recomputed − locked − already adjusted,
                 per person and component, each line naming its month, component and rows;
- `ledger`       an open month next to closed ones: history from snapshots, retro lines;
- `log`          which month may be closed / reopened, and the state after it.
- `view`         `commission` / `--explain` of a closed month: the locked figures, said so.
The edges: `run` (close_book / reopen_book: reads the file, writes reports, the audit copy
and the workbook through the one writer, atomically) and `boxes` (what the ribbon's
月结 / 反结账 confirmation boxes say; reads the file). This package's own module imports
nothing, so the pure parts can be imported without the edges.

Decisions (domain.md is silent):
- Everything lives in the workbook: the hidden sheets are written by the one writer in the
  same atomic replace as 月结记录 (append-only: old rows + the new one each time).
- A month whose data changed after its close stays closed; validate warns per row, and the
  next open month pays the difference in 调整 (or the month is reopened and closed again).
  A change settled by a later close is not reported again (fingerprints are compared with
  the LAST lock of each row).
- 底薪 / 津贴 / 绩效工资基数 of a closed month stay as locked (人员 has no salary history).
- A retro adjustment of someone not on the open month's payroll is a 警告, not paid.
- Reports and the audit copy are written before the workbook; re-closing after an
  interruption simply writes them again.
"""
