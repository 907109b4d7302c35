"""The zip writer over real-world workbooks nobody on this project wrote (../shared/xlsx-corpus/).

One function per file, `check_file`, returns a plain dict (it runs in worker processes):
what the independent readers made of the original, whether the writer refused it (and
why) or wrote it, and every problem found in what it wrote. tests/test_xlsx_corpus.py
runs it over the corpus on both cores; run this module directly for the full report
(LibreOffice on every file: `python tests/xlsx_corpus.py --lo-all`).

The checks are independent of the writer's code: zip members are compared raw, XML is
parsed with expat, and relationships/content types are read with ElementTree.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
import warnings
import xml.etree.ElementTree as ET
import xml.parsers.expat
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def corpus_dir() -> Path | None:
    """../shared/xlsx-corpus beside the repository (or its checkout's parent), else /work/shared."""
    for cand in (Path(__file__).resolve().parents[2] / "shared" / "xlsx-corpus",
                 Path(__file__).resolve().parents[3] / "shared" / "xlsx-corpus",
                 Path("/work/shared/xlsx-corpus")):
        if cand.is_dir():
            return cand
    return None


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm") and p.is_file())


NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

ISSUES_NAME, PAYROLL_NAME = "校验结果", "业绩提成"
FULL = os.environ.get("SALESBOOK_CORPUS_FULL") == "1"   # every check on every file, however slow
SLOW_OPENPYXL = 5.0


def result_frames(n: int = 1000) -> dict[str, pd.DataFrame]:
    """Two result sheets: Chinese text, formula-looking strings, numbers, dates; 1,000 and 50 rows."""
    i = np.arange(n)
    tricky = np.array(["=SUM(A1:A9)", "+86 138 0000 0000", "-5", "@备注", "带 & < > \" ' 符号", " 前后空格 ",
                       "第一行\n第二行", "普通的中文说明"], dtype=object)
    issues = pd.DataFrame({
        "级别": np.where(i % 3 == 0, "错误", "警告"),
        "工作表": "拜访",
        "行号": i + 2,
        "列": "金额",
        "值": tricky[i % len(tricky)],
        "问题": [f"第 {k} 行的金额不是数字, 请检查" for k in i],
        "建议": "改成数字",
    })
    m = 50
    j = np.arange(m)
    payroll = pd.DataFrame({
        "月份": "2026-03",
        "工号": [f"S{k:03d}" for k in j],
        "姓名": [f"员工{k}" for k in j],
        "签约业绩": j * 1234.5,
        "达成率": j / 40,
        "提成": (j * 77.25).round(2),
        "入职日期": pd.Timestamp("2020-01-01") + pd.to_timedelta(j * 17, "D"),
        "备注": np.where(j % 2 == 0, "=1+1", "说明文字"),
    })
    return {ISSUES_NAME: issues, PAYROLL_NAME: payroll}


# --- independent readers of a zip ---------------------------------------------------

def raw_members(path: Path) -> dict[str, tuple]:
    """name -> (method, CRC, size, compressed bytes as stored)."""
    out = {}
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        for i in z.infolist():
            f.seek(i.header_offset)
            head = f.read(30)
            n, m = struct.unpack("<2H", head[26:30])
            f.seek(i.header_offset + 30 + n + m)
            out[i.filename] = (i.compress_type, i.CRC, i.file_size, f.read(i.compress_size))
    return out


def read_member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def well_formed(data: bytes) -> str | None:
    """None if the XML parses with its namespaces resolved (an unbound prefix is an error)."""
    try:
        ET.fromstring(data)
    except ET.ParseError as exc:
        return str(exc)
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def rels_of(z: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, resolved target) of a part's relationships (package root: part == "")."""
    folder, base = (str(PurePosixPath(part).parent), PurePosixPath(part).name) if part else ("", "")
    name = f"{folder}/_rels/{base}.rels" if part and folder != "." else (f"_rels/{base}.rels" if part else "_rels/.rels")
    try:
        root = ET.fromstring(z.read(name))
    except (KeyError, ET.ParseError):
        return []
    out = []
    for r in root:
        if _local(r.tag) != "Relationship" or r.get("TargetMode") == "External":
            continue
        t = r.get("Target", "")
        if t.startswith("/"):
            target = t[1:]
        else:
            base_dir = str(PurePosixPath(part).parent) if part else ""
            target = os.path.normpath(os.path.join(base_dir if base_dir != "." else "", t)).replace("\\", "/")
        out.append((r.get("Id"), r.get("Type", ""), target))
    return out


def content_types(z: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    root = ET.fromstring(z.read("[Content_Types].xml"))
    defaults, overrides = {}, {}
    for el in root:
        if _local(el.tag) == "Default":
            defaults[el.get("Extension", "").lower()] = el.get("ContentType")
        elif _local(el.tag) == "Override":
            overrides[el.get("PartName", "").lstrip("/").lower()] = el.get("ContentType")
    return defaults, overrides


def content_type_of(z: zipfile.ZipFile, part: str) -> str | None:
    defaults, overrides = content_types(z)
    return overrides.get(part.lower()) or defaults.get(PurePosixPath(part).suffix[1:].lower())


def workbook_part(z: zipfile.ZipFile) -> str | None:
    for _, t, target in rels_of(z, ""):
        if t.endswith("/officeDocument"):
            return target
    return None


def sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part) of the workbook's worksheets, in order."""
    wb = workbook_part(z)
    rels = {rid: target for rid, t, target in rels_of(z, wb) if t == RT + "worksheet"}
    root = ET.fromstring(z.read(wb))
    out = []
    for el in root.iter(f"{{{NS_MAIN}}}sheet"):
        rid = el.get(f"{{{RT[:-1]}}}id")
        if rid in rels:
            out.append((el.get("name"), rels[rid]))
    return out


def _count_items(coll) -> int:
    """Entries of a styles collection: an mc:AlternateContent counts as one."""
    return sum(1 for c in coll if _local(c.tag) in ("xf", "dxf", "AlternateContent"))


def style_counts(z: zipfile.ZipFile) -> tuple[int, int]:
    wb = workbook_part(z)
    part = next((t for _, ty, t in rels_of(z, wb) if ty == RT + "styles"), None)
    if part is None:
        return 0, 0
    root = ET.fromstring(z.read(part))
    xfs = root.find(f"{{{NS_MAIN}}}cellXfs")
    dxfs = root.find(f"{{{NS_MAIN}}}dxfs")
    return (_count_items(xfs) if xfs is not None else 0), (_count_items(dxfs) if dxfs is not None else 0)


def style_index_problems(data: bytes, n_xfs: int, n_dxfs: int) -> list[str]:
    """Cell `s` beyond cellXfs or a cfRule dxfId beyond dxfs in one worksheet part."""
    problems = []
    bad_s, bad_dxf = set(), set()

    def index(attrs, key):
        v = attrs.get(key, "")
        return int(v) if v.isdigit() else -1   # "" (seen in the wild) means the default

    def start(name, attrs):
        local = name.rsplit(":", 1)[-1]
        if local == "c" and index(attrs, "s") >= max(n_xfs, 1):
            bad_s.add(attrs["s"])
        elif local == "row" and attrs.get("customFormat") in ("1", "true") and index(attrs, "s") >= max(n_xfs, 1):
            bad_s.add(attrs["s"])
        elif local == "cfRule" and index(attrs, "dxfId") >= n_dxfs:
            bad_dxf.add(attrs["dxfId"])

    p = xml.parsers.expat.ParserCreate()
    p.StartElementHandler = start
    p.Parse(data, True)
    if bad_s:
        problems.append(f"cell style index beyond cellXfs ({n_xfs}): {sorted(bad_s)[:5]}")
    if bad_dxf:
        problems.append(f"dxfId beyond dxfs ({n_dxfs}): {sorted(bad_dxf)[:5]}")
    return problems


# --- readers that must open what they opened before -------------------------------------

def load_openpyxl(path: Path):
    """(workbook, None) if openpyxl loads the file, else (None, what went wrong)."""
    import openpyxl
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path), None
    except Exception as exc:  # noqa: BLE001 - any failure is "does not open"
        return None, f"{type(exc).__name__}: {exc}"[:200]


