"""Pure decisions: who is an author, what a README says, official or re-implementation, score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sourcing.github.authors import Author, match_owner
from sourcing.github.classify import classify
from sourcing.github.parsing import github_full_names
from sourcing.github.readme import citation_of, reimplementation_words, reports_results
from sourcing.github.scoring import ScoreInput, engineering_score
from sourcing.github.sources import PaperRef, RepoHit, catalogue_repositories

AUTHORS = [Author("Lovelace, Ada", 1), Author("G. Hopper", 2)]
PAPER = PaperRef("2401.04567", "Sparse Mixture Adapters for Efficient Fine-Tuning")
SEARCH_HIT = RepoHit("x/y", "github_search", "search", needs_confirmation=True)


def test_owner_profile_name_matches_an_author_in_any_written_form() -> None:
    match = match_owner(profile_name="Ada LOVELACE", login="whatever", authors=AUTHORS)
    assert match is not None
    assert match.author.person_id == 1
    assert match.strong
    weak = match_owner(profile_name="Grace Hopper", login="gh", authors=AUTHORS)
    assert weak is not None
    assert weak.author.person_id == 2
    assert not weak.strong
    by_login = match_owner(profile_name="", login="alovelace", authors=AUTHORS)
    assert by_login is not None
    assert by_login.how == "login"
    assert match_owner(profile_name="Ada Byron", login="ab", authors=AUTHORS) is None


def test_author_owner_is_official_even_without_catalogues() -> None:
    match = match_owner(profile_name="Ada Lovelace", login="adalovelace", authors=AUTHORS)
    verdict = classify(hits=[SEARCH_HIT], author_match=match, owner_login="adalovelace", readme="")
    assert verdict.verdict == "official"
    assert verdict.confidence == 0.9
    assert "Lovelace, Ada" in verdict.reasons[0]


def test_readme_words_raise_reimplementation_confidence() -> None:
    plain = classify(hits=[SEARCH_HIT], author_match=None, owner_login="bob", readme="SMA code")
    worded = classify(
        hits=[SEARCH_HIT],
        author_match=None,
        owner_login="bob",
        readme="An unofficial re-implementation; we reproduce Table 2.",
    )
    assert plain.verdict == worded.verdict == "reimplementation"
    assert worded.confidence > plain.confidence
    assert any('"unofficial"' in r for r in worded.reasons)


def test_weak_author_match_loses_to_an_unofficial_readme() -> None:
    match = match_owner(profile_name="", login="alovelace", authors=AUTHORS)
    verdict = classify(
        hits=[SEARCH_HIT], author_match=match, owner_login="alovelace", readme="Unofficial port"
    )
    assert verdict.verdict == "reimplementation"
    assert any("outweighed" in r for r in verdict.reasons)


def test_catalogue_flag_and_paper_link_are_official() -> None:
    hits = [RepoHit("x/y", "catalogue", "paper catalogue (official)", official=True)]
    assert classify(hits=hits, author_match=None, owner_login="x", readme="").verdict == "official"
    linked = [RepoHit("x/y", "paper_links", "linked from the paper's comment", official=True)]
    verdict = classify(hits=linked, author_match=None, owner_login="x", readme="")
    assert verdict.verdict == "official"
    assert "comment" in verdict.reasons[0]


def test_readme_citation_needs_the_id_or_the_whole_title() -> None:
    assert citation_of("see arXiv:2401.04567v3", PAPER) == "arXiv id"
    assert citation_of("SPARSE mixture adapters for efficient fine-tuning!", PAPER) == "title"
    assert citation_of("see 2401.045678", PAPER) == ""
    assert citation_of("sparse mixture adapters", PAPER) == ""


def test_readme_reports_results() -> None:
    table = "| Task | Paper | Ours |\n|---|---|---|\n| MNLI | 87.1 | 86.9 |\nResults"
    assert reports_results(table)
    assert reports_results("We reproduce the results of the paper.")
    assert not reports_results("| option | default |\n|---|---|\n| lr | see docs |")
    assert reimplementation_words("A reimplementation, not the official code") == [
        "not the official",
        "re-implementation",
    ]


def test_github_links_in_free_text() -> None:
    text = (
        "Code: https://github.com/ada/sma.git and github.com/ada/sma, "
        "see https://github.com/topics/peft and https://github.com/Bob/x-y."
    )
    assert github_full_names(text) == ["ada/sma", "Bob/x-y"]


def test_catalogue_shapes() -> None:
    data = {
        "repositories": [{"url": "https://github.com/a/b", "is_official": True}],
        "resources": {"code": [{"repo_url": "https://github.com/c/d"}]},
    }
    assert catalogue_repositories(data) == [
        ("https://github.com/a/b", True),
        ("https://github.com/c/d", None),
    ]
    assert catalogue_repositories(["not", "a", "paper"]) == []


def test_score_breakdown_sums_to_the_score() -> None:
    now = datetime(2026, 11, 22, tzinfo=UTC)
    good = ScoreInput(120, 14, now - timedelta(days=30), "Python", True, False, 85)
    score, lines = engineering_score(good, now=now)
    assert score == round(sum(line["points"] for line in lines), 1)
    fork = ScoreInput(120, 14, now - timedelta(days=30), "Python", True, True, 85)
    assert engineering_score(fork, now=now)[0] < score
