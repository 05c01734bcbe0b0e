"""The bad-input catalogue, one test each, for what tests/test_bad_input.py does not cover.

test_bad_input.py (the parser's own) has empty, whitespace, binary, a non-FRUS HTML page,
a text that is not a cable, cp1252, a UTF-8 BOM, CRLF and a missing path. Here: PNG and
PDF bytes, UTF-16, mixed line endings, no page footer, the page footer alone, and 10 MB.
Each asserts what exactly happens: a Cable with the right fields, or a CableFormatError
whose message says what was expected (and, where one line is at fault, which line).

UTF-16 is read, not refused: a FRUS page saved by Windows Notepad as "Unicode" is UTF-16
with a byte order mark, and the mark makes the encoding certain, so refusing it would
only send a teacher off to convert a file the library can read. Without a mark UTF-16 is
indistinguishable from binary data and is refused as such.
"""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

import pandas as pd
import pytest

import cablelab
from cablelab import CableFormatError

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "data" / "telegram_1379.txt").read_bytes()
SEED_TEXT = SEED.decode("utf-8")
FOOTER = "127 Wall Street, New Haven, CT 06511."


def png_bytes() -> bytes:
    """A real 1x1 PNG image (signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def pdf_bytes() -> bytes:
    """A real one-page PDF whose page shows the telegram's first lines (a compressed stream)."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Telegram 1379 From the Department of State) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def same_document(cable, seed_cable) -> None:
    """The cable reads exactly as the seed does: metadata, blocks, points, footnotes."""
    pd.testing.assert_series_equal(cable.metadata, seed_cable.metadata, check_names=False)
    for name in ("blocks", "paragraphs", "points", "footnotes", "references"):
        pd.testing.assert_frame_equal(getattr(cable, name), getattr(seed_cable, name), obj=name)


def test_png_bytes_are_refused_as_binary_data_not_a_document():
    with pytest.raises(CableFormatError) as caught:
        cablelab.read(png_bytes())
    assert caught.value.line is None
    assert str(caught.value).startswith("expected text, found binary data")


def test_pdf_bytes_are_refused_at_line_1_naming_what_was_expected_and_found():
    with pytest.raises(CableFormatError) as caught:
        cablelab.read(pdf_bytes())
    assert caught.value.line == 1
    assert str(caught.value).startswith("line 1: expected a FRUS document: a heading like 'Telegram From")
    assert str(caught.value).endswith("found '%PDF-1.4'")


def test_utf16_with_a_byte_order_mark_reads_as_the_same_cable(seed_cable):
    for encoding in ("utf-16", "utf-16-be"):
        data = SEED_TEXT.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        same_document(cablelab.read(data), seed_cable)


def test_utf16_without_a_byte_order_mark_is_refused_as_binary_data():
    with pytest.raises(CableFormatError, match="expected text, found binary data") as caught:
        cablelab.read(SEED_TEXT.encode("utf-16-le"))
    assert caught.value.line is None


def test_mixed_line_endings_read_as_the_same_cable_with_the_same_line_numbers(seed_cable):
    endings = ["\r\n", "\n", "\r"]
    lines = SEED_TEXT.split("\n")
    mixed = "".join(line + endings[i % 3] for i, line in enumerate(lines[:-1])) + lines[-1]
    assert "\r\n" in mixed and "\r" in mixed.replace("\r\n", "") and "\n" in mixed.replace("\r\n", "")
    cable = cablelab.read(mixed.encode("utf-8"))
    same_document(cable, seed_cable)
    pd.testing.assert_frame_equal(cable.leftovers, seed_cable.leftovers)


def test_without_its_page_footer_the_cable_reads_the_same_and_sets_nothing_aside_as_a_footer(seed_cable):
    assert SEED_TEXT.rstrip().endswith(FOOTER)
    cable = cablelab.read(SEED_TEXT.rstrip()[: -len(FOOTER)])
    same_document(cable, seed_cable)
    assert "page_footer" not in set(cable.leftovers["kind"])
    assert list(cable.leftovers["text"]) == ["Back"] * 5


def test_the_page_footer_alone_is_refused_at_line_1_naming_the_footer():
    with pytest.raises(CableFormatError) as caught:
        cablelab.read(FOOTER + "\n")
    assert caught.value.line == 1
    message = str(caught.value)
    assert message.startswith("line 1: expected a FRUS document: a heading like 'Telegram From")
    assert message.endswith(f"found only the web page's page footer '{FOOTER}'")


TEN_MB = 10 * 1024 * 1024


def ten_megabytes() -> str:
    """The seed with its body grown to 10 MB: paragraphs 6 to 999, each paragraph 2's text fifteen times."""
    text = SEED_TEXT
    start = text.index("\n2. ") + 4
    paragraph = " ".join([text[start : text.index("\n", start)]] * 15)
    at = text.index("\n\n\n1 Document 210")
    extra = "".join(f"\n\n{number}. {paragraph}" for number in range(6, 1000))
    return text[:at] + extra + text[at:]


def test_a_ten_megabyte_cable_reads_in_under_a_second_with_every_paragraph():
    source = ten_megabytes()
    assert len(source.encode("utf-8")) >= TEN_MB
    cpu, wall = time.process_time(), time.perf_counter()
    cable = cablelab.read(source)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    # CPU time carries the bound, so a busy machine does not fail it; wall time a generous one.
    assert cpu < 1.0 and wall < 5.0, f"reading 10 MB took {cpu:.2f} s CPU, {wall:.2f} s"
    assert cable.metadata["number"] == "1379"
    assert cable.metadata["date"] == pd.Timestamp("1962-11-26 21:28")
    assert cable.paragraphs["paragraph"].dropna().astype(int).tolist() == list(range(1, 1000))
    assert cable.footnotes["number"].tolist() == [1, 2, 3, 4, 5]


def test_ten_megabytes_of_prose_that_is_not_a_cable_are_refused_at_line_1_within_a_second():
    line = "The quick brown fox jumps over the lazy dog. " * 20 + "\n"
    source = line * (10 * 1024 * 1024 // len(line) + 1)
    cpu = time.process_time()
    with pytest.raises(CableFormatError) as caught:
        cablelab.read(source)
    cpu = time.process_time() - cpu
    assert cpu < 1.0, f"refusing 10 MB took {cpu:.2f} s CPU"
    assert caught.value.line == 1
    assert str(caught.value).endswith("found 'The quick brown fox jumps over the lazy dog. The quick brow…'")
