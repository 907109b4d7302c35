"""Time and peak memory of each command next to the bare fastexcel read of the same file.

    python benchmarks/bench_commands.py [--sizes small,v50k,large,xlarge] [--repeat 3]

Workbooks are generated once (seeded demo data) under benchmarks/data/ and reused.
Every measurement runs in a fresh Python process so that peak RSS is its own; the
command writes to a scratch copy (-o) so the cached workbook stays as generated.
Issue targets: on `large`, each command ≤ 2.5 × the bare read, peak RSS ≤ 800 MB,
and cost growing about linearly with the number of visits.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 11, 15)

# name -> demo.generate arguments (large = the 200 staff / 20k customers / 200k visits ...)
SIZES = {
    "small": {"scale": "small"},
    "v50k": {"counts": {"staff": 200, "customers": 20000, "visits": 50000, "contracts": 30000, "payments": 40000}},
    "large": {"scale": "large"},
    "v400k": {"counts": {"staff": 200, "customers": 20000, "visits": 400000, "contracts": 30000, "payments": 40000}},
    "xlarge": {"scale": "xlarge"},
}

BARE_READ = """
import fastexcel, sys
r = fastexcel.read_excel(sys.argv[1])
for name in r.sheet_names:
    r.load_sheet(name, eager=True).to_pandas()
"""

COMMAND = """
import sys, datetime as dt
from salesbook import api
from salesbook.xlsx import write_outcome
cmd, book, out = sys.argv[1], sys.argv[2], sys.argv[3]
today = dt.date.fromisoformat(sys.argv[4])
fn = {"validate": lambda: api.validate(book, today=today),
      "assign": lambda: api.assign(book, today=today),
      "commission": lambda: api.commission(book, today=today)}[cmd]
o = fn()
write_outcome(book, o.sheets, o.highlights, out=out)
"""

WRAP = """
import resource, sys, time, json, runpy
t = time.perf_counter()
code = sys.argv[1]; sys.argv = ["x"] + sys.argv[2:]
exec(compile(code, "<bench>", "exec"), {"__name__": "__main__"})
print(json.dumps({"s": time.perf_counter() - t,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


GENERATE = """
import sys, json, datetime as dt
from pathlib import Path
from salesbook.demo import write_demo
spec = json.loads(sys.argv[1])
made = write_demo(Path(sys.argv[2]), spec.get("scale", "small"), seed=7,
                  today=dt.date.fromisoformat(sys.argv[3]), counts=spec.get("counts"))
print(made)
"""


def ensure(name: str) -> Path:
    """The cached workbook for a size, generated in a child process: on Linux a process's
    peak RSS survives exec, so this process must stay small for the children's figures."""
    DATA.mkdir(parents=True, exist_ok=True)
    target = DATA / f"bench-{name}.xlsx"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(dir=DATA) as tmp:
        res = subprocess.run([sys.executable, "-c", GENERATE, json.dumps(SIZES[name]), tmp, TODAY.isoformat()],
                             capture_output=True, text=True, check=True)
        Path(res.stdout.strip().splitlines()[-1]).replace(target)
    return target


def measure(code: str, *args: str) -> dict:
    res = subprocess.run([sys.executable, "-c", WRAP, code, *args], capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="small,v50k,large,v400k")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--commands", default="validate,assign,commission")
    args = ap.parse_args()
    rows = []
    for name in args.sizes.split(","):
        book = ensure(name)
        mb = book.stat().st_size / 1e6
        bare = [measure(BARE_READ, str(book)) for _ in range(args.repeat)]
        bare_s = statistics.median(b["s"] for b in bare)
        rows.append((name, f"{mb:.1f} MB", "fastexcel read", bare_s, max(b["rss_mb"] for b in bare), 1.0))
        for cmd in args.commands.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                out = str(Path(tmp) / "out.xlsx")
                runs = [measure(COMMAND, cmd, str(book), out, TODAY.isoformat()) for _ in range(args.repeat)]
            s = statistics.median(r["s"] for r in runs)
            rows.append((name, "", cmd, s, max(r["rss_mb"] for r in runs), s / bare_s))
        for r in rows[-(1 + len(args.commands.split(","))):]:
            print(f"{r[0]:>7} {r[1]:>9} {r[2]:<15} {r[3]:7.2f} s  peak {r[4]:6.0f} MB  ratio {r[5]:4.2f}",
                  flush=True)
    print("\nmedian of", args.repeat, "runs; ratio = command time / bare fastexcel read of the same file")


if __name__ == "__main__":
    main()
