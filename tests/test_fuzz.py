"""Fuzzing the reader: whatever the bytes, a Cable whose frames all build, or a CableFormatError.

Mutations of the seed (data/telegram_1379.txt), of the parser's fixture documents
(tests/fixtures/docs: Avalon and history.state.gov HTML pages, TEI XML, text variants) and of
the corpus documents (../shared/corpus; that test skips where the corpus is absent, the
others still run): lines dropped,
duplicated, swapped, shuffled, truncated, bytes flipped, very long lines, junk and
document-shaped tokens ("(a)", "Back", a dateline, a BOM, a CR, tags) inserted, numbers
changed (to 0, 13, 0962, 5,000 nines ...), a line's case changed, two documents spliced. Each input
must finish within 2 s of CPU time plus 8 s per megabyte and give either a Cable whose metadata and every
frame of schema.FRAMES build with their documented columns, or a CableFormatError with a
message; any other exception is a bug.

Profiles (registered here, not in a conftest, and applied to these tests only):
- ``ci`` (the default): a fixed number of examples, derandomized, no example database,
  so `make test` is reproducible and bounded;
- ``long`` (``CABLELAB_FUZZ=long``, `make fuzz`): >= 10,000 fresh random inputs.
``CABLELAB_FUZZ_EXAMPLES=N`` overrides the examples per test of either profile.

Pathological inputs (one huge line, 100,000 "(a)" markers, thousands of numbered lines,
a megabyte of one character) are at the end: a guard against regular expressions that
backtrack catastrophically or scan quadratically, not a benchmark.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import cablelab
from cablelab import CableFormatError
from cablelab.schema import FRAMES, METADATA

ROOT = Path(cablelab.__file__).resolve().parents[2]
SEED = (ROOT / "data" / "telegram_1379.txt").read_bytes()
# The parser's own small documents: Avalon and history.state.gov HTML pages, TEI XML, text variants.
FIXTURE_DOCUMENTS = [
    path.read_bytes() for path in sorted((ROOT / "tests" / "fixtures" / "docs").glob("*")) if path.suffix in {".txt", ".html", ".xml"}
]

# The time bound per input is CPU time of this process (checked in `check`), not hypothesis's
# wall-clock deadline: on a shared machine under load a fast input can take seconds of wall
# time, which would make the deadline flaky. It grows with the input (a megabyte of dates is
# a hundred thousand rows to build), so it allows linear work and catches superlinear work:
# the quadratic sentence copying this fuzzing found took 14 s on half a megabyte.
CPU_SECONDS = 2.0
CPU_SECONDS_PER_MB = 8.0
WALL_FACTOR = 10.0  # a generous wall bound on top, which catches waiting rather than working
MAX_INPUT = 2_000_000  # bytes; larger inputs are cut here (the 10 MB cases have their own tests)
_COMMON = dict(
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
# No shrinking under `ci`: a slow input would be re-run for minutes; the input is saved instead.
settings.register_profile(
    "ci", max_examples=1000, derandomize=True, phases=[Phase.explicit, Phase.generate], **_COMMON
)
# `make fuzz` runs >= 10,000 inputs: 4,000 for each of the three tests, or 6,000 for each of the
# two that run when the corpus is absent (its test then skips).
LONG_EXAMPLES = 4000 if (ROOT.parent / "shared" / "corpus").is_dir() else 6000
settings.register_profile("long", max_examples=LONG_EXAMPLES, derandomize=False, **_COMMON)
PROFILE = os.environ.get("CABLELAB_FUZZ", "ci")
FUZZ = settings(
    settings.get_profile(PROFILE),
    **({"max_examples": int(os.environ["CABLELAB_FUZZ_EXAMPLES"])} if os.environ.get("CABLELAB_FUZZ_EXAMPLES") else {}),
)
# Where an input that failed (or ran past the deadline) is written, to reproduce it by hand.
FAILURES = ROOT / "build" / "fuzz-failures"

# Pieces of a document's shape, so mutations reach the parser's deeper states.
TOKENS = [
    b"(a)", b"(b) ", b"(1)", b"(12)", b"1. ", b"99. ", b"0. ", b"Back", b" Back\n", b"Source: ",
    b"Washington, November 26, 1962, 9:28 p.m.", b"New York, October 31, 1962, 10 p.m.\n",
    b"Telegram From the Department of State to the Mission to the United Nations\n",
    b"Memorandum From President Kennedy to Secretary of Defense McNamara\n",
    b"The Cuban Missile Crisis\n", b"Logo\n", b"252.\n", b"[Page 641]", b"SUBJECT\n", b"Subject: ",
    b"Drafted by ", b"Received ", b"For Stevenson and McCloy. ", b"urtel 1941", b"Deptel 1359",
    b"Document 207.", b"today", b"November 20", b"127 Wall Street, New Haven, CT 06511.",
    b"\r", b"\r\n", b"\n\n\n", b"\t", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe2\x80\x9c",
    b"\x93", b"\xc3", b"<html><body>", b"</p><p>", b"<script>", b"&amp;", b"\xe2\x80\xa8", b"\x0c",
    b"<p>", b"</div>", b'<div id="d212">', b"<li>", b'<ol start="0">', b'<li value="x">', b"<br/>",
    b'<div type="document" xml:id="d1">', b'<note n="1">', b"</TEI>", b"<!--", b"-->", b"<![CDATA[",
    b"&#0;", b"&#x110000;", b"&bogus;", b"<a href=\"#fnref1\">", b"history.state.gov", b"avalon",
]

inputs_run = {"count": 0, "seconds": 0.0}


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _span(draw, size: int) -> tuple[int, int]:
    start = draw(st.integers(0, max(size - 1, 0)))
    return start, draw(st.integers(start, min(size, start + 12)))


def drop_lines(draw, data):
    lines = _lines(data)
    start, end = _span(draw, len(lines))
    return b"".join(lines[:start] + lines[end:])


def duplicate_lines(draw, data):
    lines = _lines(data)
    start, end = _span(draw, len(lines))
    times = draw(st.integers(1, 50))
    return b"".join(lines[:end] + lines[start:end] * times + lines[end:])


def swap_lines(draw, data):
    lines = _lines(data)
    i, j = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def shuffle_lines(draw, data):
    lines = _lines(data)
    start, end = _span(draw, len(lines))
    middle = lines[start:end]
    draw(st.randoms(use_true_random=False)).shuffle(middle)
    return b"".join(lines[:start] + middle + lines[end:])


def truncate(draw, data):
    return data[: draw(st.integers(0, len(data)))]


def flip_bytes(draw, data):
    if not data:
        return data
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 16))):
        position = draw(st.integers(0, len(buffer) - 1))
        buffer[position] ^= 1 << draw(st.integers(0, 7))
    return bytes(buffer)


def long_line(draw, data):
    unit = draw(st.sampled_from(TOKENS + [b"word ", b"x", b" ", b"1", b"(", b"Soviets ", b"."]))
    line = unit.replace(b"\n", b" ") * draw(st.integers(100, 20_000))
    at = draw(st.integers(0, len(data)))
    return data[:at] + b"\n" + line + b"\n" + data[at:]


def insert_junk(draw, data):
    junk = draw(st.binary(max_size=200) | st.text(max_size=100).map(lambda s: s.encode("utf-8", "surrogatepass")))
    at = draw(st.integers(0, len(data)))
    return data[:at] + junk + data[at:]


def insert_token(draw, data):
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.sampled_from(TOKENS)) + data[at:]


NUMBERS = [b"0", b"00", b"-1", b"13", b"32", b"1962", b"0962", b"99999", b"2147483648", b"9" * 5000]
_NUMBER = re.compile(rb"\d+")


def change_number(draw, data):
    """A number of the document (a day, a year, a telegram, a footnote) replaced by an odd one."""
    found = [m.span() for m in _NUMBER.finditer(data[:200_000])]
    if not found:
        return data
    start, end = draw(st.sampled_from(found))
    return data[:start] + draw(st.sampled_from(NUMBERS)) + data[end:]


def cr_line_endings(draw, data):
    """Classic Mac line endings: every CRLF and LF a lone CR."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")