def opens_openpyxl(path: Path) -> str | None:
    return load_openpyxl(path)[1]


_FX_SERVER = r"""
import sys, fastexcel
for line in sys.stdin:
    try:
        fx = fastexcel.read_excel(line.rstrip("\n"))
        for name in fx.sheet_names:
            fx.load_sheet(name, dtypes="string")
        out = "OK"
    except Exception as exc:
        out = (type(exc).__name__ + ": " + str(exc)).replace("\n", " ")[:200]
    print(out, flush=True)
"""
_fx: list = []   # the probe process of this worker, started on first use


def opens_fastexcel(path: Path, timeout: float = 40) -> str | None:
    """fastexcel reads every sheet, in a helper process: some files make it spin for minutes
    (a 16,384-column row), and a stuck call cannot be interrupted in-process."""
    import select
    if not _fx or _fx[0].poll() is not None:
        _fx[:] = [subprocess.Popen([sys.executable, "-c", _FX_SERVER], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True, bufsize=1)]
    proc = _fx[0]
    proc.stdin.write(f"{path}\n")
    proc.stdin.flush()
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        proc.kill()
        proc.wait()
        _fx.clear()
        return f"timeout after {timeout:.0f} s"
    line = proc.stdout.readline().rstrip("\n")
    return None if line == "OK" else (line or "probe died")


