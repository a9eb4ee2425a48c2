"""GDPR on the GitHub side, against the recorded scenario served on 127.0.0.1: a suppressed
owner is skipped on every path (by login before anything of theirs is fetched, by address or
ORCID once the profile is read), and an erased owner's accounts, repositories, verdicts and
cached answers are gone while everyone else's stay."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hiring.models import Candidate, Suppression
from hiring.services import candidate_erase, candidate_export, candidate_sources
from hiring.services.suppression import is_suppressed, suppression_add
from sourcing.github import launch
from sourcing.github.candidates import candidate_from_profile
from sourcing.github.etag_store import cached_responses_forget
from sourcing.github.models import (
    CachedResponse,
    GitHubAccount,
    Implementation,
    ImplementationRun,
    Repository,
)
from sourcing.github.parsing import OwnerProfile
from sourcing.models import Paper
from tests.hiring.factories import recruiter
from tests.sourcing.github.conftest import serve_sma
from tests.sourcing.github.factories import sma_paper
from tests.sourcing.github.replay import ReplayServer

pytestmark = pytest.mark.django_db
ERASED = Suppression.Reason.ERASED


@pytest.fixture
def run_paper(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    def start(paper: Paper) -> ImplementationRun:
        with django_capture_on_commit_callbacks(execute=True):
            run, created = launch.implementation_run_start_for_paper(paper=paper)
        assert created
        run.refresh_from_db()
        return run

    return start


def _mentions(login: str) -> list[str]:
    """Where the database still names ``login``: accounts, repositories, candidates, cached
    answers."""
    found = []
    if GitHubAccount.objects.filter(login__iexact=login).exists():
        found.append("account")
    if Repository.objects.filter(full_name__istartswith=f"{login}/").exists():
        found.append("repository")
    if Candidate.objects.filter(github_login__iexact=login).exists():
        found.append("candidate")
    if CachedResponse.objects.filter(body__icontains=login).exists():
        found.append("cached body")
    if CachedResponse.objects.filter(url__icontains=login).exists():
        found.append("cached url")
    return found


def test_a_suppressed_login_is_skipped_before_anything_of_theirs_is_fetched(
    upstream: ReplayServer, run_paper
) -> None:
    # given Bob objected (his login on the list, written in another case)
    suppression_add(
        kind=Suppression.Kind.GITHUB_LOGIN, values=["BobSmith"], reason=Suppression.Reason.OBJECTED
    )
    paper, _ = sma_paper()
    serve_sma(upstream)

    # when
    run = run_paper(paper)

    # then his repository (found by search and by the catalogue) is skipped and counted once
    assert run.status == ImplementationRun.Status.SUCCEEDED, run.error
    assert run.suppressed_count == 1
    assert _mentions("bobsmith") == []
    assert upstream.requests_to("/users/bobsmith") == []
    assert upstream.requests_to("/repos/bobsmith/sma-pytorch") == []
    assert "bobsmith" not in json.dumps([run.progress, run.checkpoint]).lower()
    assert run.progress["found"] == 4
    # and everyone else is recorded as before
    verdicts = dict(Implementation.objects.values_list("repository__full_name", "verdict"))
    assert verdicts == {
        "adalovelace/sparse-mixture-adapters": "official",
        "carol-ml/sparse-adapters-jax": "reimplementation",
    }


def test_an_owner_suppressed_by_address_is_skipped_once_the_profile_is_read(
    upstream: ReplayServer, run_paper
) -> None:
    suppression_add(kind=Suppression.Kind.EMAIL, values=["Carol@Example.net"], reason=ERASED)
    paper, _ = sma_paper()
    serve_sma(upstream)

    run = run_paper(paper)

    assert run.status == ImplementationRun.Status.SUCCEEDED, run.error
    assert run.suppressed_count == 1
    assert _mentions("carol-ml") == []
    assert "suppressed" in run.progress
    assert "carol" not in json.dumps(run.progress["repositories"]).lower()
    assert set(GitHubAccount.objects.values_list("login", flat=True)) == {"adalovelace", "bobsmith"}


def _profile(**overrides: str) -> OwnerProfile:
    values: dict[str, object] = {
        "login": "dora", "kind": "User", "github_id": 7, "name": "Dora Explorer", "blog": "",
        "company": "", "location": "", "email": "", "followers": 3,
        "html_url": "https://github.com/dora",
    }  # fmt: skip
    values.update(overrides)
    return OwnerProfile(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "value", "profile"),
    [
        (Suppression.Kind.GITHUB_LOGIN, "DORA", _profile()),
        (Suppression.Kind.EMAIL, "dora@example.org", _profile(email="dora@example.org")),
        (Suppression.Kind.ORCID, "0000-0002-1825-0097",
         _profile(blog="https://orcid.org/0000-0002-1825-0097")),
    ],
)  # fmt: skip
def test_no_candidate_for_a_suppressed_profile(kind: str, value: str, profile: OwnerProfile):
    suppression_add(kind=kind, values=[value], reason=ERASED)

    outcome = candidate_from_profile(profile=profile, author_person_id=None, evidence="GitHub: x")

    assert outcome.candidate is None
    assert "dora" not in outcome.note.lower()
    assert not Candidate.objects.exists()


def test_erasure_takes_the_owner_out_and_a_later_run_skips_them(
    upstream: ReplayServer, run_paper
) -> None:
    # given a run that recorded Carol's re-implementation and made her a candidate
    paper, _ = sma_paper()
    serve_sma(upstream)
    first = run_paper(paper)
    carol = Candidate.objects.get(github_login="carol-ml")
    assert "carol-ml" in json.dumps(first.progress)

    # and what she can read about herself before she asks to be erased
    document = candidate_export(candidate=carol)
    sources = [s for _r, found in candidate_sources.send(sender=Candidate, candidate=carol)
               for s in found]  # fmt: skip
    github = document["github"]
    assert [(a["login"], a["email"]) for a in github["accounts"]] == [
        ("carol-ml", "carol@example.net")
    ]
    assert [r["full_name"] for r in github["repositories"]] == ["carol-ml/sparse-adapters-jax"]
    implementation = github["implementations"][0]
    assert implementation["verdict"] == "reimplementation"
    assert implementation["paper"]["arxiv_id"] == paper.arxiv_id
    assert implementation["reasons"]
    assert {"kind": "GitHub repository", "title": "carol-ml/sparse-adapters-jax",
            "url": "https://github.com/carol-ml/sparse-adapters-jax"} in sources  # fmt: skip

    # when
    erasure = candidate_erase(candidate=carol)

    # then nothing of hers is left, the paper's count follows, others are untouched
    assert _mentions("carol-ml") == []
    assert erasure.counts["GitHub accounts"] == 1
    assert erasure.counts["GitHub repositories"] == 1
    assert erasure.counts["GitHub implementations"] == 1
    paper.refresh_from_db()
    assert paper.reimplementation_count == 1
    first.refresh_from_db()
    assert "carol" not in json.dumps([first.progress, first.checkpoint]).lower()
    assert "[erased]" in json.dumps(first.progress)
    assert GitHubAccount.objects.filter(login="bobsmith").exists()
    assert Repository.objects.filter(full_name="bobsmith/sma-pytorch").exists()
    assert is_suppressed(kind=Suppression.Kind.GITHUB_LOGIN, value="Carol-ML")
    assert is_suppressed(kind=Suppression.Kind.EMAIL, value="carol@example.net")

    # and when the paper is searched again she is skipped
    again = run_paper(paper)
    assert again.status == ImplementationRun.Status.SUCCEEDED, again.error
    assert again.suppressed_count == 1
    assert _mentions("carol-ml") == []
    assert Candidate.objects.filter(github_login="bobsmith").exists()


def test_cached_answers_are_forgotten_by_whole_login_only():
    def cached(key: str, url: str, body: str) -> CachedResponse:
        return CachedResponse.objects.create(key=key * 64, url=url, etag='"1"', body=body)

    profile = cached("a", "https://api.github.com/users/Ada", '{"login": "ada"}')
    search = cached("b", "https://api.github.com/search/repositories?q=x", '{"login":"ADA"}')
    adam = cached("c", "https://api.github.com/users/adam", '{"login": "adam"}')
    # "ada-tools" is another name (a login or repository may hold hyphens), not "ada"
    other = cached("d", "https://api.github.com/repos/bob/ada-tools", '{"login": "bob"}')

    assert cached_responses_forget(logins=["ada"]) == 2

    assert not CachedResponse.objects.filter(pk__in=[profile.pk, search.pk]).exists()
    assert set(CachedResponse.objects.values_list("pk", flat=True)) == {adam.pk, other.pk}


def test_the_suppressed_count_shows_in_the_api_and_the_admin(admin_client):  # type: ignore[no-untyped-def]
    paper, _ = sma_paper()
    run = ImplementationRun.objects.create(kind="paper", paper=paper, suppressed_count=2)
    api = APIClient()
    api.force_authenticate(recruiter())

    assert api.get(f"/api/v1/reimplementation-runs/{run.pk}/").json()["suppressed_count"] == 2
    changelist = admin_client.get(reverse("admin:sourcing_github_implementationrun_changelist"))
    assert b"suppressed count" in changelist.content.lower()