def one_line(draw, data):
    """The document pasted as one line: every line break a space."""
    return data.replace(b"\r\n", b" ").replace(b"\n", b" ").replace(b"\r", b" ")


def change_case(draw, data):
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    lines[i] = draw(st.sampled_from([bytes.upper, bytes.lower, bytes.title, bytes.swapcase]))(lines[i])
    return b"".join(lines)


MUTATIONS = [drop_lines, duplicate_lines, swap_lines, shuffle_lines, truncate, flip_bytes,
             long_line, insert_junk, insert_token, change_number, change_case, cr_line_endings, one_line]


class Documents:
    """The documents mutations start from, with a short repr (a failure report names, not prints, them)."""

    def __init__(self, items: list[bytes]) -> None:
        self.items = list(items)

    def __repr__(self) -> str:
        return f"<{len(self.items)} documents>"


class Mutant:
    """A mutated document, with a short repr: a failing example is named, not printed whole."""

    def __init__(self, source: bytes | str, steps: list[str]) -> None:
        self.source = source
        self.steps = steps

    @property
    def data(self) -> bytes:
        return self.source.encode("utf-8", "surrogatepass") if isinstance(self.source, str) else self.source

    @property
    def digest(self) -> str:
        return hashlib.sha1(self.data).hexdigest()[:12]

    def __repr__(self) -> str:
        kind = "text" if isinstance(self.source, str) else "bytes"
        return f"<{kind}, {len(self.source):,} long, sha1 {self.digest}, via {' + '.join(self.steps)}>"


