"""A source-only VBA project (vbaProject.bin) per [MS-OVBA].

Office recompiles a project whose _VBA_PROJECT version is 0xFFFF from the module
source, so we write no performance cache: every MODULEOFFSET is 0 and each module
stream is just the compressed source text. Sections cited are from [MS-OVBA].
"""
from __future__ import annotations

import os
import struct
import uuid
from dataclasses import dataclass

from . import cfb

CODEPAGE = 1252        # module text is kept ASCII; Chinese is built with ChrW() in VBA
LCID = 0x0409
CHUNK = 4096

# 2.3.4.2.2: stdole and the Office library (which declares IRibbonControl); VBA and the
# host's own library are implicit. Excel maps these paths to its own installation.
REFERENCES = [
    ("stdole", "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
               "C:\\Windows\\System32\\stdole2.tlb#OLE Automation"),
    ("Office", "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
               "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL"
               "#Microsoft Office 16.0 Object Library"),
]

MODULE, CLASS, DOCUMENT = "module", "class", "document"


@dataclass(frozen=True)
class Module:
    name: str
    kind: str          # MODULE (.bas), CLASS (.cls) or DOCUMENT (ThisWorkbook, sheets)
    source: bytes      # exactly the text stored in the project (CRLF line ends)


# --- 2.4.1 compression ------------------------------------------------------------

