from __future__ import annotations

import pytest

from sourcing.people.names import parse_name, parts_from_parsed, split_authors, tex_to_unicode


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
