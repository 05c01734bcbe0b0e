"""The tables behind the charts and widgets: pandas only, computed from a Cable and the curated files.

Each chart in :mod:`cablelab.charts` draws one of these tables and each widget in
:mod:`cablelab.widgets` lists one; both import them from here, so a number a student reads in a
widget is the number a chart draws. Nothing here imports matplotlib or ipywidgets.

- structure: who wrote each block (``structure_table``, ``footnote_markers``);
- pairings: which US point answers which concern (``pairings``, ``pairing_table``, ``points_table``);
- mentions: actors by side, the text apart from the editors' additions (``mentions_table``,
  ``mentions_conclusion``), by paragraph (``actors_by_paragraph_table``), per actor;
- timeline: the chronology with the document's own dates (``timeline_rows``, ``within``);
- paper trail: the telegrams the document cites (``paper_trail_table``, ``party``);
- naming: ``doc_name`` (the document), ``block_label`` (a block), ``party`` (a sender or recipient).
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd

from cablelab import curated
from cablelab.glossary import find_terms, glossary

# The sides in the order charts and keys list them.
SIDES = ("US", "USSR", "Cuba", "UN", "other")

BLOCK_LABELS = {
    "header": "Header",
    "lead": "Lead",
    "numbered": "¶{paragraph}",
    "unnumbered": "Unnumbered",
    "signature": "Signature",
    "quoted": "Quoted",
    "footnote": "Footnote {footnote}",
    "source_note": "Source note",
}
# The curated annotations describe telegram 1379 only; another document's "1(a)" is not its 1(a)
# (``curated.applies_to`` decides which documents they describe).
ANNOTATED_NUMBER = curated.SEED_NUMBER


def words(text: str) -> int:
    """How many words a text has."""
    return len(str(text).split())


def short(text: str, width: int) -> str:
    """A text shortened to a width, on a word boundary."""
    return textwrap.shorten(" ".join(str(text).split()), width, placeholder="…")


def block_label(row) -> str:
    """How a teacher names a block: 'Lead', '¶3', 'Footnote 2', 'Source note'."""
    return BLOCK_LABELS.get(str(row["kind"]), str(row["kind"])).format(
        paragraph=row["paragraph"], footnote=row["footnote"])


def sentence_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' ('none' for no items)."""
    if len(items) < 2:
        return items[0] if items else "none"
    return ", ".join(items[:-1]) + " and " + items[-1]


def doc_name(cable) -> str:
    """The document's short name ('telegram 1379', or its type)."""
    meta = cable.metadata
    number = meta.get("number")
    kind = str(meta.get("doc_type") or "document").lower()
    return f"{kind} {number}" if isinstance(number, str) and number else f"this {kind}"


# --- curated data (curated.py reads its files on first use) -------------------------------------


def annotations_for(cable) -> pd.DataFrame:
    """The curated point annotations when they describe this document, else an empty frame."""
    if not curated.applies_to(cable):
        return pd.DataFrame(columns=["ref", "speaker", "topic", "answers", "note", "source"])
    return curated.annotations()


def context_events() -> pd.DataFrame:
    """The curated chronology of the crisis."""
    return curated.context_events()


# --- structure: who wrote what ----------------------------------------------------------------

# Who wrote each section of a FRUS document as printed: the sender's text, or the editors'.
WRITER = {
    "header": "the editors: heading and dateline",
    "body": "the {year} text",
    "footnote": "the editors: footnotes",
    "source": "the editors: source note",
}
EDITORS = ("header", "footnote", "source")


def writer_of(section: str, year: str) -> str:
    """Who wrote a section, as the structure chart's key names it."""
    return WRITER.get(section, section).format(year=year)


def sent_year(cable) -> str:
    """The year the document was written ('1962'), or 'original' when it is undated."""
    sent = cable.metadata.get("date")
    return f"{pd.Timestamp(sent):%Y}" if pd.notna(sent) else "original"


def structure_table(cable) -> pd.DataFrame:
    """One row per segment of each block: its lead or one lettered point, with word counts."""
    leads = dict(zip(cable.paragraphs["block"], cable.paragraphs["lead"]))
    rows = []
    for block in cable.blocks.itertuples(index=False):
        row = block._asdict()
        label = block_label(row)
        points = cable.points[cable.points["block"] == block.block]
        lead = leads.get(block.block, block.text) if len(points) else block.text
        rows.append({"block": block.block, "label": label, "section": str(block.section), "part": "text",
                     "words": words(lead)})
        rows += [{"block": block.block, "label": label, "section": str(block.section), "part": f"({p.label})",
                  "words": words(p.text)} for p in points.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["block", "label", "section", "part", "words"])


