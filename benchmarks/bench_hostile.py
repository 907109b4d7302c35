"""Time and peak memory of `salesbook validate` on each hostile file (tests/hostile_files.py).

    python benchmarks/bench_hostile.py [--repeat 3]

Each run is a fresh process (peak RSS is its own). Reported: exit code, wall time of the
whole command (imports included) and the time of the package check alone, peak RSS.
Issue target: each file refused with exit 2 in < 1 s and < 300 MB.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

RUN = """
import json, resource, sys, time
t = time.perf_counter()
from salesbook.cli import main
code = 0
try:
    main(["validate", sys.argv[1]])
except SystemExit as e:
    code = e.code
wall = time.perf_counter() - t
from salesbook.xlsx import safety
safety._check.cache_clear()
t = time.perf_counter()
try:
    safety.check_package(sys.argv[1])
except Exception:
    pass
check = time.perf_counter() - t
print(json.dumps({"code": code, "s": wall, "check_s": check,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    from hostile_files import build_all

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = build_all(Path(tmp))
        print(f"{'file':34} {'exit':>4} {'wall s':>7} {'check ms':>9} {'peak MB':>8}")
        for label, path in files.items():
            runs = []
            for _ in range(a.repeat):
                out = subprocess.run([sys.executable, "-c", RUN, str(path)], capture_output=True, text=True)
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            med = lambda k: statistics.median(r[k] for r in runs)
            print(f"{label:34} {runs[0]['code']:>4} {med('s'):7.2f} {med('check_s') * 1000:9.1f} {med('rss_mb'):8.0f}")


if __name__ == "__main__":
    main()
