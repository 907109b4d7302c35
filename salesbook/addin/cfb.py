"""A minimal [MS-CFB] version 3 compound file writer (the container of vbaProject.bin).

Only what a VBA project needs: storages and streams written once, 512-byte sectors,
a mini stream for streams under 4096 bytes, no DIFAT sectors (up to ~7 MB of data).
olefile cannot create streams and the other writers are AGPL, hence this module.
"""
from __future__ import annotations

import struct

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
MAX_HEADER_FAT = 109          # FAT sector locations that fit in the header's DIFAT

STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b""):
        if len(name) > 31 or any(c in name for c in "/\\:!"):
            raise ValueError(f"invalid compound file entry name: {name!r}")
        self.name, self.kind, self.data = name, kind, data
        self.children: dict[str, _Entry] = {}
        self.id = 0
        self.left = self.right = self.child = NOSTREAM
        self.color = BLACK
        self.start, self.size = ENDOFCHAIN, 0


def _sort_key(name: str):
    # [MS-CFB] 2.6.4: shorter names first, then code point order of the upper-cased name.
    return (len(name), name.upper())


def _link_siblings(entries: list[_Entry]) -> int:
    """Make a red-black tree of one storage's children; return the root's id.

    A midpoint-split tree is full on every level but the last, so colouring only the
    last level red (never the root) gives equal black height on every path.
    """
    entries = sorted(entries, key=lambda e: _sort_key(e.name))
    if not entries:
        return NOSTREAM
    height = len(entries).bit_length()       # levels of the midpoint tree

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        e = entries[mid]
        e.color = RED if depth == height - 1 and depth > 0 else BLACK
        e.left = build(lo, mid, depth + 1)
        e.right = build(mid + 1, hi, depth + 1)
        return e.id

    return build(0, len(entries), 0)


def _sectors(n_bytes: int, size: int) -> int:
    return -(-n_bytes // size)


def _dir_entry(e: _Entry | None) -> bytes:
    if e is None:  # unused slot
        return b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) \
            + b"\0" * 36 + struct.pack("<IQ", 0, 0)
    name = (e.name + "\0").encode("utf-16-le")
    return (name.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(name), e.kind, e.color, e.left, e.right, e.child)
            + b"\0" * 16          # CLSID
            + b"\0" * 4           # state bits
            + b"\0" * 16          # creation and modification times (zero is allowed)
            + struct.pack("<IQ", e.start, e.size))


def write(streams: dict[str, bytes]) -> bytes:
    """Build a compound file from {"Storage/Sub/Stream": bytes}; storages are implied."""
    root = _Entry("Root Entry", ROOT)
    for path, data in streams.items():
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            node = node.children.setdefault(part, _Entry(part, STORAGE))
            if node.kind != STORAGE:
                raise ValueError(f"{path}: {part} is a stream")
        if parts[-1] in node.children:
            raise ValueError(f"duplicate stream {path}")
        node.children[parts[-1]] = _Entry(parts[-1], STREAM, bytes(data))

    # Directory order: breadth first from the root (ids are only references).
    order, queue = [], [root]
    while queue:
        node = queue.pop(0)
        node.id = len(order)
        order.append(node)
        queue.extend(sorted(node.children.values(), key=lambda e: _sort_key(e.name)))
    for node in order:
        if node.kind != STREAM:
            node.child = _link_siblings(list(node.children.values()))
    root.color = BLACK

    # Small streams live in the mini stream (64-byte mini sectors, own mini FAT).
    mini_fat: list[int] = []
    mini_stream = bytearray()
    big = []
    for e in order:
        if e.kind != STREAM:
            continue
        e.size = len(e.data)
        if e.size == 0:
            e.start = ENDOFCHAIN
        elif e.size < MINI_CUTOFF:
            n = _sectors(e.size, MINI_SECTOR)
            e.start = len(mini_fat)
            mini_fat.extend(range(e.start + 1, e.start + n))
            mini_fat.append(ENDOFCHAIN)
            mini_stream += e.data.ljust(n * MINI_SECTOR, b"\0")
        else:
            big.append(e)

    n_dir = _sectors(len(order) * 128, SECTOR)
    n_minifat = _sectors(len(mini_fat) * 4, SECTOR)
    n_ministream = _sectors(len(mini_stream), SECTOR)
    n_data = n_dir + n_minifat + n_ministream + sum(_sectors(e.size, SECTOR) for e in big)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_data:     # the FAT also maps its own sectors
        n_fat += 1
    if n_fat > MAX_HEADER_FAT:
        raise ValueError("compound file too large for a header-only DIFAT")

    fat = [FATSECT] * n_fat
    body = bytearray()

    def place(data: bytes) -> int:
        n = _sectors(len(data), SECTOR)
        if n == 0:
            return ENDOFCHAIN
        start = len(fat)
        fat.extend(range(start + 1, start + n))
        fat.append(ENDOFCHAIN)
        body.extend(bytes(data).ljust(n * SECTOR, b"\0"))
        return start

    # The directory is written last but its sectors are reserved first so the header
    # can point at them; entries need the start sectors computed below.
    dir_start = len(fat)
    fat.extend(range(dir_start + 1, dir_start + n_dir))
    fat.append(ENDOFCHAIN)
    body.extend(b"\0" * (n_dir * SECTOR))

    minifat_start = place(b"".join(struct.pack("<I", x) for x in mini_fat))
    root.start = place(bytes(mini_stream))
    root.size = len(mini_stream)
    for e in big:
        e.start = place(e.data)

    directory = b"".join(_dir_entry(e) for e in order)
    directory = directory + b"".join(_dir_entry(None) for _ in range(n_dir * 4 - len(order)))
    offset = (dir_start - n_fat) * SECTOR
    body[offset:offset + len(directory)] = directory

    fat.extend([FREESECT] * (n_fat * (SECTOR // 4) - len(fat)))
    fat_bytes = b"".join(struct.pack("<I", x) for x in fat)
    difat = list(range(n_fat)) + [FREESECT] * (MAX_HEADER_FAT - n_fat)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, MINI_CUTOFF,
                            minifat_start, n_minifat, ENDOFCHAIN, 0)
              + b"".join(struct.pack("<I", x) for x in difat))
    assert len(header) == SECTOR
    return header + fat_bytes + bytes(body)
