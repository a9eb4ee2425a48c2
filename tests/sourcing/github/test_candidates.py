"""From owner profiles to candidates: deduplication by login, reuse of the arXiv person's
candidate, people who objected, e-mails already taken, and the real recorded profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hiring.models import Candidate
from sourcing.github.api import GitHubApi
from sourcing.github.candidates import candidate_from_profile
from sourcing.github.models import ImplementationRun
from sourcing.github.selectors import opening_top_papers
from sourcing.github.toolkit import json_api
from sourcing.models import Prospect
from tests.hiring.factories import (
    CandidateEmailFactory,
    CandidateFactory,
    OpeningFactory,
    RoleProfileFactory,
)
from tests.sourcing.github.conftest import serve_sma
from tests.sourcing.github.factories import PaperFactory, add_authors, sma_paper
from tests.sourcing.github.replay import ReplayServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_paper(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    from sourcing.github import launch

    def start(paper):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            run, _ = launch.implementation_run_start_for_paper(paper=paper)
        run.refresh_from_db()
        return run

    return start


def test_recorded_profile_becomes_a_candidate_once(replay: ReplayServer) -> None:
    # given the real recorded profile of jacquev6
    replay.serve("users-jacquev6-2025")
    profile = GitHubApi(json_api(replay.base_url, sleep=[].append)).profile("jacquev6")

    # when it is turned into a candidate twice
    first = candidate_from_profile(profile=profile, author_person_id=None, evidence="GitHub: x")
    again = candidate_from_profile(profile=profile, author_person_id=None, evidence="GitHub: x")

    # then one candidate, with what GitHub says publicly, and the notice pending
    assert first.candidate is not None
    assert again.candidate == first.candidate
    candidate = Candidate.objects.get()
    assert candidate.full_name == "Vincent Jacques"
    assert candidate.github_login == "jacquev6"
    assert candidate.homepage == "http://vincent-jacques.net"
    assert candidate.notice_state == Candidate.NoticeState.PENDING
    assert candidate.source_evidence == "GitHub: x"
    assert list(candidate.emails.values_list("email", flat=True)) == ["vincent@vincent-jacques.net"]


def test_the_authors_existing_candidate_is_reused(upstream: ReplayServer, run_paper) -> None:  # type: ignore[no-untyped-def]
    # given Ada is already a candidate through arXiv sourcing (no GitHub login known)
    paper, (ada, _) = sma_paper()
    known = CandidateFactory(full_name="Ada Lovelace", source="arxiv")
    ada.candidate = known
    ada.save(update_fields=["candidate"])
    serve_sma(upstream)

    run_paper(paper)

    known.refresh_from_db()
    assert known.github_login == "adalovelace"
    assert known.source == "arxiv"  # where she was found first stays true
    assert "official code of arXiv:2401.04567" in known.source_evidence
    assert Candidate.objects.filter(full_name="Ada Lovelace").count() == 1


def test_people_who_objected_are_not_updated(upstream: ReplayServer, run_paper) -> None:  # type: ignore[no-untyped-def]
    paper, _ = sma_paper()
    bob = CandidateFactory(
        full_name="Bob", github_login="BobSmith", notice_state="objected", source_evidence=""
    )
    serve_sma(upstream)

    run = run_paper(paper)

    bob.refresh_from_db()
    assert bob.source_evidence == ""
    assert bob.full_name == "Bob"
    notes = {r["full_name"]: r["note"] for r in run.progress["repositories"]}
    assert "objected" in notes["bobsmith/sma-pytorch"]


def test_a_public_email_taken_by_someone_else_is_left_out(
    upstream: ReplayServer, run_paper
) -> None:  # type: ignore[no-untyped-def]
    paper, _ = sma_paper()
    CandidateEmailFactory(email="CAROL@example.net")
    serve_sma(upstream)

    run_paper(paper)

    carol = Candidate.objects.get(github_login="carol-ml")
    assert not carol.emails.exists()


def test_top_papers_follow_the_arxiv_ranking_first(settings) -> None:  # type: ignore[no-untyped-def]
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])
    ranked_paper = PaperFactory(primary_category="math.OC")
    (person,) = add_authors(ranked_paper, "Emmy Noether")
    Prospect.objects.create(role_profile=role, person=person, score=0.9)
    recent = PaperFactory(primary_category="cs.LG")
    PaperFactory(primary_category="hep-th")

    papers = opening_top_papers(opening=OpeningFactory(role_profile=role), top_n=2)

    assert papers == [ranked_paper, recent]


def test_candidate_page_shows_github_accounts(
    admin_client, upstream: ReplayServer, run_paper
) -> None:  # type: ignore[no-untyped-def]
    paper, _ = sma_paper()
    serve_sma(upstream)
    run = run_paper(paper)
    assert run.status == ImplementationRun.Status.SUCCEEDED
    bob = Candidate.objects.get(github_login="bobsmith")

    page = admin_client.get(reverse("admin:hiring_candidate_change", args=[bob.pk]))

    assert page.status_code == 200
    assert b"bobsmith/sma-pytorch" in page.content
