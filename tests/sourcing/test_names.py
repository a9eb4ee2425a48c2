from __future__ import annotations

import json
from pathlib import Path

import pytest

from sourcing.people.names import (
    NameParts,
    _parts,
    parse_name,
    parts_from_parsed,
    split_authors,
    tex_to_unicode,
)

SNAPSHOT_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "recorded" / "arxiv-snapshot"


@pytest.mark.parametrize(
    ("raw", "name_key", "full_key", "initials"),
    [
        ("Ashish Vaswani", "vaswani|a", "ashish vaswani", ("a",)),
        ("Vaswani, Ashish", "vaswani|a", "ashish vaswani", ("a",)),
        ("A. Vaswani", "vaswani|a", "", ("a",)),
        ("Aurora Ramírez", "ramirez|a", "aurora ramirez", ("a",)),
        ("AURORA RAMIREZ", "ramirez|a", "aurora ramirez", ("a",)),
        ("C.-P. Yuan", "yuan|c", "", ("c", "p")),
        ("Ludwig van Beethoven", "vanbeethoven|l", "ludwig vanbeethoven", ("l",)),
        ("J. Smith Jr.", "smith|j", "", ("j",)),
        ("T. S. Barman", "barman|t", "", ("t", "s")),
        ("Ｊｏｈｎ Ｓｍｉｔｈ", "smith|j", "john smith", ("j",)),  # noqa: RUF001 - NFKD folds width
    ],
)
def test_parse_name(raw, name_key, full_key, initials):
    parts = parse_name(raw)
    assert (parts.name_key, parts.full_key, parts.initials) == (name_key, full_key, initials)


def test_tex_accents_become_unicode():
    assert tex_to_unicode("Bal\\'azs") == "Balázs"
    assert tex_to_unicode('G\\"{o}del') == "Gödel"
    assert tex_to_unicode("Erd\\H{o}s") == "Erdős"
    assert tex_to_unicode("\\L{}ukasz") == "Łukasz"


def test_snapshot_authors_parsed_entry():
    parts = parts_from_parsed(["Yuan", "C. -P.", ""])
    assert parts.surname == "Yuan"
    assert parts.initials == ("c", "p")


def test_split_authors_handles_and_commas_and_affiliation_blocks():
    assert split_authors("D.V. Shetty, S.J. Yennello, and G.A. Souliotis") == [
        "D.V. Shetty",
        "S.J. Yennello",
        "G.A. Souliotis",
    ]
    assert split_authors("A. One (1), B. Two (2) ((1) MIT, (2) CMU)") == ["A. One", "B. Two"]
    assert split_authors("Valeria M. Rosa and Patricio S. letelier") == [
        "Valeria M. Rosa",
        "Patricio S. letelier",
    ]


def _slots(parts: NameParts) -> dict[str, object]:
    return {name: getattr(parts, name) for name in NameParts.__slots__}


def test_snapshot_entries_parse_as_names_built_from_their_parts():
    """The snapshot reader parses a given part once per spelling (``_given_part``): every
    recorded entry, and some awkward ones, give the parts built from scratch."""
    lines = (SNAPSHOT_DIR / "arxiv-metadata-oai-snapshot.head100.jsonl").read_text().splitlines()
    entries = [entry for line in lines for entry in json.loads(line)["authors_parsed"]]
    entries += [
        ["Erd\\H{o}s", "P\\'al", ""],
        ["Smith", "J. Jr.", ""],
        ["van Beethoven", "Ludwig", ""],
        ["Yuan", "C. -P.", ""],
        ["Solo", "", ""],
        ["", "Only Given", ""],
        ["Ｓｍｉｔｈ", "Ｊｏｈｎ", ""],  # noqa: RUF001 - NFKD folds width
    ]
    assert len(entries) > 200
    for entry in entries * 2:  # the second time from the cache
        last, first = entry[0], entry[1]
        # How a "Last, First" name is split (``parse_name``), which is what the reader did.
        built = _parts(tex_to_unicode(first), tex_to_unicode(last))
        assert _slots(parts_from_parsed(entry)) == _slots(built), entry