def footnote_markers(cable) -> pd.DataFrame:
    """Footnotes whose marker was found in a block: block and number."""
    found = cable.footnotes.dropna(subset=["block"])
    return pd.DataFrame({"block": found["block"].astype("int64"), "number": found["number"]}).reset_index(drop=True)


# --- pairings ----------------------------------------------------------------------------------


def pairings(cable) -> pd.DataFrame:
    """Pairs (concern, answer) from the annotations: a non-US point and the US point that answers it."""
    speakers = dict(zip(cable.points["ref"], cable.points["speaker"].astype("str")))
    notes = annotations_for(cable)
    topics = dict(zip(notes["ref"], notes["topic"].astype("str")))
    rows = []
    for note in notes.itertuples(index=False):
        for other in refs_in(note.answers):
            pair = (note.ref, other)
            concern, answer = pair if speakers.get(pair[1]) == "US" else pair[::-1]
            if concern in speakers and answer in speakers and speakers[answer] == "US" != speakers[concern]:
                rows.append({"concern": concern, "answer": answer, "concern_topic": topics.get(concern, ""),
                             "answer_topic": topics.get(answer, "")})
    return pd.DataFrame(rows, columns=["concern", "answer", "concern_topic", "answer_topic"]).drop_duplicates()


def refs_in(answers) -> list[str]:
    """The refs an annotation answers: a list, or a '|'-separated string."""
    if isinstance(answers, str):
        return [ref.strip() for ref in answers.split("|") if ref.strip()]
    return [str(ref) for ref in answers] if isinstance(answers, (list, tuple)) else []


NONE = "—"  # in the pairing table: no point on the other side


def pairing_table(cable, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each concern with the US points that answer it (one row per pair; "—" for none), then the US
    points that answer no concern: columns concern, concern_topic, answer, answer_topic."""
    pairs = pairings(cable) if pairs is None else pairs
    speakers = cable.points["speaker"].astype("str")
    notes = annotations_for(cable)
    topics = dict(zip(notes["ref"], notes["topic"].astype("str")))
    rows = []
    for concern in cable.points.loc[speakers != "US", "ref"]:
        answers = list(pairs.loc[pairs["concern"] == concern, "answer"]) or [NONE]
        rows += [{"concern": concern, "answer": answer} for answer in answers]
    rows += [{"concern": NONE, "answer": answer} for answer in cable.points.loc[speakers == "US", "ref"]
             if answer not in set(pairs["answer"])]
    table = pd.DataFrame(rows, columns=["concern", "answer"])
    return table.assign(concern_topic=[topics.get(ref, "") for ref in table["concern"]],
                        answer_topic=[topics.get(ref, "") for ref in table["answer"]])[
        ["concern", "concern_topic", "answer", "answer_topic"]]


def points_table(cable) -> pd.DataFrame:
    """The points with their annotation (topic, note, source) and the refs they are paired with."""
    notes = annotations_for(cable)[["ref", "topic", "note", "source"]]
    pairs = pairings(cable)
    partners = {ref: sorted(set(pairs.loc[pairs["concern"] == ref, "answer"]) | set(pairs.loc[pairs["answer"] == ref,
                                                                                              "concern"]))
                for ref in cable.points["ref"]}
    table = cable.points.assign(speaker=cable.points["speaker"].astype("str")).merge(notes, on="ref", how="left")
    return table.assign(paired_with=[", ".join(partners.get(r, [])) for r in table["ref"]])


# --- mentions: the document's own text apart from what the editors added -----------------------

TEXT_SECTIONS = ("body",)  # the lead and the numbered paragraphs: what the 1962 text says
EDITORS_SECTIONS = ("header", "footnote", "source")  # the heading, the footnotes, the source note
TEXT_COLUMN = "in the text"
EDITORS_COLUMN = "added by the editors"
SECTION_COLUMNS = {"header": "of which heading", "footnote": "of which footnotes", "source": "of which source note"}


def mentions_table(cable) -> pd.DataFrame:
    """Mentions by side: in the document's text (body) and added by the editors (heading, footnotes,
    source note), with the editors' share split by section. Sides the document never names are left out;
    sides in the order of the text's counts, most named first."""
    mentions = cable.mentions
    sides = mentions["side"].astype("str")
    sections = mentions["section"].astype("str")
    counts = pd.crosstab(sides, sections).reindex(columns=[*TEXT_SECTIONS, *EDITORS_SECTIONS], fill_value=0)
    table = pd.DataFrame({"side": counts.index.astype("str"),
                          TEXT_COLUMN: counts[list(TEXT_SECTIONS)].sum(axis=1).to_numpy(),
                          EDITORS_COLUMN: counts[list(EDITORS_SECTIONS)].sum(axis=1).to_numpy(),
                          **{label: counts[section].to_numpy() for section, label in SECTION_COLUMNS.items()}})
    table = table[table[[TEXT_COLUMN, EDITORS_COLUMN]].sum(axis=1) > 0]
    return table.sort_values([TEXT_COLUMN, EDITORS_COLUMN, "side"], ascending=[False, False, True],
                             ignore_index=True)


