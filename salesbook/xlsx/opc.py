"""The workbook as a set of zip parts: read lazily, change a few, copy the rest raw.

XML parts that salesbook edits (workbook, rels, content types, styles, app.xml) are edited
as text: a DOM round trip (ElementTree) renames namespace prefixes, which breaks
`mc:Ignorable` lists and Excel's extension elements. Every edit is a local splice.
"""
from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Union

from .zipio import ZipSink

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = NS_R + "/"
RT_OFFICE = REL + "officeDocument"
RT_WORKSHEET = REL + "worksheet"
RT_STYLES = REL + "styles"
RT_COMMENTS = REL + "comments"
RT_VML = REL + "vmlDrawing"
RT_CUSTOMXML = REL + "customXml"
RT_CUSTOMXML_PROPS = REL + "customXmlProps"
RT_CALCCHAIN = REL + "calcChain"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_CUSTOMXML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"

_ATTR = re.compile(r"""([\w.-]+(?::[\w.-]+)?)\s*=\s*(?:"([^"]*)"|'([^']*)')""")

Chunks = Union[bytes, Callable[[], Iterable[bytes]]]


def attrs(tag: str) -> dict[str, str]:
    """Attributes of one start tag, XML entities decoded."""
    return {m.group(1): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR.finditer(tag)}


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def set_attr(tag: str, name: str, value: str | None) -> str:
    """Return start tag `tag` with attribute `name` set (or removed when value is None)."""
    pat = re.compile(r"\s" + re.escape(name) + r"""\s*=\s*(?:"[^"]*"|'[^']*')""")
    if value is None:
        return pat.sub("", tag, count=1)
    new = f' {name}="{esc(value)}"'
    if pat.search(tag):
        return pat.sub(lambda _: new, tag, count=1)
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return tag[:end].rstrip() + new + tag[end:]


def rels_name(part: str) -> str:
    d, b = posixpath.split(part)
    return posixpath.join(d, "_rels", b + ".rels")


