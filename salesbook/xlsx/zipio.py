"""Minimal zip reader/writer that copies untouched members' compressed bytes as they are.

Python's zipfile can only write a member by (re)compressing it, so copying a user's 19 MB
workbook through it would recompress every part (slow, and the deflate output would differ
from what Excel wrote). Here untouched members are copied raw: their local data (compressed
bytes, CRC, sizes, method, timestamp, flags, name) goes into the new zip unchanged, so the
member's stored bytes are identical. New or changed members are deflated with fixed
timestamps so the same inputs give the same file.
"""
from __future__ import annotations

import struct
import zlib
import zipfile
from typing import BinaryIO, Iterable

# Fixed timestamp of every member salesbook writes (determinism): 2020-01-01 00:00:00.
FIXED_DATE_TIME = (2020, 1, 1, 0, 0, 0)
# Parts above this size are deflated at level 1: the 60 MB XML of a big sheet takes ~4x
# longer at level 6 for a ~15% smaller part (measured, see benchmarks/bench_writer.py).
BIG_PART = 4 << 20
LEVEL_SMALL, LEVEL_BIG = 6, 1
BLOCK = 4 << 20          # big parts are deflated in blocks of this size, two at a time
BLOCK_WORKERS = 2
WINDOW = 32 << 10        # deflate's window: each block is primed with the 32 KB before it

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_LIMIT = 0xFFFFFFFF


def member_data_offset(fp: BinaryIO, info: zipfile.ZipInfo) -> int:
    """Offset of a member's compressed bytes (after its local header)."""
    fp.seek(info.header_offset)
    local = fp.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    n, m = struct.unpack("<2H", local[26:30])
    return info.header_offset + 30 + n + m


def read_raw(fp: BinaryIO, info: zipfile.ZipInfo, *, check_crc: bool = True) -> bytes:
    """A member's bytes, inflated here: never more than its declared size is produced (a member
    that inflates to more, or to less, is damaged), and the CRC is checked unless told not to."""
    if info.flag_bits & 0x1:
        raise zipfile.BadZipFile(f"{info.filename} is encrypted")
    fp.seek(member_data_offset(fp, info))
    comp = fp.read(info.compress_size)
    if len(comp) < info.compress_size:
        raise zipfile.BadZipFile(f"truncated member {info.filename}")
    if info.compress_type == zipfile.ZIP_STORED:
        data = comp
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        d = zlib.decompressobj(-15)
        data = d.decompress(comp, info.file_size + 1)
        if len(data) <= info.file_size:
            rest = d.flush()
            if rest:   # (a += on a 60 MB bytes would copy it)
                data += rest
    else:
        raise zipfile.BadZipFile(f"{info.filename}: unsupported compression method {info.compress_type}")
    if len(data) != info.file_size:
        raise zipfile.BadZipFile(f"{info.filename}: inflates to another size than declared")
    if check_crc and zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"bad CRC-32 for {info.filename}")
    return data


def _deflate(chunks: Iterable[bytes], write) -> tuple[int, int, int]:
    """One deflate stream at LEVEL_SMALL; returns (crc, size, compressed size)."""
    comp = zlib.compressobj(LEVEL_SMALL, zlib.DEFLATED, -15)
    crc = usize = csize = 0
    for chunk in chunks:
        if not chunk:
            continue
        crc = zlib.crc32(chunk, crc)
        usize += len(chunk)
        out = comp.compress(chunk)
        csize += len(out)
        write(out)
    out = comp.flush()
    write(out)
    return crc, usize, csize + len(out)


def _deflate_block(data: memoryview, previous: bytes, last: bool) -> bytes:
    """One block of a big part, primed with the 32 KB before it (so matches may reach back)
    and ended byte-aligned (sync flush), so the blocks' bytes simply follow each other."""
    comp = zlib.compressobj(LEVEL_BIG, zlib.DEFLATED, -15, zdict=previous) if previous else \
        zlib.compressobj(LEVEL_BIG, zlib.DEFLATED, -15)
    return comp.compress(data) + comp.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def _deflate_blocks(chunks: Iterable[bytes], write) -> tuple[int, int, int]:
    """A big part deflated as BLOCK-sized pieces on two threads (zlib releases the GIL), the
    way pigz does; the bytes depend only on the data, so the output stays deterministic.
    Blocks are zero-copy slices of the incoming chunks where they are big enough."""
    from concurrent.futures import ThreadPoolExecutor

    crc = usize = 0
    csize = [0]
    carry = b""              # start of the next block, from the end of the previous chunk
    previous = b""
    pending: list = []
    with ThreadPoolExecutor(BLOCK_WORKERS) as pool:
        def submit(block, last: bool) -> None:
            nonlocal previous
            pending.append(pool.submit(_deflate_block, block, previous, last))
            previous = bytes(block[-WINDOW:])
            while len(pending) > (0 if last else BLOCK_WORKERS):
                out = pending.pop(0).result()
                csize[0] += len(out)
                write(out)

        for chunk in chunks:
            if not chunk:
                continue
            crc = zlib.crc32(chunk, crc)
            usize += len(chunk)
            view = memoryview(chunk)
            if carry:
                need = BLOCK - len(carry)
                carry += bytes(view[:need])
                view = view[need:]
                if len(carry) < BLOCK or not len(view):
                    continue
                submit(carry, False)
                carry = b""
            while len(view) > BLOCK:
                submit(view[:BLOCK], False)
                view = view[BLOCK:]
            carry = bytes(view)
        submit(carry, True)
    return crc, usize, csize[0]


