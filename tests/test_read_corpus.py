"""read_corpus: many documents as one set of frames, the same as reading each one alone.

read_corpus builds its frames from the documents' values column by column; these tests
hold it to the result of reading each document with ``cablelab.read`` and stacking its frames.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import cablelab
from cablelab import schema
from cablelab.errors import CableFormatError

DOCS = Path(__file__).parent / "fixtures" / "docs"
FIXTURES = sorted(p for p in DOCS.iterdir() if p.suffix != ".md")


def stacked(paths: list[Path], doc_ids: list[str]) -> dict[str, pd.DataFrame]:
    """Each document's frames, read alone, with its doc_id in front, one under another."""
    frames = {}
    for name in schema.FRAMES:
        parts = []
        for path, doc in zip(paths, doc_ids):
            frame = getattr(cablelab.read(path), name)
            parts.append(frame.assign(doc_id=pd.array([doc] * len(frame), dtype="str"))[["doc_id", *frame.columns]])
        frames[name] = pd.concat(parts, ignore_index=True)
    return frames


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> list[Path]:
    """Every fixture, three times over."""
    folder = tmp_path_factory.mktemp("corpus")
    paths = []
    for copy in range(3):
        for path in FIXTURES:
            target = folder / f"{copy:02d}_{path.name}"
            shutil.copy(path, target)
            paths.append(target)
    return sorted(paths)


def test_every_frame_is_the_documents_frames_stacked_with_their_doc_id(many):
    frames = cablelab.read_corpus(many[0].parent)
    doc_ids = frames["metadata"]["doc_id"].tolist()
    stems = [p.name.split(".")[0] for p in many]
    # The .html and .txt copies of a page share a stem: the second is told apart by '#2'.
    assert doc_ids == [stem if stems.index(stem) == i else f"{stem}#2" for i, stem in enumerate(stems)]
    assert "00_hsg_212_page#2" in doc_ids
    expected = stacked(many, doc_ids)
    for name in schema.FRAMES:
        assert len(frames[name]) > 0, name
        pd.testing.assert_frame_equal(frames[name], expected[name], obj=name)


def test_the_metadata_frame_has_the_documented_dtypes_and_values(many):
    meta = cablelab.read_corpus(many)["metadata"]
    for column in schema.METADATA:
        assert str(meta[column.name].dtype) == str(schema.dtype_of(column.dtype)), column.name
    by_doc = meta.set_index("doc_id")
    seed = by_doc.loc["00_avalon_212_page"]
    assert seed["date"] == pd.Timestamp("1962-11-26 21:28")
    assert seed["addressees"] == ["Stevenson", "McCloy"]
    assert pd.isna(seed["frus_number"]) and pd.isna(seed["time_end"])
    assert by_doc.loc["00_hsg_212_page", "frus_number"] == 212
    assert by_doc.loc["00_avalon_memcon_ny", "time_end"] == "19:55"
    assert by_doc.loc["00_avalon_editorial_note", "date"] is pd.NaT


def test_a_document_that_is_not_one_is_named_with_its_line(tmp_path):
    shutil.copy(cablelab.paths.builtin_cable(), tmp_path / "a_good.txt")
    (tmp_path / "b_bad.txt").write_text("\n\nShopping list\n\n", encoding="utf-8")
    with pytest.raises(CableFormatError, match=r"b_bad\.txt.*line 3|line 3.*b_bad\.txt"):
        cablelab.read_corpus(tmp_path)


def test_columns_hold_each_frames_values_in_its_column_order(seed_cable):
    for name, columns in schema.FRAMES.items():
        values = seed_cable.columns(name)
        assert list(values) == [c.name for c in columns], name
        frame = getattr(seed_cable, name)
        for column in columns:
            assert len(values[column.name]) == len(frame), (name, column.name)
    assert seed_cable.columns("points")["ref"][:3] == ["1(a)", "1(b)", "1(c)"]
    with pytest.raises(KeyError, match="no frame named 'point'; frames are blocks, paragraphs, points"):
        seed_cable.columns("point")


def test_records_are_the_rows_a_reader_sees_in_the_frame(seed_cable):
    points = seed_cable.records("points")
    assert len(points) == len(seed_cable.points) == 10
    first = points[0]
    assert list(first) == list(seed_cable.points.columns)
    assert (first["paragraph"], first["label"], first["ref"], first["speaker"]) == (1, "a", "1(a)", "USSR")
    assert first["text"] == seed_cable.points.loc[0, "text"]
    assert first["text"].startswith("they have asked reason for reference to Acting Secretary General")
    footnotes = seed_cable.records("footnotes")
    assert [f["number"] for f in footnotes] == seed_cable.footnotes["number"].tolist() == [1, 2, 3, 4, 5]
    assert footnotes[0]["text"] == seed_cable.footnotes.loc[0, "text"]
    assert seed_cable.records("leftovers") == [
        {"line": line, "text": text, "kind": kind} for line, text, kind in seed_cable.leftovers.itertuples(index=False)
    ]


def test_build_columns_refuses_unknown_columns_and_ragged_lengths():
    with pytest.raises(KeyError, match="speaker"):
        schema.build_columns("mentions", {"speaker": ["x"]}, 1)
    with pytest.raises(ValueError, match="'text' has 1 values, expected 2"):
        schema.build_columns("leftovers", {"line": [1, 2], "text": ["x"]}, 2)
    with pytest.raises(ValueError, match="'doc_id' has 3 values, expected 2"):
        schema.build_columns("leftovers", {"line": [1, 2]}, 2, leading={"doc_id": ["a", "b", "c"]})
    frame = schema.build_columns("leftovers", {"line": [1, 2]}, 2)
    assert frame["text"].isna().all() and str(frame["text"].dtype) == "str"