def counted(table: pd.DataFrame, column: str) -> str:
    """'USSR 20, US 11, UN 8 and Cuba 4': the sides a column counts, most first, zeros left out."""
    rows = table[table[column] > 0].sort_values([column, "side"], ascending=[False, True])
    return sentence_list([f"{side} {n}" for side, n in zip(rows["side"], rows[column])])


def leaders(counts: pd.Series) -> list[str]:
    """The sides with the highest count (several when they tie)."""
    return sorted(counts.index[counts == counts.max()]) if len(counts) and counts.max() > 0 else []


def mentions_conclusion(cable, table: pd.DataFrame | None = None) -> str:
    """The chart's conclusion, computed from the document's text alone (the editors' additions apart).

    On telegram 1379: 'In the text of telegram 1379 itself, USSR is named most: USSR 20, US 11, UN 8
    and Cuba 4 mentions. ...' and what counting the editors' additions too would wrongly suggest.
    """
    table = mentions_table(cable) if table is None else table
    name = doc_name(cable)
    text = table.set_index("side")[TEXT_COLUMN]
    top = leaders(text)
    if not top:
        said = f"The text of {name} itself names no actor; every mention is in the editors' additions."
    elif len(top) == 1:
        said = f"In the text of {name} itself, {top[0]} is named most: {counted(table, TEXT_COLUMN)} mentions."
    else:
        said = (f"In the text of {name} itself, {sentence_list(top)} are named equally often: "
                f"{counted(table, TEXT_COLUMN)} mentions.")
    added = table[EDITORS_COLUMN].sum()
    if not added:
        return said + " The editors added no mention of their own."
    said += f" The editors' heading, footnotes and source note add {counted(table, EDITORS_COLUMN)}"
    total = table.set_index("side")[[TEXT_COLUMN, EDITORS_COLUMN]].sum(axis=1)
    misleading = leaders(total)
    if top and len(misleading) == 1 and misleading[0] not in top:
        first, rival = misleading[0], top[0]
        return (said + f"; counted together with the text, {first} would wrongly seem the most named "
                f"({total[first]} against {total[rival]} for {rival}).")
    return said + "."


def text_blocks(cable) -> pd.DataFrame:
    """The blocks of the document's own text (the body), in reading order, with their labels."""
    blocks = cable.blocks[cable.blocks["section"].astype("str").isin(TEXT_SECTIONS)]
    return blocks.assign(label=[block_label(row) for _, row in blocks.iterrows()])[["block", "label"]]


def actors_by_paragraph_table(cable) -> pd.DataFrame:
    """One row per actor named in the text (body) and paragraph: how many times, with the actor's side."""
    mentions = cable.mentions[cable.mentions["section"].astype("str").isin(TEXT_SECTIONS)]
    labels = dict(zip(*text_blocks(cable).to_dict("list").values()))
    table = (mentions.assign(side=mentions["side"].astype("str"))
             .groupby(["actor", "side", "block"], sort=False).size().rename("mentions").reset_index())
    return table.assign(paragraph=table["block"].map(labels))[["actor", "side", "paragraph", "block", "mentions"]]


