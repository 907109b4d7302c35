"""The writer's shortcuts change what it reads and how fast it deflates, never what it writes.

    python benchmarks/compare_outputs.py [--size large]

For each command's outcome on a benchmark workbook, a first run and a re-run are written
twice: with the shortcuts (the record of written marks, not reading sheets that cannot
carry a mark, big parts deflated in blocks on two threads) and without them (every sheet
read, one deflate stream). Every member's inflated bytes must be identical; the script
prints the members that differ (none) and both timings.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_commands import TODAY, ensure  # noqa: E402


def slow_paths():
    """Undo the shortcuts (for the comparison only)."""
    from salesbook.xlsx import highlights, record, zipio

    record.load = lambda pkg: {}
    highlights._styles_may_have_our_fills = lambda pkg, styles: True
    zipio._deflate_blocks = lambda chunks, write: _one_stream(chunks, write)


def _one_stream(chunks, write):
    import zlib
    from salesbook.xlsx import zipio
    comp = zlib.compressobj(zipio.LEVEL_BIG, zlib.DEFLATED, -15)
    crc = usize = csize = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        usize += len(chunk)
        out = comp.compress(chunk)
        csize += len(out)
        write(out)
    out = comp.flush()
    write(out)
    return crc, usize, csize + len(out)


def contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def main() -> None:
    from salesbook import api
    from salesbook.xlsx import write_outcome

    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="large")
    a = ap.parse_args()
    book = ensure(a.size)
    outcomes = {c: getattr(api, c)(book, today=TODAY) for c in ("validate", "assign", "commission")}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        timings = {}
        for mode in ("fast", "slow"):
            if mode == "slow":
                slow_paths()
            for cmd, o in outcomes.items():
                one, two = tmp / f"{mode}-{cmd}-1.xlsx", tmp / f"{mode}-{cmd}-2.xlsx"
                t = time.perf_counter()
                write_outcome(book, o.sheets, o.highlights, out=one)
                t1 = time.perf_counter()
                write_outcome(one, o.sheets, o.highlights, out=two)
                timings[mode, cmd] = (t1 - t, time.perf_counter() - t1)
        bad = 0
        for cmd in outcomes:
            for run in (1, 2):
                f, s = contents(tmp / f"fast-{cmd}-{run}.xlsx"), contents(tmp / f"slow-{cmd}-{run}.xlsx")
                diff = sorted(n for n in set(f) | set(s) if f.get(n) != s.get(n))
                bad += len(diff)
                print(f"{cmd:<11} run {run}: {len(f)} members, {'identical' if not diff else 'DIFFER: ' + ', '.join(diff)}"
                      f"   write {timings['fast', cmd][run - 1]:.2f} s with shortcuts, "
                      f"{timings['slow', cmd][run - 1]:.2f} s without")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
