"""XML parts as bytes plus a map of their elements, for edits that follow the XML.

A DOM round trip would rename namespace prefixes (breaking `mc:Ignorable` lists) and drop
what it does not know, so parts are edited by splicing bytes. Where to splice comes from
a real parse (expat, namespaces resolved by us so the prefixes stay visible): each element
knows its byte span, its namespace and the prefixes in scope. New elements are written
with the prefix the document already uses for their namespace, or declare it themselves.

Documents with a DTD (where entity bombs live) are refused before anything is expanded.
"""
from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field

XML_NS = "http://www.w3.org/XML/1998/namespace"
# A start tag: name, attributes in either quote, optional "/" (attribute values hold no quote of their kind).
_START_TAG = re.compile(rb"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")


class XmlError(ValueError):
    """Not well-formed XML, or XML with a DTD (refused: entity expansion)."""


@dataclass(eq=False)
class Element:
    qname: str                      # as written, e.g. "x:sheet"
    ns: str                         # resolved namespace URI ("" if none)
    local: str
    attrs: dict[str, str]           # as written (qualified names), values decoded
    start: int                      # byte offset of "<"
    start_end: int                  # byte offset just after the start tag's ">"
    end: int = 0                    # byte offset just after the element (its end tag, or "/>")
    empty: bool = False             # written as <x/>
    scope: dict[str, str] = field(default_factory=dict)   # prefix -> URI in scope ("" = default)
    parent: "Element | None" = None
    children: list["Element"] = field(default_factory=list)
    text: str = ""                  # character data directly inside (kept only when asked)

    @property
    def prefix(self) -> str:
        return self.qname.split(":", 1)[0] if ":" in self.qname else ""

    def kids(self, ns: str | None = None, local: str | None = None) -> list["Element"]:
        return [c for c in self.children if (ns is None or c.ns == ns) and (local is None or c.local == local)]

    def kid(self, ns: str, local: str) -> "Element | None":
        return next((c for c in self.children if c.ns == ns and c.local == local), None)

    def attr(self, ns: str, local: str) -> str | None:
        """Attribute by namespace (unprefixed attributes have no namespace: ns == "")."""
        for q, v in self.attrs.items():
            if ":" in q:
                p, name = q.split(":", 1)
                if p != "xmlns" and name == local and self.scope.get(p) == ns:
                    return v
            elif not ns and q == local:
                return v
        return None

    def iter(self):
        yield self
        for c in self.children:
            yield from c.iter()

    def all_text(self) -> str:
        return self.text + "".join(c.all_text() for c in self.children)


class Doc:
    """A parsed part. Offsets are into `data` (bytes); edits return new bytes."""

    def __init__(self, data: bytes, *, keep_text: bool = False, deep: frozenset[str] | None = None):
        self.data = data
        self.keep_text = keep_text
        self.root = parse(data, keep_text=keep_text, deep=deep)

    # --- names for new markup -----------------------------------------------------
    @staticmethod
    def prefix_for(el: Element, ns: str) -> str | None:
        """A prefix bound to `ns` in scope at `el` ("" = the default namespace), or None."""
        if el.scope.get("") == ns:
            return ""
        for p, uri in el.scope.items():
            if uri == ns and p:
                # the binding must not be shadowed: scope holds the innermost binding only
                return p
        return None

    @staticmethod
    def qname(el: Element, ns: str, local: str, preferred: str) -> tuple[str, str]:
        """(qualified name, namespace declaration to add) for a new child of `el` in `ns`."""
        p = Doc.prefix_for(el, ns)
        if p is not None:
            return (f"{p}:{local}" if p else local), ""
        if preferred and preferred not in el.scope:
            return f"{preferred}:{local}", f' xmlns:{preferred}="{ns}"'
        if "" not in el.scope or not preferred:
            return local, f' xmlns="{ns}"'
        k = 1
        while f"{preferred}{k}" in el.scope:
            k += 1
        return f"{preferred}{k}:{local}", f' xmlns:{preferred}{k}="{ns}"'


