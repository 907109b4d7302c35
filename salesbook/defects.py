"""Where a defect's traceback goes: a log file in the user's folder, named in the message."""
from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path


def log_folder() -> Path:
    return Path.home() / ".salesbook" / "logs"


def write_log(origin: str) -> Path:
    """Append the traceback being handled to ~/.salesbook/logs/<origin>-error.log; return the path."""
    folder = log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"{origin}-error.log"
        with log.open("a", encoding="utf-8") as f:
            f.write(f"\n=== {dt.datetime.now():%Y-%m-%d %H:%M:%S} ===\n{traceback.format_exc()}")
        return log
    except OSError:  # no writable home: the message still says what happened
        return folder / f"{origin}-error.log"