def resolve(source: str, target: str) -> str:
    """Zip member name of a relationship target (relative to the source part's folder)."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relative(source: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    target: str       # resolved zip member name (or the raw target if external)
    external: bool


class Package:
    """Source zip plus pending changes; `save()` streams the result into a file object."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.infos = {i.filename: i for i in self.zip.infolist()}
        self.order: list[str] = list(self.infos)
        self.changed: dict[str, Chunks] = {}
        self.size_hint: dict[str, int] = {}
        self.removed: set[str] = set()
        self._text: dict[str, str] = {}
        self._orig: dict[str, str] = {}   # source text of parts read for editing

    def close(self) -> None:
        self.zip.close()

    # --- members ---------------------------------------------------------------
    def find(self, name: str) -> str | None:
        """Member name as stored, matching case-insensitively (OPC part names are)."""
        if self.has(name):
            return name
        low = name.lower()
        for n in self.order:
            if n.lower() == low and n not in self.removed:
                return n
        return None

    def has(self, name: str) -> bool:
        return name not in self.removed and (name in self.changed or name in self.infos)

    def names(self) -> list[str]:
        return [n for n in self.order if n not in self.removed]

    def read(self, name: str) -> bytes:
        if name in self._text:
            return self._text[name].encode("utf-8")
        data = self.changed.get(name)
        if isinstance(data, bytes):
            return data
        if data is not None or name in self.removed:
            raise KeyError(name)
        return self.zip.read(name)

    def text(self, name: str) -> str:
        """Part as text for editing; edits go through `put_text`."""
        if name not in self._text:
            self._text[name] = self.read(name).decode("utf-8")
            if name in self.infos and name not in self.changed:
                self._orig[name] = self._text[name]
        return self._text[name]

    def put_text(self, name: str, text: str) -> None:
        self._text[name] = text
        self._mark(name)
        self.changed[name] = b""  # placeholder; encoded at save

    def put(self, name: str, data: Chunks, size_hint: int = 0) -> None:
        self._text.pop(name, None)
        self._orig.pop(name, None)
        self._mark(name)
        self.changed[name] = data
        self.size_hint[name] = size_hint

    def _mark(self, name: str) -> None:
        self.removed.discard(name)
        if name not in self.infos and name not in self.order:
            self.order.append(name)

    def remove(self, name: str) -> None:
        self._text.pop(name, None)
        self._orig.pop(name, None)
        self.changed.pop(name, None)
        if name in self.infos:
            self.removed.add(name)
        elif name in self.order:
            self.order.remove(name)

    def free_name(self, pattern: str) -> str:
        """Smallest `pattern.format(k)` (k >= 1) not used by any member (case-insensitive)."""
        used = {n.lower() for n in self.names()}
        k = 1
        while pattern.format(k).lower() in used:
            k += 1
        return pattern.format(k)

    # --- relationships ---------------------------------------------------------
    def rels(self, part: str) -> list[Rel]:
        name = rels_name(part) if part else "_rels/.rels"
        if not self.has(name):
            return []
        out = []
        for m in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", self.text(name)):
            a = attrs(m.group(0))
            external = a.get("TargetMode") == "External"
            target = a.get("Target", "")
            out.append(Rel(a.get("Id", ""), a.get("Type", ""), target if external else resolve(part, target),
                           external))
        return out

    def add_rel(self, part: str, rtype: str, target: str) -> str:
        name = rels_name(part)
        if not self.has(name):
            self.put_text(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                '</Relationships>')
        used = {r.id for r in self.rels(part)}
        k = 1
        while f"rId{k}" in used:
            k += 1
        rid = f"rId{k}"
        xml = self.text(name)
        el = f'<Relationship Id="{rid}" Type="{rtype}" Target="{esc(relative(part, target))}"/>'
        xml = re.sub(r"<((?:\w+:)?)Relationships\b([^>]*?)\s*/>", r"<\1Relationships\2></\1Relationships>", xml)
        i = xml.rindex("</")
        self.put_text(name, xml[:i] + el + xml[i:])
        return rid

    def remove_rel(self, part: str, rid: str) -> None:
        name = rels_name(part)
        xml = self.text(name)
        pat = re.compile(r"<(?:\w+:)?Relationship\b[^>]*\bId\s*=\s*[\"']" + re.escape(rid) + r"[\"'][^>]*>")
        xml = pat.sub("", xml, count=1)
        if not re.search(r"<(?:\w+:)?Relationship\b", xml):
            self.remove(name)
        else:
            self.put_text(name, xml)

    def office_document(self) -> str:
        for r in self.rels(""):
            if r.type.endswith("/officeDocument") and not r.external:
                return r.target
        raise KeyError("officeDocument")

    # --- content types ---------------------------------------------------------
    def content_type(self, part: str) -> str | None:
        xml = self.text("[Content_Types].xml")
        for m in re.finditer(r"<(?:\w+:)?Override\b[^>]*>", xml):
            a = attrs(m.group(0))
            if a.get("PartName", "").lstrip("/").lower() == part.lower():
                return a.get("ContentType")
        ext = posixpath.splitext(part)[1][1:].lower()
        for m in re.finditer(r"<(?:\w+:)?Default\b[^>]*>", xml):
            a = attrs(m.group(0))
            if a.get("Extension", "").lower() == ext:
                return a.get("ContentType")
        return None

    def set_override(self, part: str, ctype: str) -> None:
        if self.content_type(part) == ctype:
            return
        self._types_insert(f'<Override PartName="/{esc(part)}" ContentType="{ctype}"/>')

    def ensure_default(self, ext: str, ctype: str) -> None:
        xml = self.text("[Content_Types].xml")
        for m in re.finditer(r"<(?:\w+:)?Default\b[^>]*>", xml):
            if attrs(m.group(0)).get("Extension", "").lower() == ext:
                return
        # Defaults conventionally precede Overrides.
        m = re.search(r"<(?:\w+:)?Override\b", xml)
        el = f'<Default Extension="{ext}" ContentType="{ctype}"/>'
        if m:
            self.put_text("[Content_Types].xml", xml[:m.start()] + el + xml[m.start():])
        else:
            self._types_insert(el)

    def remove_override(self, part: str) -> None:
        xml = self.text("[Content_Types].xml")
        for m in re.finditer(r"<(?:\w+:)?Override\b[^>]*>", xml):
            if attrs(m.group(0)).get("PartName", "").lstrip("/").lower() == part.lower():
                self.put_text("[Content_Types].xml", xml[:m.start()] + xml[m.end():])
                return

    def _types_insert(self, el: str) -> None:
        xml = self.text("[Content_Types].xml")
        i = xml.rindex("</")
        self.put_text("[Content_Types].xml", xml[:i] + el + xml[i:])

    # --- reachability (to drop parts only a replaced part referenced) ----------
    def reachable(self) -> set[str]:
        seen: set[str] = set()
        todo = [r.target for r in self.rels("") if not r.external]
        while todo:
            p = todo.pop()
            if p in seen or not self.has(p):
                continue
            seen.add(p)
            todo.extend(r.target for r in self.rels(p) if not r.external)
        return seen

    # --- output ----------------------------------------------------------------
    def save(self, sink: ZipSink, raw) -> None:
        """Write every member in order: changed ones deflated, the rest copied raw from `raw`."""
        for name in self.names():
            if name in self._text and self._orig.get(name) == self._text[name]:
                sink.copy_raw(raw, self.infos[name])   # edited back to what it was
            elif name in self._text:
                sink.write(name, self._text[name].encode("utf-8"))
            elif name in self.changed:
                data = self.changed[name]
                if isinstance(data, bytes):
                    sink.write(name, data)
                else:
                    sink.write(name, data(), size_hint=self.size_hint.get(name, 0))
            else:
                sink.copy_raw(raw, self.infos[name])