def actor_order(table: pd.DataFrame) -> list[str]:
    """Actors grouped by side (the sides in SIDES' order), each side's actors by first appearance."""
    order = {side: i for i, side in enumerate(SIDES)}
    first = table.groupby("actor", sort=False).agg(side=("side", "first"), block=("block", "min"))
    first = first.assign(rank=first["side"].map(order).fillna(len(order)))
    return list(first.sort_values(["rank", "block"], kind="stable").index)


def actor_mentions_table(cable, actor: str) -> pd.DataFrame:
    """One actor's mentions counted by block, in reading order."""
    mentions = cable.mentions[cable.mentions["actor"] == actor]
    blocks = cable.blocks.set_index("block")
    counts = mentions.groupby("block").size()
    return pd.DataFrame({"block": counts.index,
                         "where": [block_label(blocks.loc[b]) for b in counts.index],
                         "mentions": counts.to_numpy()})


# --- timeline ----------------------------------------------------------------------------------

THIS_CABLE = "this cable"  # the curated chronology's category for telegram 1379 itself
TEXT_DATE = "date in the text"  # a day the document's own text (its body) gives: starred
EDITORS_DATE = "date only in the editors' notes"  # a day only the heading, footnotes or source note give


def cable_dates_table(cable) -> pd.DataFrame:
    """The document's own dates, one row per day, with the words used and where.

    ``kind``: TEXT_DATE when the document's text (its body) gives the day, EDITORS_DATE when only the
    editors' additions do (telegram 1379's 27 November is in footnote 5, not in the telegram).
    """
    dates = cable.dates.dropna(subset=["date"])
    if dates.empty:
        return pd.DataFrame(columns=["date", "kind", "label", "source"])
    blocks = cable.blocks.set_index("block")
    where = [block_label(blocks.loc[b]) for b in dates["block"]]
    in_text = dates["section"].astype("str").isin(TEXT_SECTIONS)
    grouped = dates.assign(where=where, in_text=in_text, day=dates["date"].dt.normalize()).groupby("day")
    return pd.DataFrame({"date": list(grouped.groups),
                         "kind": [TEXT_DATE if day["in_text"].any() else EDITORS_DATE for _, day in grouped],
                         "label": [words_used(day) for _, day in grouped], "source": doc_name(cable)})


def words_used(dates: pd.DataFrame) -> str:
    """'In the text: “today” (Lead), “tonight” (¶2); in the editors' notes: “November 26” (Footnote 1)'.

    The words a day is given in, and where, the text apart from the editors' notes.
    """
    def quoted(rows: pd.DataFrame) -> str:
        return ", ".join(dict.fromkeys(f"“{surface}” ({where})" for surface, where in zip(rows["surface"],
                                                                                          rows["where"])))
    text, notes = dates[dates["in_text"]], dates[~dates["in_text"]]
    if not len(text):
        return f"Only in the editors' notes: {quoted(notes)}"
    return f"In the text: {quoted(text)}" + (f"; in the editors' notes: {quoted(notes)}" if len(notes) else "")


LETTER_KIND = "Kennedy–Khrushchev letter (FRUS VI; read them in lesson 03)"


def letter_rows() -> pd.DataFrame:
    """The Kennedy–Khrushchev messages shipped in data/companions/, as timeline rows (kind LETTER_KIND)."""
    from cablelab.companions import manifest

    letters = manifest()
    writers = {"Department of State": "Kennedy (through the Department of State)"}
    return pd.DataFrame({
        "date": pd.to_datetime(letters["date"]).dt.normalize(),
        "end_date": pd.NaT,
        "kind": LETTER_KIND,
        "label": [f"{writers.get(s, s)} to {r}: {k}" for s, r, k in
                  zip(letters["sender"], letters["recipient"].replace({"Embassy in the Soviet Union": "Khrushchev"}),
                      letters["kind"].str.replace("telegram carrying a letter from President Kennedy to Chairman "
                                                  "Khrushchev", "letter", regex=False))],
        "source": [f"FRUS VI, doc. {n}" for n in letters["frus_doc"]],
    })