def splice(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (start, end, replacement) edits that do not overlap."""
    out, at = [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < at:
            raise ValueError("overlapping XML edits")
        out.append(data[at:start])
        out.append(new)
        at = end
    out.append(data[at:])
    return b"".join(out)


def insert_child(data: bytes, parent: Element, el: bytes, before: Element | None = None) -> bytes:
    """`data` with `el` inserted into `parent` before its child `before` (else as its last child)."""
    if before is not None:
        return splice(data, [(before.start, before.start, el)])
    if parent.empty:
        tag = data[parent.start:parent.start_end]
        return splice(data, [(parent.start, parent.end,
                              tag[:-2].rstrip() + b">" + el + f"</{parent.qname}>".encode("utf-8"))])
    at = data.rindex(b"</", parent.start_end, parent.end)
    return splice(data, [(at, at, el)])


def attr_value(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


def parse(data: bytes, *, keep_text: bool = False, deep: frozenset[str] | None = None) -> Element:
    """The element tree of `data` with byte offsets. Raises XmlError.

    With `deep`, only the root's children are built, and the subtrees of those whose local
    name is in `deep` (a sheet's tail holds 100,000s of mergeCell elements nobody edits)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise XmlError("UTF-16 XML is not edited in place")
    p = xml.parsers.expat.ParserCreate()
    p.buffer_text = True
    stack: list[Element] = []
    root: list[Element] = []
    skip = [0]   # depth inside an element whose subtree is not built

    def refuse(*_):
        raise XmlError("document type declarations (DTD) are not allowed")

    def start(name, attrs):
        if skip[0]:
            skip[0] += 1
            return
        if deep is not None and len(stack) == 2 and stack[1].local not in deep:
            skip[0] = 1
            return
        at = p.CurrentByteIndex
        m = _START_TAG.match(data, at)
        if m is None:
            raise XmlError(f"unreadable start tag at byte {at}")
        parent = stack[-1] if stack else None
        scope = parent.scope if parent else {"xml": XML_NS}
        if any(k == "xmlns" or k.startswith("xmlns:") for k in attrs):
            scope = dict(scope)   # shared with the parent unless this element declares something
            for k, v in attrs.items():
                if k == "xmlns":
                    scope[""] = v
                elif k.startswith("xmlns:"):
                    scope[k[6:]] = v
        if ":" in name:
            prefix, local = name.split(":", 1)
            if prefix not in scope:
                raise XmlError(f"unbound prefix {prefix!r} on <{name}>")
            ns = scope[prefix]
        else:
            local, ns = name, scope.get("", "")
        for k in attrs:
            if ":" in k and not k.startswith("xmlns:") and k.split(":", 1)[0] not in scope:
                raise XmlError(f"unbound prefix on attribute {k!r} of <{name}>")
        el = Element(name, ns, local, attrs, at, m.end(), empty=bool(m.group(1)), scope=scope, parent=parent)
        if parent is not None:
            parent.children.append(el)
        else:
            root.append(el)
        stack.append(el)

    def end(name):
        if skip[0]:
            skip[0] -= 1
            return
        el = stack.pop()
        if el.empty:
            el.end = el.start_end
        else:
            el.end = data.index(b">", p.CurrentByteIndex) + 1

    def chars(text):
        if stack and not skip[0]:
            stack[-1].text += text

    p.StartElementHandler = start
    p.EndElementHandler = end
    if keep_text:
        p.CharacterDataHandler = chars
    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    try:
        p.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise XmlError(str(exc)) from exc
    if not root:
        raise XmlError("no root element")
    return root[0]


def root_start_tag(data: bytes, limit: int = 1 << 16) -> tuple[int, int] | None:
    """(start, end) of the root element's start tag, found without parsing the whole part:
    skips the BOM, XML declaration, comments and processing instructions. None if the
    prolog is unusual (a DTD, or longer than `limit`)."""
    i = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    n = min(len(data), limit)
    while i < n:
        if data[i:i + 1].isspace():
            i += 1
        elif data.startswith(b"<?", i):
            j = data.find(b"?>", i)
            if j < 0:
                return None
            i = j + 2
        elif data.startswith(b"<!--", i):
            j = data.find(b"-->", i)
            if j < 0:
                return None
            i = j + 3
        elif data.startswith(b"<", i) and not data.startswith(b"<!", i):
            m = _START_TAG.match(data, i)
            return (i, m.end()) if m else None
        else:
            return None
    return None