@st.composite
def mutated(draw, documents: "list[bytes] | Documents") -> Mutant:
    """A document (sometimes two spliced), mutated one to five times, as bytes or as text (a
    ``str``, which ``read`` must tell from a path however it is laid out)."""
    choices = documents.items if isinstance(documents, Documents) else documents
    data = draw(st.sampled_from(choices))
    steps = []
    if len(choices) > 1 and draw(st.integers(0, 9)) == 0:
        other = draw(st.sampled_from(choices))
        data = data[: draw(st.integers(0, len(data)))] + other[draw(st.integers(0, len(other))) :]
        steps.append("splice")
    for _ in range(draw(st.integers(1, 5))):
        mutation = draw(st.sampled_from(MUTATIONS))
        data = mutation(draw, data)[:MAX_INPUT]
        steps.append(mutation.__name__)
    if draw(st.booleans()):
        return Mutant(data.decode("utf-8", "replace"), steps)
    return Mutant(data, steps)


def read_fully(source):
    """A Cable with its metadata and every frame built, or the CableFormatError raised."""
    try:
        cable = cablelab.read(source)
    except CableFormatError as err:
        assert str(err).strip(), "a CableFormatError needs a message"
        return err
    metadata = cable.metadata
    assert set(column.name for column in METADATA) <= set(metadata.index)
    for name, columns in FRAMES.items():
        frame = getattr(cable, name)
        assert list(frame.columns) == [column.name for column in columns], name
    return cable


def save(mutant: Mutant) -> Path:
    FAILURES.mkdir(parents=True, exist_ok=True)
    path = FAILURES / f"{mutant.digest}.{'txt' if isinstance(mutant.source, str) else 'bin'}"
    path.write_bytes(mutant.data)
    return path


def check(mutant: Mutant) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        read_fully(mutant.source)
    except BaseException as err:
        err.add_note(f"input saved to {save(mutant)}")
        raise
    finally:
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        inputs_run["count"] += 1
        inputs_run["seconds"] += wall
    bound = CPU_SECONDS + CPU_SECONDS_PER_MB * len(mutant.data) / 1e6
    if cpu >= bound or wall >= WALL_FACTOR * bound:
        raise AssertionError(f"{mutant!r} took {cpu:.2f} s CPU, {wall:.2f} s (bound {bound:.1f} s); input saved to {save(mutant)}")


@pytest.fixture(scope="module", autouse=True)
def report_inputs_run(request):
    """Say, once the module is done, how many inputs ran (the figure `make fuzz` prints)."""
    cablelab.load()  # warm the lazy imports and caches so the first example meets the deadline
    started = time.perf_counter()
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    line = (
        f"fuzz ({PROFILE} profile): {inputs_run['count']:,} inputs ran, "
        f"{inputs_run['seconds']:.1f} s reading them, {time.perf_counter() - started:.1f} s in all"
    )
    if reporter and capture and inputs_run["count"]:
        with capture.global_and_fixture_disabled():  # teardown output is captured otherwise
            reporter.write_line("\n" + line)


@pytest.mark.slow
@FUZZ
@given(mutant=mutated([SEED]))
def test_any_mutation_of_the_seed_reads_or_fails_with_a_cable_format_error(mutant):
    check(mutant)


@pytest.mark.slow
@FUZZ
@given(mutant=mutated(FIXTURE_DOCUMENTS or [SEED]))
def test_any_mutation_of_an_html_tei_or_text_fixture_reads_or_fails_with_a_cable_format_error(mutant):
    check(mutant)


@pytest.fixture(scope="module")
def corpus_documents(corpus_dir: Path) -> Documents:
    return Documents(path.read_bytes() for path in sorted(corpus_dir.glob("*.txt")))