def _dos(date_time) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return ((y - 1980) << 9) | (mo << 5) | d, (h << 11) | (mi << 5) | (s // 2)


class ZipSink:
    """Writes members sequentially to a seekable file; `close()` writes the central directory."""

    def __init__(self, fp: BinaryIO):
        self.fp = fp
        self.entries: list[tuple] = []

    def _header(self, name: bytes, flags: int, method: int, date_time, crc: int, csize: int, usize: int) -> None:
        d, t = _dos(date_time)
        self.fp.write(_LOCAL.pack(b"PK\x03\x04", 20, flags, method, t, d, crc, csize, usize, len(name), 0))
        self.fp.write(name)

    def copy_raw(self, fp: BinaryIO, info: zipfile.ZipInfo) -> None:
        """Copy one member's compressed bytes from the source zip file `fp` without decompressing them."""
        if info.compress_size > _LIMIT or info.file_size > _LIMIT:
            raise zipfile.LargeZipFile(f"zip member too large for this writer: {info.filename}")
        offset = self.fp.tell()
        name = info.filename.encode("utf-8")
        # bit 3 (data descriptor) is dropped: sizes and CRC are known and go in the header.
        flags = (info.flag_bits & ~0x08) | 0x800
        self._header(name, flags, info.compress_type, info.date_time, info.CRC, info.compress_size, info.file_size)
        fp.seek(member_data_offset(fp, info))
        left = info.compress_size
        while left:
            chunk = fp.read(min(left, 1 << 20))
            if not chunk:
                raise zipfile.BadZipFile(f"truncated member {info.filename}")
            self.fp.write(chunk)
            left -= len(chunk)
        self.entries.append((name, flags, info.compress_type, info.date_time, info.CRC, info.compress_size,
                             info.file_size, info.external_attr, offset))

    def write(self, name: str, chunks: Iterable[bytes] | bytes, *, size_hint: int = 0) -> None:
        """Deflate a new member from bytes or an iterable of byte chunks (streamed)."""
        if isinstance(chunks, (bytes, bytearray, memoryview)):
            size_hint = len(chunks)
            chunks = (chunks,)
        offset = self.fp.tell()
        bname = name.encode("utf-8")
        flags = 0x800
        self._header(bname, flags, zipfile.ZIP_DEFLATED, FIXED_DATE_TIME, 0, 0, 0)
        if size_hint > BIG_PART:
            crc, usize, csize = _deflate_blocks(chunks, self.fp.write)
        else:
            crc, usize, csize = _deflate(chunks, self.fp.write)
        if usize > _LIMIT or csize > _LIMIT:
            raise zipfile.LargeZipFile(f"zip member too large for this writer: {name}")
        end = self.fp.tell()
        self.fp.seek(offset)
        self._header(bname, flags, zipfile.ZIP_DEFLATED, FIXED_DATE_TIME, crc, csize, usize)
        self.fp.seek(end)
        self.entries.append((bname, flags, zipfile.ZIP_DEFLATED, FIXED_DATE_TIME, crc, csize, usize,
                             0o600 << 16, offset))

    def written(self) -> dict[str, tuple[int, int]]:
        """member -> (CRC-32, size) of everything written so far."""
        return {e[0].decode("utf-8"): (e[4], e[6]) for e in self.entries}

    def close(self) -> None:
        """Write the central directory and the end record."""
        start = self.fp.tell()
        for name, flags, method, date_time, crc, csize, usize, attr, offset in self.entries:
            d, t = _dos(date_time)
            self.fp.write(_CENTRAL.pack(b"PK\x01\x02", 20, 20, flags, method, t, d, crc, csize, usize,
                                        len(name), 0, 0, 0, 0, attr, offset))
            self.fp.write(name)
        end = self.fp.tell()
        if end > _LIMIT or len(self.entries) > 0xFFFF:
            raise zipfile.LargeZipFile("workbook too large for this writer (zip64 needed)")
        n = len(self.entries)
        self.fp.write(_END.pack(b"PK\x05\x06", 0, 0, n, n, end - start, start, 0))
