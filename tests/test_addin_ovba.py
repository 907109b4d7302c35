"""MS-OVBA pieces, checked against oletools' independent implementation and Excel's own output."""
import random
import struct

import pytest
from oletools.olevba import decompress_stream

from salesbook.addin import ovba


def _roundtrip(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(ovba.compress(data))))


@pytest.mark.parametrize("size", [0, 1, 2, 3, 17, 4095, 4096, 4097, 8192, 12_345])
def test_text_decompresses_exactly_across_chunk_boundaries(size):
    rnd = random.Random(size)
    words = [b"Dim ", b"As String", b"\r\n", b"    ", b"RunPython ", b"End Sub", b"x", b"'"]
    data = b"".join(rnd.choice(words) for _ in range(size))[:size]
    assert _roundtrip(data) == data


def test_long_runs_use_overlapping_copies_and_stay_exact():
    data = b"a" * 10_000 + b"ab" * 3000 + b"\r\n" * 2049
    packed = ovba.compress(data)
    assert len(packed) < len(data) // 20
    assert _roundtrip(data) == data


def test_incompressible_full_chunks_become_raw_chunks():
    rnd = random.Random(7)
    data = bytes(rnd.randrange(256) for _ in range(4096 * 2 + 1000))
    packed = ovba.compress(data)
    header = struct.unpack_from("<H", packed, 1)[0]
    assert header & 0x8000 == 0 and header & 0x0FFF == 4095      # raw chunk of 4096 bytes
    assert _roundtrip(data) == data


def test_decrypt_reads_excel_written_values():
    """xlwings' quickstart add-in was saved by Excel: its CMG/DPB/GC are real test vectors."""
    import zipfile, io, olefile, re
    from pathlib import Path
    import xlwings
    xlam = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    ole = olefile.OleFileIO(io.BytesIO(zipfile.ZipFile(xlam).read("xl/vbaProject.bin")))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    pid = re.search(r'ID="(\{.*?\})"', text).group(1)
    values = dict(re.findall(r'^(CMG|DPB|GC)="([0-9A-F]+)"', text, re.M))
    key = sum(pid.encode()) & 0xFF
    assert ovba.decrypt(values["CMG"]) == (2, key, b"\0\0\0\0")
    assert ovba.decrypt(values["DPB"]) == (2, key, b"\0")
    assert ovba.decrypt(values["GC"]) == (2, key, b"\xff")


@pytest.mark.parametrize("seed", [0, 1, 2, 6, 7, 0x5D, 0xFF])
def test_encrypt_round_trips_for_every_ignored_length(seed):
    pid = "{318BEE36-5BE1-492A-826D-473DB19B0F30}"
    for data in (b"\0\0\0\0", b"\0", b"\xff"):
        text = ovba.encrypt(data, pid, seed=seed)
        assert text == text.upper() and len(text) == 2 * (3 + (seed & 6) // 2 + 4 + len(data))
        assert ovba.decrypt(text) == (2, sum(pid.encode()) & 0xFF, data)


def test_rejects_duplicate_or_unknown_modules():
    m = ovba.Module("A", ovba.MODULE, b'Attribute VB_Name = "A"\r\n')
    with pytest.raises(ValueError):
        ovba.vba_project([m, ovba.Module("a", ovba.MODULE, b"")], project_name="p")
    with pytest.raises(ValueError):
        ovba.vba_project([ovba.Module("B", "form", b"")], project_name="p")
