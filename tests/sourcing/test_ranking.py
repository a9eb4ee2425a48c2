from __future__ import annotations

import datetime as dt

from sourcing.ranking import scoring

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def paper(n, *, comment="", journal_ref="", reimpl=0, years_ago=1.0, cats=("cs.LG",)):
    return scoring.PaperSignal(
        arxiv_id=f"2501.{n:05d}",
        title="Representation learning",
        abstract="",
        categories=list(cats),
        primary_category=cats[0],
        published=NOW - dt.timedelta(days=365 * years_ago),
        comment=comment,
        journal_ref=journal_ref,
        reimplementation_count=reimpl,
    )


def _score(papers, last=0):
    return scoring.score(
        first_author=papers, last_author_count=last, categories=["cs.LG"],
        keywords=["representation"], now=NOW,
    )  # fmt: skip


def test_named_venues_from_comment_or_journal_ref():
    assert scoring.named_venue("Accepted to ICLR 2024", "") == ("ICLR", False)
    assert scoring.named_venue("", "Advances in NIPS 30") == ("NeurIPS", False)
    assert scoring.named_venue("CVPR 2023 Workshop on X", "") == ("CVPR", True)
    assert scoring.named_venue("12 pages, 3 figures", "Phys. Rev. D") is None
    assert scoring.named_venue("ACLU report", "") is None  # whole words only


def test_quality_beats_quantity():
    one_strong = _score([paper(1, comment="NeurIPS 2025", reimpl=8)])
    many_plain = _score([paper(i) for i in range(12)])
    assert one_strong["score"] > many_plain["score"]
    volume = {c["name"]: c for c in many_plain["components"]}["volume"]
    assert volume["value"] == 1.0
    assert "capped at 5" in volume["reason"]


def test_reimplementations_raise_the_score():
    assert _score([paper(1, reimpl=5)])["score"] > _score([paper(1)])["score"]


def test_recency_and_breakdown_shape():
    fresh, stale = _score([paper(1, years_ago=0.2)]), _score([paper(1, years_ago=8)])
    assert fresh["score"] > stale["score"]
    names = [c["name"] for c in fresh["components"]]
    assert names == ["topical_fit", "quality", "recency", "volume", "senior_signal"]
    assert abs(sum(c["points"] for c in fresh["components"]) - fresh["score"]) < 1e-3
    assert all(c["reason"] for c in fresh["components"])


def test_off_topic_papers_fit_less():
    on = _score([paper(1)])
    off = _score([paper(1, cats=("astro-ph",))])
    assert on["score"] > off["score"]
