"""The MS-CFB writer, checked by an independent reader (olefile, strict) and the spec's tree rules."""
import io
import random
import struct

import olefile
import pytest

from salesbook.addin import cfb


def _open_strict(data: bytes) -> olefile.OleFileIO:
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_UNSURE)
    assert ole.parsing_issues == []
    return ole


def _streams(seed=1):
    rnd = random.Random(seed)
    out = {
        "PROJECT": b"ID=\"{x}\"\r\n" * 10,
        "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x01\x00",
        "VBA/edge_4095": bytes(rnd.randrange(256) for _ in range(4095)),
        "VBA/edge_4096": bytes(rnd.randrange(256) for _ in range(4096)),
        "VBA/big": bytes(rnd.randrange(256) for _ in range(70_000)),
        "VBA/empty": b"",
        "Other/Deeper/leaf": b"leaf",
    }
    for i in range(23):
        out[f"VBA/Module{i}"] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 3000)))
    return out


def test_every_stream_reads_back_identically_in_strict_mode():
    streams = _streams()
    ole = _open_strict(cfb.write(streams))
    for path, data in streams.items():
        assert ole.exists(path)
        assert ole.openstream(path).read() == data, path
    assert sorted("/".join(p) for p in ole.listdir()) == sorted(streams)


def test_header_is_version_3_with_512_byte_sectors():
    data = cfb.write({"a": b"x"})
    minor, major = struct.unpack_from("<HH", data, 0x18)
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    assert (major, minor) == (3, 0x3E)
    assert struct.unpack_from("<HH", data, 0x1E) == (9, 6)
    assert len(data) % 512 == 0


def _directory(data: bytes):
    ole = _open_strict(data)
    return ole, ole.direntries


def _check_tree(entries, root_id):
    """BST order by (length, upper name), no red node with a red child, equal black height."""
    def walk(i, lo, hi):
        if i == cfb.NOSTREAM:
            return 1
        e = entries[i]
        key = cfb._sort_key(e.name)
        assert (lo is None or lo < key) and (hi is None or key < hi)
        if e.color == cfb.RED:
            for c in (e.sid_left, e.sid_right):
                assert c == cfb.NOSTREAM or entries[c].color == cfb.BLACK
        left, right = walk(e.sid_left, lo, key), walk(e.sid_right, key, hi)
        assert left == right
        return left + (e.color == cfb.BLACK)

    if root_id != cfb.NOSTREAM:
        assert entries[root_id].color == cfb.BLACK
    walk(root_id, None, None)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 40])
def test_sibling_trees_are_red_black(n):
    names = [f"S{'x' * (i % 5)}{i}" for i in range(n)]
    _, entries = _directory(cfb.write({f"VBA/{name}": b"d" for name in names}))
    vba = next(e for e in entries if e is not None and e.name == "VBA")
    _check_tree(entries, vba.sid_child)
    _check_tree(entries, entries[0].sid_child)


def test_deterministic_and_rejects_bad_names():
    assert cfb.write(_streams()) == cfb.write(_streams())
    with pytest.raises(ValueError):
        cfb.write({"x" * 32: b""})
    with pytest.raises(ValueError):
        cfb.write({"a": b"1", "a/b": b"2"})
