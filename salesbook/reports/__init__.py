"""Reports from templates: 日报 / 周报 / 月报 / 工资条 as HTML + XLSX + PDF (+ NAME.json).

    from salesbook.reports import generate, default_out_dir
    manifest = generate(Path("台账.xlsx"), "weekly", None)        # last complete ISO week
    manifest = generate(book, "statement", "2026-10", person="S001", formats=("pdf",))

The workbook is only read. Each report is built in two steps: a pure context builder
(`context.*`: tables + ownership + pay → a JSON-serialisable dict, written beside the
report as NAME.json) and the renderers (`render.*`). The folder's manifest.json lists
every report with its default recipients for the e-mail step. Figures are defined once in
`figures` (the month close reuses them).
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Callable, Iterator

from ..domain.calendar import Day, Month, Week, last_complete_week, last_full_month
from ..errors import UsageError, WorkbookError

KINDS = ("daily", "weekly", "monthly", "statement")
FOLDER_SUFFIX = "-报表"
CHUNK = 4           # reports per render task: small, so two processes stay evenly busy
FILE_KEYS = ("json", "html", "xlsx", "pdf")   # the order of a report's files in manifest.json


def default_out_dir(book: Path, period_label: str) -> Path:
    """<workbook folder>/<workbook name>-报表/<period>/"""
    book = Path(book)
    return book.resolve().parent / f"{book.stem}{FOLDER_SUFFIX}" / period_label


def parse_period(kind: str, period: str | None, today: dt.date):
    if kind == "daily":
        return Day.parse(period) if period else Day(today)
    if kind == "weekly":
        return Week.parse(period) if period else last_complete_week(today)
    return Month.parse(period) if period else last_full_month(today)


def generate(book: Path, kind: str, period: str | None, *, out: Path | None = None,
             formats=("html", "xlsx", "pdf"), lang: str = "zh", today: dt.date | None = None,
             person: str | None = None, progress: Callable[[int, int], None] | None = None,
             run=None) -> Path:
    """Write the reports of `kind` for `period` (None = the kind's default period) and
    return the path of manifest.json. progress(done, total) is called as reports finish.
    run: an api.Run of this workbook already prepared (so the file is read and validated
    once for several reports)."""
    manifests, _ = generate_many(book, [(kind, period)], out=out, formats=formats, lang=lang, today=today,
                                 person=person, progress=progress, run=run)
    return manifests[0]


def generate_many(book: Path, requests: list[tuple[str, str | None]], *, out: Path | None = None,
                  formats=("html", "xlsx", "pdf"), lang: str = "zh", today: dt.date | None = None,
                  person: str | None = None, progress: Callable[[int, int], None] | None = None,
                  run=None, meanwhile: Callable[[], object] | None = None) -> tuple[list[Path], object]:
    """Several (kind, period) requests in one go: one read of the file, and one pool of
    render processes (started before the file is read) that renders each report as soon as
    its context is built. meanwhile(), if given, runs in this process while the last
    reports render (the month close locks and writes then). Returns (the manifest of each
    request, what meanwhile returned). progress(done, total): total grows as contexts are
    built."""
    from .. import api
    from . import manifest as MF
    from .render import templating

    today = today or dt.date.today()
    formats = _formats(formats)
    periods = [_check(kind, period, today, person) for kind, period in requests]
    book = Path(book)
    company = templating.company_dir(book)
    company = company if company.is_dir() else None
    lone = len(requests) == 1 and (requests[0][0] == "monthly" or person is not None)
    renderer = _Renderer(formats, company, progress, lone=lone)
    try:
        if run is None:
            kind, p = requests[0][0], periods[0]
            run = api.prepare(book, today=today, month=p.label if kind in ("monthly", "statement") else None)
        built = []
        for (kind, _), p in zip(requests, periods):
            folder = Path(out) if out is not None else default_out_dir(book, p.label)
            folder.mkdir(parents=True, exist_ok=True)
            batch, metas = renderer.open(folder), []
            for ctx, stem, meta in _jobs(run, kind, p, person=person, lang=lang, today=today):
                renderer.add(batch, ctx, stem)
                metas.append(meta)
            renderer.finish(batch)
            built.append((metas, folder, batch))
        extra = meanwhile() if meanwhile else None
        manifests = []
        for metas, folder, batch in built:
            entries = [{**meta, "files": {k: f[k] for k in FILE_KEYS if k in f}, "images": f["images"]}
                       for meta, f in zip(metas, renderer.result(batch))]
            manifests.append(MF.write(folder, entries))
    finally:
        renderer.close()
    return manifests, extra


def _check(kind: str, period: str | None, today: dt.date, person: str | None):
    if kind not in KINDS:
        raise UsageError(f"报表类型「{kind}」不对: 只能是 {'/'.join(KINDS)}",
                         f"Unknown report kind '{kind}': use one of {', '.join(KINDS)}")
    p = parse_period(kind, period, today)
    if p.first > today:
        raise UsageError(f"{p.label} 还没有开始(今天是 {today}), 无法出报表",
                         f"{p.label} has not started yet (today is {today})")
    if person is not None and kind in ("weekly", "monthly"):
        raise UsageError("周报和月报是小组/部门的报表, 不能指定 --person",
                         "Weekly and monthly reports are for teams/the department: --person does not apply")
    return p


def _formats(formats) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    bad = [f for f in formats if f not in ("html", "xlsx", "pdf")]
    if bad or not formats:
        raise UsageError(f"格式「{','.join(bad) or '(空)'}」不对: 可选 html、xlsx、pdf, 用逗号分隔",
                         f"Unknown format '{','.join(bad)}': choose from html, xlsx, pdf (comma separated)")
    return tuple(f for f in ("html", "xlsx", "pdf") if f in formats)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(text: str) -> str:
    """A piece of a file name that every OS accepts."""
    return _UNSAFE.sub("_", text).strip(" .")[:80] or "_"


def _stem(kind: str, period, key: str | None, name: str, lang: str) -> str:
    word = {"daily": ("日报", "daily"), "weekly": ("周报", "weekly"), "monthly": ("月报", "monthly"),
            "statement": ("工资条", "statement")}[kind][lang == "en"]
    parts = [word, period.label]
    if kind in ("daily", "statement"):
        parts += [key] + ([name] if name and lang != "en" else [])
    elif kind == "weekly":
        parts += [("部门", "department")[lang == "en"]] if key is None else [("小组", "team")[lang == "en"], key]
    return safe_name("-".join(parts))


def _jobs(run, kind, p, *, person, lang, today) -> Iterator[tuple[dict, str, dict]]:
    """(context, file stem, manifest entry without files) for every report of the run, one
    at a time (each renders while the next is built)."""
    from .. import api, ownership
    from . import context as X
    from . import figures as F
    from .recipients import Directory

    tables, settings = run.tables, run.settings
    directory = Directory(tables["staff"])
    staff_ids = set(directory.order)

    def job(ctx, recipients, cc=()):
        meta = {"kind": kind, "period": p.label, "scope": ctx["scope"], "key": ctx["key"], "title": ctx["title"],
                "recipients": recipients, "cc": list(cc)}
        name = ctx.get("person", {}).get("name", "")
        return ctx, _stem(kind, p, ctx["key"], name, lang), meta

    if kind == "daily":
        if person is not None and person not in staff_ids:
            raise _unknown_person(person)
        own = ownership.compute(tables, settings, p.date)
        shared = {"windowed": F.window(tables, p.first, p.next().last),
                  "lookups": X.common.lookups(tables, masked=False)}
        for sid in [person] if person else X.daily.active_people(shared["windowed"], p):
            yield job(X.daily.build(tables, settings, p, sid, ownership=own, lang=lang, today=today, **shared),
                directory.daily(sid))
    elif kind == "weekly":
        windowed = F.window(tables, p.prev().first, p.next().last)
        shared = {"windowed": windowed, "lookups": X.common.lookups(tables),
                  "per_person": X.weekly.by_person(windowed, p)}
        yield job(X.weekly.build(tables, settings, p, lang=lang, today=today, **shared),
            directory.department(), settings.report_cc)
        for team in X.weekly.teams(tables["staff"]):
            yield job(X.weekly.build(tables, settings, p, team=team, lang=lang, today=today, **shared),
                directory.team_weekly(team))
    else:
        res = api.month_results(run, p.label)
        if kind == "monthly":
            findings = list(run.findings) + list(res.findings) + list(res.pay.findings)
            yield job(X.monthly.build(tables, settings, p, ownership=res.ownership, pay=res.pay, findings=findings,
                                lang=lang, today=today), directory.department(), settings.report_cc)
        else:
            paid = [s for s in res.pay.payroll["staff_id"].tolist()]
            if person is not None and person not in paid:
                raise _unknown_person(person, p.label)
            shared = X.statement.Shared(tables, res.pay)
            for sid in [person] if person else paid:
                yield job(X.statement.build(tables, settings, p, sid, pay=res.pay, lang=lang, today=today, shared=shared),
                    directory.statement(sid))


def _unknown_person(sid: str, month: str | None = None) -> WorkbookError:
    if month:
        return UsageError(f"工号「{sid}」不在 {month} 的工资表(业绩提成)里: 请检查工号, 或该人当月是否在职",
                          f"Staff ID '{sid}' is not on the {month} payroll: check the ID and their employment dates")
    return UsageError(f"「人员」表里没有工号「{sid}」, 请检查", f"No staff ID '{sid}' in the Staff sheet")


class _Renderer:
    """Renders reports into folders as their contexts come. On one core, in this process.
    Otherwise in a pool of processes started at once (with fork, from the still small
    process; each warms its imports at low priority while the workbook is read). Contexts
    are grouped into parts of CHUNK reports as they are built; each free process takes one
    part (_pump), and the parts still held when a request's last context is built are
    split to one report each (finish), so the processes finish together. A run of a single
    report (the monthly, one person's daily or statement) has one render process, which
    draws the charts, HTML and PDF while this process writes the XLSX and JSON. Every PDF
    of a part embeds a cut of the font to the characters seen so far (the templates' and
    the contexts'): cuts are cached per character set."""

    def __init__(self, formats, company: Path | None, progress, *, lone: bool = False):
        from collections import deque

        self.progress = progress
        self.args = (tuple(formats), str(company) if company else None)   # (formats, company) as render_batch takes them
        self.done = self.total = 0
        self.chars = _template_chars(company) if "pdf" in formats else None
        self.english = False
        cpus = os.cpu_count() or 1
        # one report: one render process (its XLSX renders here), so one fewer warms up
        # beside the read
        self.workers = 1 if lone else min(cpus, 8)
        self.pool = self._pool(self.workers) if cpus >= 2 else None
        self.held: deque[_Part] = deque()    # parts waiting for a free render process
        self.flying: set = set()             # tasks given to the processes, not finished
        self.parts: list[_Part] = []         # every part sent, for the progress

    def _tell(self, n: int = 0) -> None:
        self.done += n
        if self.progress:
            self.progress(self.done, self.total)

    def open(self, folder: Path) -> "_Batch":
        return _Batch(str(folder))

    def add(self, batch: "_Batch", ctx: dict, stem: str) -> None:
        batch.waiting.append((ctx, stem))
        self.total += 1
        self._tell()
        if len(batch.waiting) >= CHUNK:
            self._send(batch)
        self._pump()

    def _seen(self, work: list[tuple[dict, str]]) -> frozenset | None:
        """Every character the PDFs so far may draw (None: no PDFs)."""
        if self.chars is None:
            return None
        from .render import fonts
        from .render.words import EN

        for ctx, _ in work:
            if ctx["lang"] == "en" and not self.english:
                self.chars |= fonts.chars_of(list(EN.values()))
                self.english = True
            self.chars |= fonts.chars_of(ctx)
        return frozenset(self.chars)

    def finish(self, batch: "_Batch") -> None:
        """Every report of the batch has been added. Its parts no process has taken yet go
        again one report a part, so the processes finish together (rather than one
        rendering a last whole chunk alone)."""
        mine = [part for part in self.held if part.batch is batch]
        if not mine:
            if batch.waiting:
                self._send(batch)
            self._pump()
            return
        self.held = type(self.held)(part for part in self.held if part.batch is not batch)
        chars = self._seen(batch.waiting)
        work = [job for part in mine for job in part.work] + batch.waiting
        batch.waiting = []
        del batch.parts[-len(mine):]     # held parts are the last ones sent
        for part in mine:
            self.parts.remove(part)
        for job in work:
            self._hold(_Part(batch, [job], chars))
        self._pump()

    def _send(self, batch: "_Batch") -> None:
        """The waiting reports as one part: rendered here on one core, else held for the
        pool (a lone report: split, see the class)."""
        from .render.batch import render_batch

        work, batch.waiting = batch.waiting, []
        folder, (formats, company) = batch.folder, self.args
        if self.pool is None:
            part = _Part(batch, work, None)
            part.pieces.append(render_batch(work, folder, formats, company, self._seen(work)))
            batch.parts.append(part)
            self._tell(len(work))
            return
        if not batch.parts and len(work) == 1 and "xlsx" in formats and len(formats) > 1:
            # the render process draws the charts, HTML and PDF (its font cut to the PDF's
            # own text) while this process writes the XLSX and the JSON
            part = _Part(batch, work, None)
            rest = tuple(f for f in formats if f != "xlsx")
            later = self.pool.submit(render_batch, work, folder, rest, company, None, False)
            self.flying.add(later)
            part.pieces += [render_batch(work, folder, ("xlsx",), company, None), later]
            batch.parts.append(part)
            self.parts.append(part)
            return
        self._hold(_Part(batch, work, self._seen(work)))

    def _hold(self, part: "_Part") -> None:
        part.batch.parts.append(part)
        self.parts.append(part)
        self.held.append(part)

    def _pump(self) -> None:
        """Give held parts to the processes that are free (a process asks for no more than
        one part at a time, so the last parts can still be split)."""
        from .render.batch import render_batch

        if self.pool is None:
            return
        self.flying = {fut for fut in self.flying if not fut.done()}
        formats, company = self.args
        while self.held and len(self.flying) < self.workers:
            part = self.held.popleft()
            fut = self.pool.submit(render_batch, part.work, part.batch.folder, formats, company, part.chars)
            part.pieces.append(fut)
            self.flying.add(fut)

    def result(self, batch: "_Batch") -> list[dict]:
        """The files of every report of the batch, in the order added (waits for them)."""
        import concurrent.futures as cf

        while True:
            self._pump()
            for part in self.parts:       # progress as parts finish, in any order
                if not part.told and part.finished():
                    part.told = True
                    self._tell(len(part.work))
            if all(part.finished() for part in batch.parts):
                break
            cf.wait(self.flying, return_when=cf.FIRST_COMPLETED)
        files = []
        for part in batch.parts:
            got = [fut.result() if isinstance(fut, cf.Future) else fut for fut in part.pieces]
            for same in zip(*got):      # one report's files from each format's render
                merged = {"images": []}
                for f in same:
                    merged.update({k: v for k, v in f.items() if k != "images"})
                    merged["images"] += f["images"]
                files.append(merged)
        return files

    def _pool(self, workers: int):
        import concurrent.futures as cf
        import multiprocessing as mp

        from .render.batch import warm

        method = "fork" if "fork" in mp.get_all_start_methods() and os.name == "posix" and \
            not _macos() else "spawn"
        pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method), initializer=warm)
        for _ in range(workers):    # start every process now, not at the first report
            pool.submit(os.getpid)
        return pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class _Batch:
    """One request's reports: those waiting for a full chunk, and the parts made of them."""

    def __init__(self, folder: str):
        self.folder = folder
        self.waiting: list[tuple[dict, str]] = []
        self.parts: list[_Part] = []


class _Part:
    """Reports rendered together: their pieces are the files rendered here or the tasks of
    the pool (a lone report has one of each); none while the part is held."""

    def __init__(self, batch: _Batch, work: list[tuple[dict, str]], chars: frozenset | None):
        self.batch, self.work, self.chars = batch, work, chars
        self.pieces: list = []
        self.told = False

    def finished(self) -> bool:
        import concurrent.futures as cf

        return bool(self.pieces) and all(p.done() for p in self.pieces if isinstance(p, cf.Future))


def _macos() -> bool:
    import sys

    return sys.platform == "darwin"


def _template_chars(company: Path | None) -> set[str]:
    """Every character of the PDF templates (ours and the company's): a font cut holds them."""
    from .render import templating

    chars: set[str] = set()
    for folder in filter(None, (company, templating.default_dir())):
        for path in Path(folder).glob("*.html"):
            chars |= set(path.read_text("utf-8"))
    return chars
