"""Exactly once: the send log and the lock beside manifest.json.

`发送记录.jsonl` holds one JSON line per accepted (or failed) message, appended and
flushed to disk right after the server answered, so a run that dies half-way still knows
what went out. A line is keyed by the report's identity (kind|period|scope|key) and the
recipient, and records the Message-ID, the time, the status, the folder it was sent from
and a fingerprint of what the report said (its context JSON, see compose.py).

Tied to the folder and period: the identity contains the period, so another period's
lines never count; a line counts as "already sent" when it was written in this very
folder, or when the report sent then is the same content as now (the folder was copied or
moved with its log). A log carried into a folder with other content (e.g. a copied
workbook whose reports were rendered again from other data) is not taken as this folder's
history: those reports are sent, and the summary says the foreign lines were ignored.

`发送记录.lock` is held (an OS file lock, released by the OS if the process dies) for the
whole of a send, so two runs at once never send the same message twice: the second one
waits, then reads the log the first one wrote.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkbookError

LOG = "发送记录.jsonl"
LOCK = "发送记录.lock"
SENT, FAILED, OUTBOX = "sent", "failed", "outbox"


@dataclass(frozen=True)
class Entry:
    report: str
    recipient: str
    status: str
    message_id: str
    time: str
    folder: str
    fingerprint: str
    detail: str = ""


class SendLog:
    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / LOG
        self.here = _folder_id(folder)

    def entries(self) -> list[Entry]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text("utf-8").splitlines():
            try:
                data = json.loads(line)
                out.append(Entry(**{k: data.get(k, "") for k in Entry.__dataclass_fields__}))
            except (ValueError, TypeError):
                continue   # a line cut short by a crash: the message it names was not confirmed
        return out

    def history(self) -> "History":
        return History(self.entries(), self.here)

    def append(self, entry: Entry) -> None:
        line = json.dumps(entry.__dict__, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())


class History:
    """The 'sent' lines that count for this folder (see the module docstring)."""

    def __init__(self, entries: list[Entry], here: str):
        self.here: dict[tuple[str, str], Entry] = {}
        self.copied: dict[tuple[str, str, str], Entry] = {}
        for e in entries:
            if e.status != SENT:
                continue
            if e.folder == here:
                self.here[(e.report, e.recipient.lower())] = e
            else:
                self.copied[(e.report, e.recipient.lower(), e.fingerprint)] = e
        self.foreign_used: set[tuple[str, str, str]] = set()

    def find(self, identity: str, recipient: str, fingerprint: str) -> Entry | None:
        found = self.here.get((identity, recipient.lower()))
        if found is None:
            key = (identity, recipient.lower(), fingerprint)
            found = self.copied.get(key)
            if found is not None:
                self.foreign_used.add(key)
        return found

    def foreign_ignored(self) -> int:
        """Lines from another folder whose content differs from what is here."""
        return len(set(self.copied) - self.foreign_used)


def entry(identity: str, recipient: str, status: str, message_id: str, folder_id: str,
          fingerprint: str, detail: str = "") -> Entry:
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return Entry(identity, recipient, status, message_id, now, folder_id, fingerprint, detail)


def _folder_id(folder: Path) -> str:
    return str(folder.resolve())


class Lock:
    """An exclusive OS lock on 发送记录.lock for the duration of a send."""

    def __init__(self, folder: Path, wait: float = 600.0, on_wait=lambda: None):
        self.path = folder / LOCK
        self.wait = wait
        self.on_wait = on_wait
        self.file = None

    def __enter__(self) -> "Lock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.path, "a+b")
        deadline = time.monotonic() + self.wait
        told = False
        while not _try_lock(self.file):
            if not told:
                self.on_wait()
                told = True
            if time.monotonic() > deadline:
                self.file.close()
                raise WorkbookError(
                    f"另一个发送还在进行({self.path}被占用超过 {self.wait:.0f} 秒)。等它结束后再试。",
                    f"Another send is still running ({self.path} locked for over {self.wait:.0f} s). Try again later.")
            time.sleep(0.2)
        self.file.seek(0)
        self.file.truncate()
        self.file.write(f"pid {os.getpid()} since {dt.datetime.now().isoformat(timespec='seconds')}\n".encode())
        self.file.flush()
        return self

    def __exit__(self, *exc) -> None:
        _unlock(self.file)
        self.file.close()


if sys.platform == "win32":
    import msvcrt

    def _try_lock(f) -> bool:
        try:
            f.seek(0)
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(f) -> None:
        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(f) -> bool:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(f) -> None:
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)
