"""Time and peak memory of the month close next to the bare fastexcel read of the same file.

    python benchmarks/bench_close.py [--size large] [--repeat 3] [--closed 12]

Measured, each in a fresh process, on the demo company without planted mistakes (a
workbook with errors cannot be closed):
- `close`: check + compute + the month's reports (monthly, every statement, the weeks that
  end in the month) + lock + write, on a fresh copy each run;
- the retro check: `validate` and `commission` of the first open month on a workbook with
  `--closed` months closed (and one payment of the oldest closed month edited, so the retro
  path really runs), against the same commands on the workbook with nothing closed.
  The workbook with closed months is built once (that takes one close per month) and cached.
Issue targets on `large`: close ≤ 5 × the read; the retro check for 12 closed months adds
≤ 1 × the read.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_commands import BARE_READ, DATA, SIZES, measure  # noqa: E402

TODAY = dt.date(2026, 11, 15)          # the last full month is 2026-10
LAST = "2026-10"

GENERATE = """
import sys, json, datetime as dt
from pathlib import Path
from salesbook.demo import write_demo
spec = json.loads(sys.argv[1])
print(write_demo(Path(sys.argv[2]), spec.get("scale", "small"), seed=7, today=dt.date.fromisoformat(sys.argv[3]),
                 counts=spec.get("counts"), mistakes=False))
"""

CLOSE = """
import sys, datetime as dt
from salesbook import api
r = api.close(sys.argv[1], month=sys.argv[2], today=dt.date.fromisoformat(sys.argv[3]), operator="bench")
assert r.exit_code == 0, r.summary
"""

COMMAND = """
import sys, datetime as dt
from salesbook import api
from salesbook.xlsx import write_outcome
cmd, book, out, month = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
today = dt.date.fromisoformat(sys.argv[5])
o = {"validate": lambda: api.validate(book, today=today),
     "commission": lambda: api.commission(book, month=month, today=today)}[cmd]()
write_outcome(book, o.sheets, o.highlights, out=out)
"""

EDIT = """
import sys, openpyxl, datetime as dt
path, month = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(path)
ws = wb["回款"]
head = [c.value for c in ws[1]]
day, amount, handed = head.index("回款日期") + 1, head.index("金额") + 1, head.index("是否上交") + 1
for r in range(2, ws.max_row + 1):
    d = ws.cell(r, day).value
    if isinstance(d, dt.datetime) and d.strftime("%Y-%m") == month and ws.cell(r, handed).value == "是":
        ws.cell(r, amount).value = ws.cell(r, amount).value - 100
        break
wb.save(path)
"""


def clean(name: str) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    target = DATA / f"bench-{name}-clean.xlsx"
    if not target.exists():
        with tempfile.TemporaryDirectory(dir=DATA) as tmp:
            res = subprocess.run([sys.executable, "-c", GENERATE, json.dumps(SIZES[name]), tmp, TODAY.isoformat()],
                                 capture_output=True, text=True, check=True)
            Path(res.stdout.strip().splitlines()[-1]).replace(target)
    return target


def months_back(n: int) -> list[str]:
    y, m = map(int, LAST.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def with_closed(name: str, count: int) -> Path:
    """The clean workbook with `count` months up to LAST closed, and one payment of the
    oldest closed month edited afterwards (built once, cached; takes `count` closes)."""
    target = DATA / f"bench-{name}-closed{count}.xlsx"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(dir=DATA) as tmp:
        work = Path(tmp) / "book.xlsx"
        shutil.copy(clean(name), work)
        months = months_back(count)
        for i, month in enumerate(months, 1):
            print(f"  closing {month} ({i}/{count}) …", flush=True)
            subprocess.run([sys.executable, "-c", CLOSE, str(work), month, TODAY.isoformat()], check=True)
        subprocess.run([sys.executable, "-c", EDIT, str(work), months[0]], check=True)
        shutil.copy(work, target)
    return target


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="large")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--closed", type=int, default=12)
    args = ap.parse_args()
    book = clean(args.size)
    closed = with_closed(args.size, args.closed)
    bare = statistics.median(measure(BARE_READ, str(book))["s"] for _ in range(args.repeat))
    rows = [("fastexcel read", bare, None)]
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for i in range(args.repeat):
            copy = Path(tmp) / f"r{i}" / "book.xlsx"
            copy.parent.mkdir()
            shutil.copy(book, copy)
            runs.append(measure(CLOSE, str(copy), LAST, TODAY.isoformat()))
        rows.append((f"close {LAST}", statistics.median(r["s"] for r in runs), max(r["rss_mb"] for r in runs)))
        nxt = "2026-11"
        for cmd in ("validate", "commission"):
            for label, src in (("nothing closed", book), (f"{args.closed} months closed", closed)):
                out = str(Path(tmp) / "out.xlsx")
                rs = [measure(COMMAND, cmd, str(src), out, nxt, TODAY.isoformat()) for _ in range(args.repeat)]
                rows.append((f"{cmd} {nxt}, {label}", statistics.median(r["s"] for r in rs),
                             max(r["rss_mb"] for r in rs)))
    print(f"\n{args.size}: {book.stat().st_size / 1e6:.1f} MB")
    for what, s, rss in rows:
        peak = f"peak {rss:6.0f} MB" if rss else " " * 14
        print(f"  {what:<34} {s:7.2f} s  {peak}  ratio {s / bare:5.2f}")
    by = {w: s for w, s, _ in rows}
    for cmd in ("validate", "commission"):
        extra = by[f"{cmd} 2026-11, {args.closed} months closed"] - by[f"{cmd} 2026-11, nothing closed"]
        print(f"  retro check, {cmd}: +{extra:.2f} s = {extra / bare:.2f} × the read")
    print(f"\nmedian of {args.repeat} runs; ratio = time / bare fastexcel read of the same file")


if __name__ == "__main__":
    main()
