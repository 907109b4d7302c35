"""manifest.json: the hand-over from the reports to the e-mail step.

    {"reports": [{"kind", "period", "scope", "key", "title", "recipients", "cc", "files",
                  "images"}, ...]}

files: {"html", "xlsx", "pdf", "json"} → paths relative to the manifest (only the formats
written); images: the chart PNGs the HTML references (to attach as cid: parts); cc: 参数
报表抄送 for department reports. A later run into the same folder merges: an entry with the
same kind, period, scope and key is replaced, others are kept.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import WorkbookError
from .render.batch import write_bytes

NAME = "manifest.json"


def _identity(entry: dict) -> tuple:
    return (entry.get("kind"), entry.get("period"), entry.get("scope"), entry.get("key"))


def read(folder: Path) -> list[dict]:
    path = Path(folder) / NAME
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text("utf-8"))
        reports = data["reports"]
        if not isinstance(reports, list):
            raise TypeError
        return [r for r in reports if isinstance(r, dict)]
    except (ValueError, KeyError, TypeError):
        raise WorkbookError(
            f"报表目录里的 {path} 已损坏, 无法合并。请删除或改名后重试。",
            f"{path} is damaged and cannot be merged; delete or rename it and retry.") from None


def merge(old: list[dict], new: list[dict]) -> list[dict]:
    """Entries of `new` replace those of `old` with the same identity (in place); the rest
    of `new` follow in their order."""
    fresh = {_identity(e): e for e in new}
    out = [fresh.pop(_identity(e), e) for e in old]
    return out + [e for e in new if _identity(e) in fresh]


def write(folder: Path, entries: list[dict]) -> Path:
    path = Path(folder) / NAME
    merged = merge(read(folder), entries)
    write_bytes(path, (json.dumps({"reports": merged}, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return path
