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


KIND_WORDS = {"daily": ("日报", "daily"), "weekly": ("周报", "weekly"), "monthly": ("月报", "monthly"),
              "statement": ("工资条", "statement")}


def summary_lines(manifest: Path, kind: str, lang: str = "zh", secs: float | None = None,
                  listed: int = 10) -> list[str]:
    """What a run wrote, for people: how many reports of `kind`, where, in which formats."""
    entries = [e for e in json.loads(Path(manifest).read_text("utf-8"))["reports"] if e["kind"] == kind]
    counts: dict[str, int] = {}
    for e in entries:
        for fmt in e["files"]:
            counts[fmt] = counts.get(fmt, 0) + 1
    folder = Path(manifest).parent
    zh, en = KIND_WORDS[kind]
    if lang == "en":
        took = f" ({secs:.1f} s)" if secs is not None else ""
        lines = [f"{len(entries)} {en} report(s) in {folder}{took}: "
                 + ", ".join(f"{n} {k.upper()}" for k, n in counts.items())]
        lines += [f"  {e['title']}: " + ", ".join(e["files"].values()) for e in entries[:listed]]
        if len(entries) > listed:
            lines.append(f"  … and {len(entries) - listed} more (see manifest.json)")
        return lines + [f"Hand-over for e-mail: {manifest}"]
    took = f"(用时 {secs:.1f} 秒)" if secs is not None else ""
    lines = [f"已生成 {len(entries)} 份{zh}, 保存在 {folder}{took}: "
             + "、".join(f"{k.upper()} {n} 个" for k, n in counts.items())]
    lines += [f"  {e['title']}: " + "、".join(e["files"].values()) for e in entries[:listed]]
    if len(entries) > listed:
        lines.append(f"  … 另有 {len(entries) - listed} 份, 见 manifest.json")
    return lines + [f"发送邮件用的清单: {manifest}"]