# The corpus documents are the real ones a class reads: 1,500 of their mutations under `ci`.
CORPUS_FUZZ = settings(FUZZ, max_examples=1500) if PROFILE == "ci" and not os.environ.get("CABLELAB_FUZZ_EXAMPLES") else FUZZ


@pytest.mark.slow
@CORPUS_FUZZ
@given(data=st.data())
def test_any_mutation_of_a_corpus_document_reads_or_fails_with_a_cable_format_error(corpus_documents, data):
    check(data.draw(mutated(corpus_documents), label="mutant"))


def _catalogue() -> dict[str, bytes | str]:
    """Every input of the bad-input catalogue (tests/test_bad_input.py, tests/test_catalogue.py)."""
    from test_catalogue import FOOTER, pdf_bytes, png_bytes

    seed = SEED.decode("utf-8")
    return {
        "empty": b"",
        "whitespace": "   \n\t\n   \n",
        "whitespace bytes": b" \r\n\t \n",
        "binary": bytes(range(256)) * 8,
        "png": png_bytes(),
        "pdf": pdf_bytes(),
        "html not frus": "<!DOCTYPE html><html><head><title>Bake Sale</title></head><body><h1>Cakes</h1></body></html>",
        "html weather": "<html><body><h1>Weather</h1><p>Sunny.</p></body></html>",
        "shopping list": "\n\nShopping list\n\nEggs, flour and sugar for the weekend.\n",
        "cp1252": seed.replace('"', "\u201c").encode("cp1252", "replace"),
        "utf-8 bom": b"\xef\xbb\xbf" + SEED,
        "crlf": SEED.replace(b"\n", b"\r\n"),
        "utf-16 bom": seed.encode("utf-16"),
        "utf-16 bom odd byte": seed.encode("utf-16") + b"\x00",
        "utf-16 no bom": seed.encode("utf-16-le"),
        "mixed endings": b"".join(line + (b"\r\n", b"\r", b"\n")[i % 3] for i, line in enumerate(SEED.split(b"\n"))),
        "no footer": seed.replace(FOOTER, ""),
        "footer alone": FOOTER + "\n",
        "prose": "The quick brown fox jumps over the lazy dog. " * 200 + "\n",
    }


