"""The workbook writer alone: time of `write_outcome` for each command's outcome on a benchmark
workbook, on a first run (the workbook has no marks yet) and on a re-run (same outcome,
written into the result of the first run).

    python benchmarks/bench_writer.py [--size large] [--repeat 3]
    PYTHONPATH=/path/to/other/checkout python benchmarks/bench_writer.py   # the same on another tree

Outcomes are computed once (with this checkout) and pickled, so two trees write the very
same outcomes. Each write runs in a fresh process; wall and CPU seconds are reported
(CPU is steadier on a busy machine), with the peak RSS.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_commands import TODAY, ensure  # noqa: E402

OUTCOMES = """
import pickle, sys, datetime as dt
from salesbook import api
book, out = sys.argv[1], sys.argv[2]
today = dt.date.fromisoformat(sys.argv[3])
res = {c: getattr(api, c)(book, today=today) for c in ("validate", "assign", "commission")}
pickle.dump({c: (o.sheets, o.highlights) for c, o in res.items()}, open(out, "wb"))
"""

WRITE = """
import json, pickle, resource, sys, time
sheets, highlights = pickle.load(open(sys.argv[1], "rb"))[sys.argv[2]]
from salesbook.xlsx import write_outcome
t, c = time.perf_counter(), time.process_time()
write_outcome(sys.argv[3], sheets, highlights, out=sys.argv[4])
print(json.dumps({"s": time.perf_counter() - t, "cpu": time.process_time() - c,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: str) -> dict:
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if res.returncode:
        raise SystemExit(res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1]) if res.stdout.strip() else {}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="large")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--outcomes", type=Path, help="reuse pickled outcomes (made by this script)")
    a = ap.parse_args()
    book = ensure(a.size)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pick = a.outcomes or tmp / "outcomes.pickle"
        if not pick.exists():
            env_free = {k: v for k, v in __import__("os").environ.items() if k != "PYTHONPATH"}
            subprocess.run([sys.executable, "-c", OUTCOMES, str(book), str(pick), TODAY.isoformat()],
                           check=True, env=env_free)
        for cmd in ("validate", "assign", "commission"):
            first, again = [], []
            for i in range(a.repeat):
                one, two = tmp / f"{cmd}-{i}-1.xlsx", tmp / f"{cmd}-{i}-2.xlsx"
                first.append(run(WRITE, str(pick), cmd, str(book), str(one)))
                again.append(run(WRITE, str(pick), cmd, str(one), str(two)))
            for label, rs in (("first run", first), ("re-run", again)):
                med = lambda k: statistics.median(r[k] for r in rs)
                print(f"{a.size:>6} {cmd:<11} {label:<10} {med('s'):6.2f} s wall {med('cpu'):6.2f} s cpu "
                      f"peak {max(r['rss_mb'] for r in rs):5.0f} MB", flush=True)


if __name__ == "__main__":
    main()
