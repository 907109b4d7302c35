"""The workbook as a set of zip parts: read lazily, change a few, copy the rest raw.

Only the parts salesbook changes are ever inflated. XML parts are edited by splices at
places found by a real parse (`xmldoc`): a DOM round trip would rename namespace
prefixes (breaking `mc:Ignorable`) and drop Excel's extensions.

A member that cannot be read (bad CRC, broken deflate stream, not well-formed XML) raises
`Damaged` naming it; the writer turns that into the plain-language "damaged" message.
"""
from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Union

from .xmldoc import Doc, XmlError, attr_value, insert_child, splice
from .zipio import ZipSink, read_raw

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = NS_R + "/"
RT_OFFICE = REL + "officeDocument"
RT_WORKSHEET = REL + "worksheet"
RT_STYLES = REL + "styles"
RT_COMMENTS = REL + "comments"
RT_VML = REL + "vmlDrawing"
RT_CALCCHAIN = REL + "calcChain"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"

Chunks = Union[bytes, Callable[[], Iterable[bytes]]]

_EMPTY_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')


class Damaged(Exception):
    """A member salesbook must read is damaged (or missing)."""

    def __init__(self, part: str, why: str):
        super().__init__(f"{part}: {why}")
        self.part = part
        self.why = why


def esc(text: str) -> str:
    return attr_value(text)


def rels_name(part: str) -> str:
    d, b = posixpath.split(part)
    return posixpath.join(d, "_rels", b + ".rels")