def opens_libreoffice(path: Path, workdir: Path) -> str | None:
    """LibreOffice converts the file to .xlsx (own throwaway profile); None if it did."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise AssertionError("LibreOffice (soffice) is not installed")
    out = workdir / f"lo-{uuid.uuid4().hex[:8]}"
    out.mkdir()
    profile = Path(tempfile.gettempdir()) / f"lo-{uuid.uuid4().hex}"
    try:
        proc = subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv",
                               "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=240)
    except subprocess.TimeoutExpired:
        return "timeout"
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    made = list(out.iterdir())
    shutil.rmtree(out, ignore_errors=True)
    if not made:
        return f"no output (rc {proc.returncode}): {proc.stderr.strip()[:200]}"
    return None


# --- the check of one file -------------------------------------------------------------

REFUSAL_REASONS = (("受保护", "protected"), ("密码", "encrypted"), ("Strict", "strict"), ("已损坏", "damaged"),
                   ("不是标准的 .xlsx", "non-standard format"), ("拒绝读取", "hostile"),
                   ("不是 Excel 工作簿", "not a workbook"))


def refusal_reason(zh: str) -> str:
    return next((reason for word, reason in REFUSAL_REASONS if word in zh), "other")


def _touched_allowed(z: zipfile.ZipFile, sheets: dict[str, str], marked: str | None) -> set[str]:
    """Members the writer may rewrite or drop: the shared parts, replaced sheets and what
    only they referenced, the marked sheet with its rels/comments/notes."""
    wb = workbook_part(z)
    allowed = {"[Content_Types].xml", wb, _rels_name(wb), "docProps/app.xml"}
    allowed |= {t for _, ty, t in rels_of(z, wb) if ty in (RT + "styles", RT + "calcChain")}
    for name in (ISSUES_NAME, PAYROLL_NAME):
        part = sheets.get(name.lower())
        if part:
            allowed |= {part, _rels_name(part)}
            todo = [t for _, _, t in rels_of(z, part)]
            while todo:   # parts reachable from a replaced sheet may be dropped
                p = todo.pop()
                if p not in allowed:
                    allowed.add(p)
                    allowed.add(_rels_name(p))
                    todo.extend(t for _, _, t in rels_of(z, p))
    if marked:
        allowed |= {marked, _rels_name(marked)}
        allowed |= {t for _, ty, t in rels_of(z, marked) if ty in (RT + "comments", RT + "vmlDrawing")}
    return allowed


def _rels_name(part: str) -> str:
    p = PurePosixPath(part)
    folder = str(p.parent)
    return f"{folder}/_rels/{p.name}.rels" if folder not in ("", ".") else f"_rels/{p.name}.rels"


def highlights_for(first_sheet: str):
    from salesbook.findings import ERROR, WARNING
    from salesbook.outcome import Highlight
    return [Highlight(first_sheet, 2, 1, ERROR, "金额不是数字\n请改成数字"),
            Highlight(first_sheet, 3, 2, WARNING, "工号不存在"),
            Highlight(first_sheet, 5, 3, ERROR, "日期不对"),
            Highlight(first_sheet, 40, 7, WARNING, "重复的客户"),
            Highlight(first_sheet, 1000, 26, ERROR, "远处的单元格")]


def check_file(path: str, workdir: str, libreoffice: bool = False) -> dict:
    """Everything the corpus test asserts, for one file, as data (see the module docstring)."""
    src = Path(path)
    work = Path(workdir) / uuid.uuid4().hex[:10]
    work.mkdir(parents=True)
    res: dict = {"file": path, "status": None, "problems": []}
    t0 = time.perf_counter()
    try:
        _check(src, work, res, libreoffice)
    except Exception:  # noqa: BLE001 - a bug in the check itself is reported, not hidden
        res["status"] = "check-error"
        res["problems"].append(traceback.format_exc()[-1500:])
    finally:
        shutil.rmtree(work, ignore_errors=True)
        res["seconds"] = round(time.perf_counter() - t0, 2)
    return res


def _check(src: Path, work: Path, res: dict, libreoffice: bool) -> None:
    from salesbook.errors import WorkbookError
    from salesbook.xlsx import write_outcome

    problems = res["problems"]
    book = work / ("book" + src.suffix.lower())
    shutil.copyfile(src, book)
    original = book.read_bytes()
    t = time.perf_counter()
    res["before"] = {"openpyxl": opens_openpyxl(book)}
    # openpyxl takes up to a minute on a few files (100,000s of merged cells); in the quick
    # run those outputs are checked by the other readers only
    res["openpyxl_slow"] = time.perf_counter() - t > SLOW_OPENPYXL and not FULL
    res["before"]["fastexcel"] = opens_fastexcel(book)
    if libreoffice:
        res["before"]["libreoffice"] = opens_libreoffice(book, work)
    first = None
    try:
        with zipfile.ZipFile(book) as z:
            names = sheet_parts(z)
            first = names[0][0] if names else None
    except Exception:  # noqa: BLE001 - the writer's verdict matters, not the checker's
        pass
    frames = result_frames()
    hl = highlights_for(first) if first else []
    try:
        write_outcome(book, frames, hl, out=work / ("out" + src.suffix.lower()))
    except WorkbookError as exc:
        res["status"] = "refused"
        res["reason"] = refusal_reason(exc.zh)
        res["message"] = exc.zh
        if book.read_bytes() != original:
            problems.append("refusal changed the input")
        if _strays(work):
            problems.append(f"temp files left: {_strays(work)}")
        return
    except Exception as exc:  # noqa: BLE001
        res["status"] = "crash"
        res["problems"].append(f"{type(exc).__name__}: {exc}"[:300])
        res["traceback"] = traceback.format_exc()[-2000:]
        return
    res["status"] = "written"
    out = work / ("out" + src.suffix.lower())
    if book.read_bytes() != original:
        problems.append("--out changed the input")
    _check_output(book, out, first, res, problems)
    # second run on the output: identical bytes
    again = work / ("again" + src.suffix.lower())
    write_outcome(out, frames, hl, out=again)
    if again.read_bytes() != out.read_bytes():
        problems.append("second run gives different bytes")
        _check_output(book, again, first, res, problems, tag="second run: ")
    # clearing the marks returns the marked sheet part to its original content
    cleared = work / ("cleared" + src.suffix.lower())
    write_outcome(again, {}, [], out=cleared)
    if first:
        with zipfile.ZipFile(book) as z:
            part = dict((n.lower(), p) for n, p in sheet_parts(z)).get(first.lower())
            before_part = z.read(part)
        after_part = read_member(cleared, part)
        if after_part != before_part:
            problems.append(f"clearing did not restore {part}")
    # the cleared file: sound XML (namespaces resolved) and fastexcel still reads it
    raw_again, raw_cleared = raw_members(again), raw_members(cleared)
    with zipfile.ZipFile(cleared) as z:
        for name, raw in raw_cleared.items():
            if raw_again.get(name) != raw and name.lower().endswith((".xml", ".rels")):
                err = well_formed(z.read(name))
                if err:
                    problems.append(f"clearing: malformed {name}: {err}")
    if res["before"]["fastexcel"] is None and opens_fastexcel(cleared) is not None:
        problems.append(f"fastexcel cannot open the cleared file: {opens_fastexcel(cleared)}")
    if _strays(work):
        problems.append(f"temp files left: {_strays(work)}")


def _strays(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "salesbook-tmp" in p.name or p.name.endswith(".tmp"))


def _check_output(book: Path, out: Path, first: str | None, res: dict, problems: list, tag: str = "") -> None:
    before, after = raw_members(book), raw_members(out)
    with zipfile.ZipFile(book) as zb:
        sheets_before = {n.lower(): p for n, p in sheet_parts(zb)}
        marked = sheets_before.get(first.lower()) if first else None
        allowed = _touched_allowed(zb, sheets_before, marked)
    for name, raw in before.items():
        if name in allowed:
            continue
        if name not in after:
            problems.append(f"{tag}member dropped: {name}")
        elif after[name] != raw:
            problems.append(f"{tag}member changed: {name}")
    with zipfile.ZipFile(out) as z:
        changed = [n for n in after if n not in before or after[n] != before[n]]
        for name in changed:
            if name.lower().endswith((".xml", ".rels")) or name == "[Content_Types].xml":
                err = well_formed(z.read(name))
                if err:
                    problems.append(f"{tag}malformed {name}: {err}")
        for name in after:
            if name not in before and content_type_of(z, name) is None:
                problems.append(f"{tag}no content type for new part {name}")
        try:
            n_xfs, n_dxfs = style_counts(z)
            sheets_after = sheet_parts(z)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{tag}cannot read styles/sheets of the output: {exc}")
            return
        for name, part in sheets_after:
            if part in changed and well_formed(z.read(part)) is None:
                problems.extend(tag + p + f" in {part}" for p in style_index_problems(z.read(part), n_xfs, n_dxfs))
            if content_type_of(z, part) != "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml" \
                    and part in changed:
                problems.append(f"{tag}sheet {part} has content type {content_type_of(z, part)}")
        names = [n for n, _ in sheets_after]
        for want in (ISSUES_NAME, PAYROLL_NAME):
            if sum(n.lower() == want.lower() for n in names) != 1:
                problems.append(f"{tag}sheet {want} not exactly once in {names}")
    wb = None
    if res["before"]["openpyxl"] is None and not res["openpyxl_slow"]:
        wb, err = load_openpyxl(out)
        if err is not None:
            problems.append(f"{tag}openpyxl opened the original but not the output: {err}")
    if res["before"]["fastexcel"] is None:
        err = opens_fastexcel(out)
        if err is not None:
            problems.append(f"{tag}fastexcel opened the original but not the output: {err}")
    if not tag:
        problems.extend(_values_problems(out, res, wb))
        if res["before"].get("libreoffice", "skip") is None:
            err = opens_libreoffice(out, out.parent)
            if err is not None:
                problems.append(f"LibreOffice opened the original but not the output: {err}")


def _values_problems(out: Path, res: dict, wb) -> list[str]:
    """The new sheets read back with the same values; text stays text (never a formula)."""
    problems = []
    frames = result_frames()
    if res["before"]["fastexcel"] is None:
        import fastexcel
        fx = fastexcel.read_excel(str(out))
        for name, df in frames.items():
            back = fx.load_sheet(name, dtypes="string").to_pandas()
            if list(back.columns) != list(df.columns) or len(back) != len(df):
                problems.append(f"{name}: shape {back.shape} != {df.shape}")
                continue
            for col in ("值", "问题", "备注", "姓名"):
                if col in df and back[col].tolist() != df[col].tolist():
                    problems.append(f"{name}.{col} differs after the round trip")
    if wb is not None:
        ws = wb[ISSUES_NAME]
        vals = [ws.cell(r, 5).value for r in range(2, 10)]
        if vals != frames[ISSUES_NAME]["值"].tolist()[:8]:
            problems.append(f"openpyxl reads {vals!r} in 值")
        if any(ws.cell(r, 5).data_type != "s" for r in range(2, 10)):
            problems.append("a formula-looking text is not a text cell")
        ws = wb[PAYROLL_NAME]
        if ws.cell(3, 4).value != frames[PAYROLL_NAME]["签约业绩"][1]:
            problems.append("number differs")
        if ws.cell(2, 7).value != dt.datetime(2020, 1, 1):
            problems.append(f"date differs: {ws.cell(2, 7).value!r}")
    return problems


def run(files: list[Path], workdir: Path, lo_sample: set[Path], workers: int = 2) -> list[dict]:
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp

    ctx = mp.get_context("spawn")   # no inherited threads/state from the parent (fastexcel)
    order = sorted(files, key=lambda f: -f.stat().st_size)   # big ones first: the two workers end together
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        futs = {f: pool.submit(check_file, str(f), str(workdir), f in lo_sample) for f in order}
        return [futs[f].result() for f in files]


def summary(results: list[dict]) -> dict:
    from collections import Counter
    out = {"files": len(results), "status": Counter(r["status"] for r in results),
           "refused": Counter(r.get("reason") for r in results if r["status"] == "refused"),
           "with problems": sum(bool(r["problems"]) for r in results)}
    for reader in ("openpyxl", "fastexcel", "libreoffice"):
        out[f"{reader} opened before"] = sum(r.get("before", {}).get(reader, "x") is None for r in results)
        out[f"{reader} failed after"] = sum(any(p.startswith(reader) or f"{reader} opened" in p or
                                                (reader == "libreoffice" and p.startswith("LibreOffice"))
                                                for p in r["problems"]) for r in results)
    return out


if __name__ == "__main__":
    import argparse
    import json
    import random

    ap = argparse.ArgumentParser()
    ap.add_argument("--lo-all", action="store_true", help="LibreOffice on every file (slow; all checks)")
    ap.add_argument("--lo-sample", type=int, default=0)
    ap.add_argument("--json", type=Path)
    ap.add_argument("files", nargs="*", type=Path)
    a = ap.parse_args()
    if a.lo_all:
        FULL = True
        os.environ["SALESBOOK_CORPUS_FULL"] = "1"   # for the worker processes
    folder = corpus_dir()
    files = a.files or corpus_files(folder)
    lo = set(files) if a.lo_all else set(random.Random(1).sample(files, min(a.lo_sample, len(files))))
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        results = run(files, Path(tmp), lo)
    print(json.dumps(summary(results), ensure_ascii=False, indent=1, default=dict))
    for r in results:
        if r["problems"] or r["status"] in ("crash", "check-error"):
            print(r["status"], r["file"], r.get("reason", ""), r["problems"][:4])
    for r in results:
        if r["status"] == "refused":
            print("REFUSED", r["reason"], r["file"], "|", r["message"][:80])
    print(f"{time.perf_counter() - t0:.0f} s")
    if a.json:
        a.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
