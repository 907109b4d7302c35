"""Time `salesbook report …` next to the bare fastexcel read of the same workbook.

    python benchmarks/bench_reports.py [--size large] [--repeat 1]

Uses the cached workbooks of bench_commands.py (generated on first use under
benchmarks/data/). Each measurement is a fresh Python process writing into a scratch
folder; each report run follows its own bare read, and the ratio is the median of the
pairs' ratios (medians are printed for the times). Issue targets on `large` (2-core machine): report monthly ≤ 3 × the bare read;
report weekly (department + every team) ≤ 3 ×; report statement for every paid person
(HTML + XLSX + PDF) ≤ 30 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_commands import BARE_READ, TODAY, ensure, measure  # noqa: E402

REPORT = """
import sys, json, datetime as dt
from pathlib import Path
from salesbook.reports import generate
kind, book, out, today = sys.argv[1], sys.argv[2], sys.argv[3], dt.date.fromisoformat(sys.argv[4])
m = generate(Path(book), kind, None, out=Path(out), today=today)
print(len(json.loads(m.read_text("utf-8"))["reports"]), file=sys.stderr)
"""
TARGETS = {"monthly": ("ratio", 3.0), "weekly": ("ratio", 3.0), "statement": ("seconds", 30.0)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="large")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--kinds", default="monthly,weekly,statement")
    args = ap.parse_args()
    book = ensure(args.size)
    print(f"{args.size}: {book.stat().st_size / 1e6:.1f} MB; each run of a report is paired with a bare fastexcel "
          f"read of the same file just before it (a shared machine drifts: the ratio is taken pair by pair)",
          flush=True)
    for kind in args.kinds.split(","):
        runs, bares = [], []
        for _ in range(args.repeat):
            bares.append(measure(BARE_READ, str(book))["s"])
            with tempfile.TemporaryDirectory() as tmp:
                runs.append(measure(REPORT, kind, str(book), tmp, TODAY.isoformat()))
        s = statistics.median(r["s"] for r in runs)
        ratio = statistics.median(r["s"] / b for r, b in zip(runs, bares))
        what, limit = TARGETS.get(kind, ("ratio", 3.0))
        got = ratio if what == "ratio" else s
        verdict = "ok" if got <= limit else "OVER"
        print(f"  report {kind:<10} {s:7.2f} s  bare read {statistics.median(bares):5.2f} s  ratio {ratio:4.2f}"
              f"  peak {max(r['rss_mb'] for r in runs):6.0f} MB  target {what} ≤ {limit:g}: {verdict}", flush=True)

if __name__ == "__main__":
    main()