def resolve(source: str, target: str) -> str:
    """Zip member name of a relationship target (relative to the source part's folder)."""
    target = target.split("#", 1)[0]
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
        self._docs: dict[str, Doc] = {}
        self._orig: dict[str, bytes] = {}   # source bytes of members read for editing
        # members written after all others, from the (crc, size) of everything before them
        self.last: dict[str, Callable[[dict[str, tuple[int, int]]], bytes]] = {}

    def close(self) -> None:
        self.zip.close()

    # --- members ---------------------------------------------------------------
    def find(self, name: str) -> str | None:
        """Member name as stored, matching case-insensitively (OPC part names are)."""
        if self.has(name):
            return name
        low = name.lower()
        return next((n for n in self.names() if n.lower() == low), None)

    def has(self, name: str) -> bool:
        return name not in self.removed and (name in self.changed or name in self.infos)

    def is_new(self, name: str) -> bool:
        return name not in self.infos

    def unchanged(self, name: str, crc: int, size: int) -> bool:
        """The member is in the source, untouched so far, with this CRC-32 and size."""
        info = self.infos.get(name)
        return (info is not None and name not in self.changed and name not in self.removed
                and info.CRC == crc and info.file_size == size)

    def names(self) -> list[str]:
        return [n for n in self.order if n not in self.removed]

    def read(self, name: str) -> bytes:
        """Current bytes of a member (raises Damaged if it cannot be read)."""
        data = self.changed.get(name)
        if isinstance(data, bytes):
            return data
        if data is not None:
            raise TypeError(f"{name} is produced at save time")
        if name in self.removed or name not in self.infos:
            raise Damaged(name, "missing")
        if name not in self._orig:
            self._orig[name] = self.read_original(name)
        return self._orig[name]

    def read_original(self, name: str, *, check_crc: bool = True) -> bytes:
        try:
            with open(self.path, "rb") as fp:
                return read_raw(fp, self.infos[name], check_crc=check_crc)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise Damaged(name, str(exc)) from exc

    def doc(self, name: str, *, keep_text: bool = False) -> Doc:
        """The member parsed (cached until it changes). Raises Damaged if not well-formed."""
        doc = self._docs.get(name)
        if doc is None or (keep_text and not doc.keep_text):
            try:
                doc = Doc(self.read(name), keep_text=keep_text)
            except XmlError as exc:
                raise Damaged(name, str(exc)) from exc
            self._docs[name] = doc
        return doc

    def put(self, name: str, data: Chunks, size_hint: int = 0) -> None:
        self._docs.pop(name, None)
        self.removed.discard(name)
        if name not in self.infos and name not in self.order:
            self.order.append(name)
        self.changed[name] = data
        self.size_hint[name] = size_hint

    def put_last(self, name: str, make: Callable[[dict[str, tuple[int, int]]], bytes]) -> None:
        """A member made at save time, after every other one, from their CRCs and sizes."""
        self.put(name, b"")
        self.last[name] = make

    def remove(self, name: str) -> None:
        self._docs.pop(name, None)
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

    def new_part(self, pattern: str, ctype: str) -> str:
        """Name for a new part, with its content type registered."""
        name = self.free_name(pattern)
        self.set_override(name, ctype)
        return name

    # --- relationships ---------------------------------------------------------
    def rels(self, part: str) -> list[Rel]:
        name = rels_name(part) if part else "_rels/.rels"
        if not self.has(name):
            return []
        out = []
        for el in self.doc(name).root.kids(NS_PKG_RELS, "Relationship"):
            a = el.attrs
            external = a.get("TargetMode") == "External"
            target = a.get("Target", "")
            out.append(Rel(a.get("Id", ""), a.get("Type", ""), target if external else resolve(part, target),
                           external))
        return out

    def add_rel(self, part: str, rtype: str, target: str) -> str:
        name = rels_name(part)
        if not self.has(name):
            self.put(name, _EMPTY_RELS)
            self.ensure_content_type(name, "rels", CT_RELS)
        used = {r.id for r in self.rels(part)}
        k = 1
        while f"rId{k}" in used:
            k += 1
        rid = f"rId{k}"
        self.append_child(name, NS_PKG_RELS, "Relationship",
                          f' Id="{rid}" Type="{esc(rtype)}" Target="{esc(relative(part, target))}"')
        return rid

    def remove_rel(self, part: str, rid: str) -> None:
        name = rels_name(part)
        doc = self.doc(name)
        hit = [el for el in doc.root.kids(NS_PKG_RELS, "Relationship") if el.attrs.get("Id") == rid]
        if not hit:
            return
        if len(doc.root.kids(NS_PKG_RELS, "Relationship")) == 1:   # nothing left: drop the part
            self.remove(name)
            self.remove_override(name)
            return
        self.put(name, splice(doc.data, [(hit[0].start, hit[0].end, b"")]))

    def office_document(self) -> str:
        for r in self.rels(""):
            if r.type.endswith("/officeDocument") and not r.external:
                return r.target
        raise KeyError("officeDocument")

    # --- generic child insertion ---------------------------------------------------
    def append_child(self, name: str, ns: str, local: str, attrs: str, parent=None, before=None,
                     inner: str | None = None) -> None:
        """Insert <local attrs/> (or with `inner` content) as the last child of `parent` (default
        the root), or before the child `before`, spelled with the prefix the part uses."""
        doc = self.doc(name)
        parent = parent or doc.root
        qname, decl = Doc.qname(parent, ns, local, "")
        el = f"<{qname}{decl}{attrs}/>" if inner is None else f"<{qname}{decl}{attrs}>{inner}</{qname}>"
        self.put(name, insert_child(doc.data, parent, el.encode("utf-8"), before))

    # --- content types ---------------------------------------------------------
    def content_type(self, part: str) -> str | None:
        root = self.doc("[Content_Types].xml").root
        for el in root.kids(NS_CT, "Override"):
            if el.attrs.get("PartName", "").lstrip("/").lower() == part.lower():
                return el.attrs.get("ContentType")
        ext = posixpath.splitext(part)[1][1:].lower()
        for el in root.kids(NS_CT, "Default"):
            if el.attrs.get("Extension", "").lower() == ext:
                return el.attrs.get("ContentType")
        return None

    def set_override(self, part: str, ctype: str) -> None:
        if self.content_type(part) == ctype:
            return
        self.remove_override(part)
        self.append_child("[Content_Types].xml", NS_CT, "Override", f' PartName="/{esc(part)}" ContentType="{ctype}"')

    def ensure_content_type(self, part: str, ext: str, ctype: str) -> None:
        """Give `part` the content type `ctype`: by the Default for its extension (added if the
        package has none for it), else by an Override."""
        if self.content_type(part) == ctype:
            return
        root = self.doc("[Content_Types].xml").root
        if any(el.attrs.get("Extension", "").lower() == ext for el in root.kids(NS_CT, "Default")):
            self.set_override(part, ctype)
            return
        first = next((el for el in root.children if el.ns == NS_CT and el.local == "Override"), None)
        self.append_child("[Content_Types].xml", NS_CT, "Default", f' Extension="{ext}" ContentType="{ctype}"',
                          before=first)

    def remove_override(self, part: str) -> None:
        doc = self.doc("[Content_Types].xml")
        for el in doc.root.kids(NS_CT, "Override"):
            if el.attrs.get("PartName", "").lstrip("/").lower() == part.lower():
                self.put("[Content_Types].xml", splice(doc.data, [(el.start, el.end, b"")]))
                return

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
            if name in self.last:
                continue
            data = self.changed.get(name)
            if data is None or (isinstance(data, bytes) and self._orig.get(name) == data):
                sink.copy_raw(raw, self.infos[name])   # untouched, or edited back to what it was
            elif isinstance(data, bytes):
                sink.write(name, data)
            else:
                sink.write(name, data(), size_hint=self.size_hint.get(name, 0))
        for name, make in self.last.items():
            if not self.has(name):
                continue
            data = make(sink.written())
            if name in self.infos and data == self.read_original(name, check_crc=False):
                sink.copy_raw(raw, self.infos[name])
            else:
                sink.write(name, data)

