"""The teaching data as a student meets it: no giveaways in the bank, sources a student can read.

These tests read the files in ``data/`` as written (not through ``$CABLELAB_DATA``): they are
about what the project ships.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cablelab import exercises

DATA = Path(__file__).resolve().parents[1] / "data"
BANK = DATA / "questions.yaml"
CABLE = "telegram_1379.txt"  # the document itself, byte for byte as published: not ours to word

#: Row labels of the project's private fact sheet. A student cannot look them up; cite the
#: document the row rests on instead ("FRUS XI, doc. 210", "footnote 5", "¶3(e)").
INTERNAL_LABELS = re.compile(r"FACTS|\b[CPT]\d{2}\b|\b(?i:finding) \d")


def data_files() -> list[Path]:
    files = [path for pattern in ("*.csv", "*.yaml", "*.yml", "*.txt") for path in DATA.glob(pattern)]
    return sorted(path for path in files if path.name != CABLE)


def internal_labels(text: str) -> list[str]:
    """'line N: <label>' for every internal label in `text`."""
    return [f"line {number}: {match.group(0)!r}"
            for number, line in enumerate(text.splitlines(), start=1)
            for match in INTERNAL_LABELS.finditer(line)]


@pytest.mark.parametrize("text", ["source: ¶1; FACTS C42", "as P09 says", "(T01)", "see finding 1",
                                  "Finding 3 of the fact sheet"])
def test_the_label_check_catches_each_kind_of_internal_label(text):
    assert internal_labels(text)


@pytest.mark.parametrize("text", ["FRUS XI, doc. 210", "telegram 1379, ¶3(e)", "footnote 5", "USUN 1972",
                                  "CPSU", "resolution 1771 (XVII)", "T-shirt", "C.V. Narasimhan", "sourced facts"])
def test_the_label_check_lets_readable_citations_through(text):
    assert not internal_labels(text)


def test_no_file_in_data_cites_an_internal_row_label():
    files = data_files()
    assert BANK in files and len(files) >= 5
    found = {path.name: hits for path in files if (hits := internal_labels(path.read_text(encoding="utf-8")))}
    assert not found, f"internal labels a student cannot look up: {found}"


def test_the_right_options_position_and_length_give_nothing_away():
    """Before issue 12: 22 questions, option 2 right in 15 (68 %), right option the longest in 16 (73 %)."""
    figures = exercises.bank_figures(exercises.parse_bank(BANK.read_text(encoding="utf-8"), source=str(BANK)))
    assert figures.questions >= 20, str(figures)
    assert figures.top_position_share <= 0.40, f"one written position holds too many right answers: {figures}"
    assert figures.longest_share <= 0.40, f"the right option is too often the longest: {figures}"
    assert figures.shortest_share <= 0.40, f"the right option is too often the shortest: {figures}"
    # Nor so seldom the longest that ruling out the longest option would pay.
    assert figures.longest_share >= 0.15, f"the right option is almost never the longest: {figures}"


def test_bank_figures_count_positions_and_lengths_of_right_options():
    text = """
questions:
- id: 01-a
  notebook: "01"
  kind: single
  skill: s
  source: ¶1
  prompt: Which?
  options:
    - {text: a long right answer, correct: true, feedback: LONG}
    - {text: short, correct: false, feedback: LONG}
- id: 01-b
  notebook: "01"
  kind: single
  skill: s
  source: ¶1
  prompt: Which?
  options:
    - {text: wrong but long enough, correct: false, feedback: LONG}
    - {text: right, correct: true, feedback: LONG}
""".replace("LONG", " ".join(["word"] * 20))
    figures = exercises.bank_figures(exercises.parse_bank(text))
    assert (figures.questions, figures.right_at, figures.right_longest, figures.right_shortest) == (2, {1: 1, 2: 1}, 1, 1)
    assert figures.top_position_share == 0.5 and "option 1: 1, option 2: 1" in str(figures)


def bank() -> dict[str, exercises.Question]:
    return exercises.parse_bank(BANK.read_text(encoding="utf-8"), source=str(BANK))


def test_every_options_feedback_runs_about_40_to_80_words():
    lengths = {(q.id, o.text): len(o.feedback.split()) for q in bank().values() for o in q.options}
    assert lengths
    outside = {key: n for key, n in lengths.items() if not 40 <= n <= 80}
    assert not outside, f"feedback outside 40-80 words: {outside}"


def test_no_question_repeats_another_word_for_word():
    questions = list(bank().values())
    prompts = [q.prompt for q in questions]
    assert len(prompts) == len(set(prompts)), "two questions share a prompt"
    option_sets = [frozenset(o.text for o in q.options) for q in questions if q.options]
    assert len(option_sets) == len(set(option_sets)), "two questions offer the same options"


#: Wordings the sources cited in the bank contradict (issue 12, part 6), with what to write instead.
INACCURATE = {
    r"Richard D\. Heyser": "the pilot was Maj. Richard S. Heyser (FRUS XI, doc. 16 misprints 'D.')",
    r"\bblockade\b(?<!economic blockade)": "the quarantine was a selective interdiction, named so as not to "
                                            "call it a blockade",
    r"Acting Secretary-General in November 1962": "he was Acting Secretary-General on 26 November; the "
                                                  "General Assembly appointed him on 30 November",
    r"the meeting itself": "the meeting with Mikoyan is only planned in the cable",
    r"\bsign(?:ed|s)?\b[^.]{0,40}\bU\.S\. draft|U\.S\. draft[^.]{0,60}\bsign|\bsigned text": "the U.S. draft was a "
        "unilateral U.S. declaration, not a text to be signed (FRUS XI, doc. 205)",
    r"November 20[^.]{0,80}\ba month\b|\ba month\b[^.]{0,80}November 20": "November 20 is six days before "
                                                                          "the cable",
}


@pytest.mark.parametrize("pattern", list(INACCURATE))
def test_the_bank_avoids_wordings_its_sources_contradict(pattern):
    text = " ".join(BANK.read_text(encoding="utf-8").split())
    hits = [text[max(0, m.start() - 60):m.end() + 60] for m in re.finditer(pattern, text)]
    assert not hits, f"{INACCURATE[pattern]}: {hits}"


def test_november_27_is_named_only_as_the_editors_footnote():
    text = " ".join(BANK.read_text(encoding="utf-8").split())
    for match in re.finditer(r"(?:November 27|27 November)[^.]*", text):
        sentence = text[max(0, match.start() - 200):match.end()]
        assert "footnote" in sentence, f"27 November is in the editors' footnote 5, not the telegram: {sentence}"


def test_doubt_read_into_concessions_always_comes_with_kuznetsovs_own_word():
    for q in bank().values():
        texts = [q.prompt, *(o.feedback for o in q.options), *(p.feedback for p in q.pairs), q.model_answer]
        for text in texts:
            if "concessions" in text and re.search(r"doubt|sceptic|skeptic|did not see them", text):
                assert "Kuznetsov" in text, f"{q.id}: teach both readings of \"concessions\" or neither: {text}"