def timeline_rows(cable, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every row of the timeline, by date: context events, the document's dates and the document itself."""
    events = context_events() if events is None else events
    category = events.get("category", pd.Series("event", index=events.index)).astype("str").replace("nan", "event")
    is_this = curated.applies_to(cable)
    kind = [("this document" if is_this else f"context: telegram {ANNOTATED_NUMBER}") if c == THIS_CABLE
            else f"context: {c}" for c in category]
    context = pd.DataFrame({
        "date": pd.to_datetime(events["date"]).dt.normalize(),
        "end_date": pd.to_datetime(events.get("end_date", pd.Series(pd.NaT, index=events.index))),
        "label": list(events["event"].astype("str")),
        "kind": kind,
        "source": events.get("source", ""),
    })
    own = cable_dates_table(cable).assign(end_date=pd.NaT)
    sent = cable.metadata.get("date")
    itself = pd.DataFrame([{"date": pd.Timestamp(sent).normalize(), "end_date": pd.NaT, "kind": "this document",
                            "label": f"{doc_name(cable).capitalize()} is sent", "source": doc_name(cable)}]
                          ) if pd.notna(sent) and "this document" not in kind else pd.DataFrame()
    table = pd.concat([t for t in (context, letter_rows(), own, itself) if len(t)], ignore_index=True)
    return table.sort_values(["date", "kind"], kind="stable", ignore_index=True)[
        ["date", "end_date", "kind", "label", "source"]]


def within(rows: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """The timeline rows that touch the range from start to end (inclusive; None is open)."""
    last = rows["end_date"].fillna(rows["date"])
    inside = pd.Series(True, index=rows.index)
    if start is not None:
        inside &= last >= pd.Timestamp(start)
    if end is not None:
        inside &= rows["date"] <= pd.Timestamp(end)
    return rows[inside].reset_index(drop=True)


def timeline_table(cable, start=None, end=None, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """The timeline's rows between start and end (inclusive)."""
    return within(timeline_rows(cable, events), start, end)


# --- paper trail -------------------------------------------------------------------------------

PARTY_ALIASES = {
    "usun": "USUN",
    "mission to the united nations": "USUN",
    "united states mission to the united nations": "USUN",
    "u.s. mission to the united nations": "USUN",
    "department of state": "Department of State",
    "department": "Department of State",
    "state": "Department of State",
}
TELEGRAM_SERIES = {"Department of State": "Deptel", "USUN": "USUN"}
TRAIL_KINDS = ("urtel", "reftel", "deptel", "embtel", "ourtel", "mytel", "telegram")
CITED_IN_TEXT = "the text"
CITED_BY_EDITORS = "an editors' footnote only"
CITED_IN_BOTH = "the text and an editors' footnote"
#: The leaders' letters the cable names only as "the Kennedy-Khrushchev correspondence" (¶1(c), ¶3(d)).
CITED_AS_CORRESPONDENCE = "the correspondence ¶1(c) and ¶3(d) name"
#: The paper trail shows the letters of the New York endgame: from Khrushchev's of 20 November on.
LETTERS_SINCE = "1962-11-20"
TELEGRAM_WORDS = r"(?:USUN|Deptel|urtel|tel\.?|telegram|Embtel)"


def party(name) -> str:
    """A sender or recipient under one name ('Mission to the United Nations' → 'USUN')."""
    text = str(name).strip() if isinstance(name, str) else "unknown"
    return PARTY_ALIASES.get(text.lower(), text)


def event_date(number: int, events: pd.DataFrame):
    """The day a context event says telegram ``number`` was sent, else NaT."""
    pattern = re.compile(rf"\b{TELEGRAM_WORDS}\s+{number}\b", re.IGNORECASE)
    hits = events[events["event"].astype("str").str.contains(pattern)]
    return pd.Timestamp(hits["date"].min()).normalize() if len(hits) else pd.NaT


def sentence_date(cable, sentence: str):
    """A date the document gives in the same sentence as a reference (footnotes do), else NaT."""
    dates = cable.dates[(cable.dates["sentence"] == sentence) & ~cable.dates["relative"]]
    return pd.Timestamp(dates["date"].iloc[0]).normalize() if len(dates) else pd.NaT


def telegram_date(cable, number: int, sentences: pd.Series, events: pd.DataFrame) -> tuple:
    """When a cited telegram was sent, and where that came from: the chronology, else the document, else unknown."""
    date = event_date(number, events)
    if pd.notna(date):
        return date, "context events"
    date = next((d for d in (sentence_date(cable, s) for s in sentences) if pd.notna(d)), pd.NaT)
    return date, "the document" if pd.notna(date) else ""


def paper_trail_table(cable, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """The telegrams the document cites, plus itself: who sent them to whom, and when if known."""
    events = context_events() if events is None else events
    refs = cable.references
    refs = refs[refs["kind"].astype("str").isin(TRAIL_KINDS) & refs["number"].notna()]
    sender, recipient = party(cable.metadata.get("sender")), party(cable.metadata.get("recipient"))
    other = {sender: recipient, recipient: sender}
    rows = []
    for (origin, number), group in refs.groupby([refs["origin"].map(party), "number"], sort=False):
        date, how = telegram_date(cable, number, group["sentence"], events)
        rows.append({"telegram": f"{TELEGRAM_SERIES.get(origin, origin)} {number}", "kind": str(group["kind"].iloc[0]),
                     "number": int(number), "sender": origin, "recipient": other.get(origin, "unknown"),
                     "date": date, "date_from": how, "cited_in": cited_in(group["section"]),
                     "cited_as": ", ".join(dict.fromkeys(group["surface"]))})
    sent = cable.metadata.get("date")
    if curated.applies_to(cable):
        rows += correspondence_rows(pd.Timestamp(sent))
    rows.append({"telegram": doc_name(cable).capitalize(), "kind": "this document",
                 "number": pd.NA, "sender": sender, "recipient": recipient,
                 "date": pd.Timestamp(sent) if pd.notna(sent) else pd.NaT, "date_from": "the document",
                 "cited_in": "this document", "cited_as": doc_name(cable)})
    table = pd.DataFrame(rows).astype({"number": "Int64"})
    if table["date"].notna().all():
        table = table.sort_values("date", kind="stable", ignore_index=True)
    return table.assign(order=range(len(table)))


def correspondence_rows(until: pd.Timestamp, since: str = LETTERS_SINCE) -> list[dict]:
    """The leaders' messages from ``since`` up to ``until``: the "Kennedy-Khrushchev correspondence"
    telegram 1379 names in ¶1(c) and ¶3(d), as paper-trail rows (kind "letter")."""
    from cablelab.companions import manifest

    letters = manifest()
    dates = pd.to_datetime(letters["date"])
    rows = []
    for row, date in zip(letters.itertuples(), dates):
        if pd.Timestamp(since) <= date <= until:
            writer = "Khrushchev" if "Khrushchev" in row.sender else "Kennedy"
            rows.append({"telegram": f"{writer}, FRUS VI d{row.frus_doc}", "kind": "letter", "number": pd.NA,
                         "sender": writer, "recipient": "Kennedy" if writer == "Khrushchev" else "Khrushchev",
                         "date": date, "date_from": "FRUS VI", "cited_in": CITED_AS_CORRESPONDENCE,
                         "cited_as": "Kennedy-Khrushchev correspondence"})
    return rows


def cited_in(sections: pd.Series) -> str:
    """Where a telegram is cited: the document's text (body), only the editors' notes, or both."""
    in_text = sections.astype("str").isin(TEXT_SECTIONS)
    if in_text.all():
        return CITED_IN_TEXT
    return CITED_IN_BOTH if in_text.any() else CITED_BY_EDITORS


# --- abbreviations -----------------------------------------------------------------------------

ABBREVIATION_COLUMNS = {"term": "Abbreviation", "written": "As written", "expansion": "Meaning",
                        "where": "Where in the document", "source": "Source of the meaning"}


def abbreviations(cable) -> pd.DataFrame:
    """The glossary's abbreviations that occur in this document, in order of first use: what the
    paragraph reader explains block by block, for the whole document at once.

    Columns (headed for students): Abbreviation, As written, Meaning, Where in the document
    (block labels such as '¶2' or 'Footnote 1'), Source of the meaning. No glossary term in the
    document gives an empty table with those columns.
    """
    found: dict[str, dict] = {}
    for row in cable.blocks.to_dict("records"):
        for term in find_terms(str(row["text"])):
            entry = found.setdefault(term["term"], {"term": term["term"], "written": [], "where": []})
            entry["written"] += [term["surface"]] if term["surface"] not in entry["written"] else []
            entry["where"] += [block_label(row)] if block_label(row) not in entry["where"] else []
    meanings = glossary().set_index("term")
    rows = [{**entry, "written": ", ".join(entry["written"]), "where": ", ".join(entry["where"]),
             "expansion": meanings.loc[term, "expansion"], "source": meanings.loc[term, "source"]}
            for term, entry in found.items()]
    return pd.DataFrame(rows, columns=list(ABBREVIATION_COLUMNS)).rename(columns=ABBREVIATION_COLUMNS)