def _compress_chunk(chunk: bytes) -> bytes:
    """Tokens for one 4096-byte decompressed chunk (greedy longest match, 2.4.1.3.19.x)."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos, n = 0, len(chunk)

    def remember(i: int) -> None:
        if i + 3 <= n:
            heads.setdefault(chunk[i:i + 3], []).append(i)

    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            best_len = best_at = 0
            if pos > 0 and pos + 3 <= n:
                bits = max((pos - 1).bit_length(), 4)
                max_len = min((0xFFFF >> bits) + 3, n - pos)
                for cand in reversed(heads.get(chunk[pos:pos + 3], [])[-48:]):
                    length = 3
                    while length < max_len and chunk[cand + length] == chunk[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_at = length, cand
                        if length == max_len:
                            break
            if best_len >= 3:
                token = ((pos - best_at - 1) << (16 - bits)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                for i in range(pos, pos + best_len):
                    remember(i)
                pos += best_len
            else:
                out.append(chunk[pos])
                remember(pos)
                pos += 1
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer (2.4.1.1) that any [MS-OVBA] reader decompresses to `data`."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        chunk = data[start:start + CHUNK]
        body = _compress_chunk(chunk)
        if len(body) <= CHUNK:
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
        elif len(chunk) == CHUNK:     # incompressible: a raw chunk holds exactly 4096 bytes
            out += struct.pack("<H", 0x3000 | (CHUNK + 2 - 3)) + chunk
        else:
            raise ValueError("incompressible final chunk; VBA source should be text")
    return bytes(out)


# --- 2.4.3 data encryption (CMG, DPB, GC) ---------------------------------------

def encrypt(data: bytes, project_id: str, seed: int | None = None) -> str:
    """Obfuscate `data` as the PROJECT stream stores it (hex, upper case)."""
    seed = os.urandom(1)[0] if seed is None else seed
    version, key = 2, sum(project_id.encode("ascii")) & 0xFF
    out = [seed, seed ^ version, seed ^ key]
    unenc1, enc1, enc2 = key, seed ^ key, seed ^ version

    def push(byte: int) -> None:
        nonlocal unenc1, enc1, enc2
        b = byte ^ ((enc2 + unenc1) & 0xFF)
        out.append(b)
        enc2, enc1, unenc1 = enc1, b, byte

    for _ in range((seed & 6) // 2):   # IgnoredEnc
        push(0)
    for byte in struct.pack("<I", len(data)) + data:
        push(byte)
    return bytes(out).hex().upper()


def decrypt(text: str) -> tuple[int, int, bytes]:
    """(version, project key, data): the inverse of encrypt, used to check our output."""
    raw = bytes.fromhex(text)
    seed = raw[0]
    version, key = raw[1] ^ seed, raw[2] ^ seed
    unenc1, enc1, enc2 = key, raw[2], raw[1]
    plain = []
    for b in raw[3:]:
        byte = b ^ ((enc2 + unenc1) & 0xFF)
        plain.append(byte)
        enc2, enc1, unenc1 = enc1, b, byte
    rest = bytes(plain[(seed & 6) // 2:])
    length = struct.unpack_from("<I", rest)[0]
    return version, key, rest[4:4 + length]


# --- 2.3.4.2 dir stream -----------------------------------------------------------

def _rec(rid: int, payload: bytes = b"") -> bytes:
    return struct.pack("<HI", rid, len(payload)) + payload


def _mbcs(s: str) -> bytes:
    return s.encode("cp1252")


def _utf16(s: str) -> bytes:
    return s.encode("utf-16-le")


def dir_stream(project_name: str, modules: list[Module]) -> bytes:
    """The decompressed dir stream: project information, references, modules."""
    out = bytearray()
    out += _rec(0x0001, struct.pack("<I", 1))                   # SYSKIND Win32, as Excel writes
    out += _rec(0x0002, struct.pack("<I", LCID))
    out += _rec(0x0014, struct.pack("<I", LCID))                # LCIDINVOKE
    out += _rec(0x0003, struct.pack("<H", CODEPAGE))
    out += _rec(0x0004, _mbcs(project_name))
    out += _rec(0x0005) + _rec(0x0040)                          # DOCSTRING (+ unicode)
    out += _rec(0x0006) + _rec(0x003D)                          # HELPFILEPATH 1 and 2
    out += _rec(0x0007, struct.pack("<I", 0))                   # HELPCONTEXT
    out += _rec(0x0008, struct.pack("<I", 0))                   # LIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)                # VERSION (Reserved MUST be 4)
    out += _rec(0x000C) + _rec(0x003C)                          # CONSTANTS (+ unicode)
    for name, libid in REFERENCES:
        out += _rec(0x0016, _mbcs(name)) + _rec(0x003E, _utf16(name))
        lib = _mbcs(libid)
        out += _rec(0x000D, struct.pack("<I", len(lib)) + lib + b"\0" * 6)
    out += _rec(0x000F, struct.pack("<H", len(modules)))
    out += _rec(0x0013, struct.pack("<H", 0xFFFF))              # PROJECTCOOKIE
    for m in modules:
        out += _rec(0x0019, _mbcs(m.name)) + _rec(0x0047, _utf16(m.name))
        out += _rec(0x001A, _mbcs(m.name)) + _rec(0x0032, _utf16(m.name))   # stream name
        out += _rec(0x001C) + _rec(0x0048)                      # DOCSTRING
        out += _rec(0x0031, struct.pack("<I", 0))               # MODULEOFFSET: no cache
        out += _rec(0x001E, struct.pack("<I", 0))               # HELPCONTEXT
        out += _rec(0x002C, struct.pack("<H", 0xFFFF))          # MODULECOOKIE
        out += _rec(0x0021 if m.kind == MODULE else 0x0022)
        out += _rec(0x002B)                                     # module terminator
    out += _rec(0x0010)                                         # dir terminator
    return bytes(out)


# --- 2.3.1 PROJECT and 2.3.3 PROJECTwm --------------------------------------------

NOT_PROTECTED = struct.pack("<I", 0)   # CMG data (2.3.1.15)
NO_PASSWORD = b"\x00"                  # DPB data (2.3.1.16)
VISIBLE = b"\xff"                      # GC data (2.3.1.17)

def project_stream(project_name: str, project_id: str, modules: list[Module]) -> bytes:
    lines = [f'ID="{project_id}"']
    for m in modules:
        lines.append({DOCUMENT: f"Document={m.name}/&H00000000",
                      MODULE: f"Module={m.name}", CLASS: f"Class={m.name}"}[m.kind])
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(NOT_PROTECTED, project_id)}"',
        f'DPB="{encrypt(NO_PASSWORD, project_id)}"',
        f'GC="{encrypt(VISIBLE, project_id)}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return _mbcs("\r\n".join(lines) + "\r\n")


def projectwm_stream(modules: list[Module]) -> bytes:
    return b"".join(_mbcs(m.name) + b"\0" + _utf16(m.name) + b"\0\0" for m in modules) + b"\0\0"


def vba_project(modules: list[Module], *, project_name: str,
                project_id: str | None = None) -> bytes:
    """The whole vbaProject.bin compound file for these modules."""
    project_id = project_id or "{" + str(uuid.uuid4()).upper() + "}"
    for m in modules:
        m.name.encode("ascii")                  # module names become stream names
        if m.kind not in (MODULE, CLASS, DOCUMENT):
            raise ValueError(f"{m.name}: unknown module kind {m.kind}")
    if len({m.name.upper() for m in modules}) != len(modules):
        raise ValueError("duplicate module names")
    streams = {
        "PROJECT": project_stream(project_name, project_id, modules),
        "PROJECTwm": projectwm_stream(modules),
        "VBA/_VBA_PROJECT": bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x01, 0x00]),
        "VBA/dir": compress(dir_stream(project_name, modules)),
    }
    for m in modules:
        streams[f"VBA/{m.name}"] = compress(m.source)
    return cfb.write(streams)