def _variants(data: bytes | str) -> dict[str, bytes | str]:
    """The input as given, as text and as bytes, with CR-only line endings, and as one line."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    as_text = raw.decode("utf-8", "replace")
    return {
        "as given": data,
        "as text": as_text,
        "as bytes": raw,
        "CR only": cr_line_endings(None, raw).decode("utf-8", "replace"),
        "CR only bytes": cr_line_endings(None, raw),
        "one line": one_line(None, raw).decode("utf-8", "replace"),
        "one line, short": one_line(None, raw).decode("utf-8", "replace")[:200],
    }


CATALOGUE = {f"{name}, {how}": variant for name, data in _catalogue().items() for how, variant in _variants(data).items()}


@pytest.mark.parametrize("source", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_every_bad_input_and_its_cr_and_one_line_variants_reads_or_fails_with_a_cable_format_error(source):
    check(Mutant(source, ["catalogue"]))
    if isinstance(source, str):  # given as text= explicitly, the same str reads the same way
        def outcome(**given):
            try:
                return repr(cablelab.read(**given))
            except CableFormatError as err:
                return str(err)

        assert outcome(text=source) == outcome(source=source)


# Pathological inputs: each inserted as body text after the seed's paragraph 4. Reading must
# take under a second of this process's CPU time (the bound; CPU time, so that other
# processes on a busy machine do not count) and under a generous few seconds of wall time;
# building every frame gets a few seconds more, since a megabyte of names or dates makes
# tens of thousands of rows.
READ_SECONDS = 1.0
WALL_SECONDS = 5.0
FRAMES_SECONDS = 3.0


class Clock:
    """CPU and wall seconds spent inside a ``with`` block."""

    def __enter__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu, self.wall = time.process_time() - self.cpu, time.perf_counter() - self.wall


def _in_body(extra: str) -> str:
    text = SEED.decode("utf-8")
    at = text.index("\n4. ")
    return text[:at] + "\n\n" + extra + "\n" + text[at:]


def _paragraph_2() -> str:
    text = SEED.decode("utf-8")
    start = text.index("\n2. ") + 4
    return text[start : text.index("\n", start)]


PATHOLOGICAL = {
    "10 MB in 11,000 numbered paragraphs": "".join(f"{n}. {_paragraph_2()}\n\n" for n in range(6, 11_006)),
    "one 1 MB line of words": "Soviets press Mikoyan re urtel 1941 " * 28_000,
    "100,000 (a) markers on one line": "(a) " * 100_000,
    "100,000 (a) markers on their own lines": "(a) point\n" * 100_000,
    "5,000 numbered lines": "".join(f"{n}. Paragraph {n} of many.\n" for n in range(6, 5_006)),
    "5,000 numbered paragraphs": "".join(f"{n}. Paragraph {n} of many.\n\n" for n in range(6, 5_006)),
    "5,000 lettered points": "6. Points:\n" + "".join(f"({chr(97 + n % 26)}) point {n};\n" for n in range(5_000)),
    "a megabyte of digits": "1" * 1_000_000,
    "a megabyte of open parentheses": "(" * 1_000_000,
    "a megabyte of spaces": "x" + " " * 1_000_000 + "x",
    "a megabyte of full stops": "." * 1_000_000,
    "a megabyte of footnote markers": "(1)" * 330_000,
    "a long sentence with 14,000 dates": "6. Dates " + "November 20, " * 14_000 + "and more. A second sentence.",
    "a long sentence with 14,000 references": "6. See " + "urtel 1941, " * 14_000 + "and more. A second sentence.",
    "a long sentence with 14,000 names": "6. Meet " + "Mikoyan, " * 14_000 + "and more. A second sentence.",
    # One word holding a finder's start word 20,000 times (the fuzzer's 'todaytoday...' took 26 s).
    "one word of 20,000 todays": "6. It is " + "today" * 20_000 + " and more.",
    "one word of 20,000 Novembers": "6. It is " + "November" * 20_000 + " and more.",
}


@pytest.mark.parametrize("extra", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_a_pathological_input_reads_within_a_second_and_builds_its_frames_in_a_few(extra):
    source = _in_body(extra)
    try:
        with Clock() as reading:
            cable = cablelab.read(source)
    except CableFormatError:
        cable = None
    assert reading.cpu < READ_SECONDS and reading.wall < WALL_SECONDS, f"reading took {reading.cpu:.2f} s CPU, {reading.wall:.2f} s"
    if cable is not None:
        with Clock() as building:
            for name in FRAMES:
                getattr(cable, name)
        assert building.cpu < FRAMES_SECONDS, f"building the frames took {building.cpu:.2f} s CPU"


# Found by fuzzing, kept as plain examples.


@pytest.mark.parametrize("year", ["0962", "1062", "2962", "9999"])
def test_a_dateline_year_outside_what_pandas_can_hold_reads_with_no_date(year):
    text = SEED.decode("utf-8").replace("November 26, 1962, 9:28 p.m.", f"November 26, {year}, 9:28 p.m.", 1)
    cable = read_fully(text)
    assert cable.metadata["title"].startswith("Telegram From the Department of State")
    assert cable.metadata["date"] is pd.NaT


FIXTURES = ROOT / "tests" / "fixtures" / "docs"


def test_a_tei_volume_whose_declaration_names_an_unknown_encoding_reads_like_the_original():
    original = (FIXTURES / "tei_volume_d211_d212.xml").read_text(encoding="utf-8")
    garbled = original.replace('encoding="UTF-8"', 'encoding="U-TF-8"', 1)
    assert garbled != original
    expected, cable = read_fully(original), read_fully(garbled)
    pd.testing.assert_frame_equal(cable.blocks, expected.blocks)


@pytest.mark.parametrize("encode", ["latin-1", "utf-8", None])
def test_a_tei_document_declaring_latin_1_keeps_its_accents_however_it_is_given(encode):
    document = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
        '<div type="document" xml:id="d1"><head>Telegram From the Department of State to the Mission to the '
        "United Nations</head><dateline>Washington, November 26, 1962, 9:28 p.m.</dateline>"
        "<p>1379. For Stevenson. Caf\u00e9 society.</p></div></body></text></TEI>\n"
    )
    cable = read_fully(document.encode(encode) if encode else document)
    assert cable.blocks["text"].iloc[-1] == "For Stevenson. Caf\u00e9 society."


def test_an_html_page_with_a_malformed_marked_section_is_refused_at_its_line():
    lines = (FIXTURES / "avalon_212_page.html").read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("<p>1. We understand"))
    lines.insert(at, "<![ C")
    with pytest.raises(CableFormatError) as caught:
        cablelab.read("\n".join(lines))
    assert caught.value.line == at + 1
    assert str(caught.value).startswith(f"line {at + 1}: expected an HTML page")
