"""Paper runs end to end against the recorded scenario served on 127.0.0.1: one official
repository, two re-implementations, a repository deleted between search and fetch, a search hit
that does not cite the paper; plus failures that must end on the run, not in a crash."""

from __future__ import annotations

import pytest

from hiring.models import Candidate
from sourcing.github import execution, launch
from sourcing.github.models import GitHubAccount, Implementation, ImplementationRun, Repository
from sourcing.github.selectors import reimplementers_ranked
from sourcing.models import Paper
from tests.sourcing.github.conftest import SEARCH_BY_ID, SEARCH_BY_TITLE, SMA, serve_sma
from tests.sourcing.github.factories import PaperFactory, sma_paper
from tests.sourcing.github.replay import ReplayServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_paper(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Start a run the way callers do; its task is enqueued on commit and runs eagerly."""

    def start(paper: Paper) -> ImplementationRun:
        with django_capture_on_commit_callbacks(execute=True):
            run, created = launch.implementation_run_start_for_paper(paper=paper)
        assert created
        run.refresh_from_db()
        return run

    return start


def test_paper_run_finds_official_code_and_two_reimplementations(
    upstream: ReplayServer, run_paper
) -> None:
    # given the paper by Ada Lovelace and Grace Hopper, and the recorded upstreams
    paper, (ada, _grace) = sma_paper()
    serve_sma(upstream)

    # when a run executes (eagerly, on commit)
    run = run_paper(paper)

    # then
    assert run.status == ImplementationRun.Status.SUCCEEDED, run.error
    verdicts = dict(
        Implementation.objects.filter(paper=paper).values_list("repository__full_name", "verdict")
    )
    assert verdicts == {
        "adalovelace/sparse-mixture-adapters": "official",
        "bobsmith/sma-pytorch": "reimplementation",
        "carol-ml/sparse-adapters-jax": "reimplementation",
    }
    paper.refresh_from_db()
    assert paper.reimplementation_count == 2
    assert paper.has_official_code

    official = Implementation.objects.get(verdict="official")
    assert official.repository.full_name == "adalovelace/sparse-mixture-adapters"
    assert official.confidence >= 0.95
    assert any("Ada Lovelace" in r for r in official.reasons)
    assert any("catalogue" in r for r in official.reasons)
    assert official.author_person_id == ada.pk

    bob = Implementation.objects.get(repository__full_name="bobsmith/sma-pytorch")
    assert any('"unofficial"' in r for r in bob.reasons)
    assert bob.repository.readme_reports_results
    assert {f["source"] for f in bob.found_by} == {"github_search", "catalogue"}
    assert bob.score_breakdown[0]["factor"] == "reproduced results"

    # the deleted repository and the search noise are skipped, with reasons
    progress = run.progress
    assert progress["found"] == 5
    assert progress["recorded"] == 3
    assert progress["skipped"] == 2
    notes = {r["full_name"]: r["note"] for r in progress["repositories"]}
    assert "404" in notes["ghost-user/sma-old"]
    assert "does not cite" in notes["noise-org/awesome-peft"]


def test_owners_become_candidates_linked_to_the_arxiv_person(
    upstream: ReplayServer, run_paper
) -> None:
    paper, (ada, _grace) = sma_paper()
    serve_sma(upstream)

    run_paper(paper)

    candidates = {c.github_login: c for c in Candidate.objects.all()}
    assert set(candidates) == {"adalovelace", "bobsmith", "carol-ml"}
    ada_candidate = candidates["adalovelace"]
    assert ada_candidate.full_name == "Ada Lovelace"
    assert ada_candidate.homepage == "https://ada.example.org"
    assert ada_candidate.source == Candidate.Source.GITHUB
    assert ada_candidate.notice_state == Candidate.NoticeState.PENDING
    assert list(ada_candidate.emails.values_list("email", flat=True)) == ["ada@example.org"]
    ada.refresh_from_db()
    assert ada.candidate_id == ada_candidate.pk
    # organisations never become candidates
    assert not GitHubAccount.objects.filter(login="noise-org").exists()

    ranked = reimplementers_ranked(paper_ids=[paper.pk])
    assert [r.candidate.github_login for r in ranked] == ["bobsmith", "carol-ml"]
    assert ranked[0].score > ranked[1].score


def test_a_second_run_is_idempotent_and_reuses_etags(upstream: ReplayServer, run_paper) -> None:
    paper, _ = sma_paper()
    serve_sma(upstream)
    run_paper(paper)
    before = (Candidate.objects.count(), Repository.objects.count(), Implementation.objects.count())
    evidence = Candidate.objects.get(github_login="bobsmith").source_evidence

    again = run_paper(paper)

    assert again.status == ImplementationRun.Status.SUCCEEDED
    after = (Candidate.objects.count(), Repository.objects.count(), Implementation.objects.count())
    assert after == before
    assert Candidate.objects.get(github_login="bobsmith").source_evidence == evidence
    # the second run revalidated with the ETags the first one stored
    profile_requests = upstream.requests_to("/users/bobsmith")
    assert "if-none-match" in profile_requests[-1].headers


def test_starting_twice_while_queued_returns_the_same_run(
    upstream: ReplayServer, run_paper
) -> None:
    paper, _ = sma_paper()
    queued = ImplementationRun.objects.create(kind="paper", paper=paper)
    run, created = launch.implementation_run_start_for_paper(paper=paper)
    assert not created
    assert run.pk == queued.pk


def test_catalogues_are_optional(upstream: ReplayServer, settings, run_paper) -> None:  # type: ignore[no-untyped-def]
    # given the catalogues switched off
    settings.PAPER_CATALOGUE_ENABLED = False
    settings.HUGGINGFACE_PAPERS_ENABLED = False
    paper, _ = sma_paper()
    serve_sma(upstream, catalogues=False)

    run = run_paper(paper)

    # then the author's own repository is still recognised, from the owner's name alone
    assert run.status == "succeeded"
    official = Implementation.objects.get(verdict="official")
    assert official.repository.full_name == "adalovelace/sparse-mixture-adapters"
    assert not any("catalogue" in r for r in official.reasons)
    assert not upstream.requests_to(f"/api/papers/{SMA}")


def test_a_catalogue_outage_is_a_note_not_a_failure(upstream: ReplayServer, run_paper) -> None:
    paper, _ = sma_paper()
    serve_sma(upstream, catalogues=False)  # the catalogue URLs answer 418 (unrecorded)

    run = run_paper(paper)

    assert run.status == "succeeded"
    assert any(note.startswith("catalogue unavailable") for note in run.progress["notes"])


def test_rate_limit_fails_the_run_clearly_and_it_resumes(
    upstream: ReplayServer, run_paper, django_capture_on_commit_callbacks
) -> None:
    # given the search answers the real "rate limit exceeded" 403 every time
    paper, _ = sma_paper()
    upstream.serve("rate-limit-exceeded-403", at=SEARCH_BY_ID)

    run = run_paper(paper)

    # then the run failed with a message a recruiter understands, and nothing half-made exists
    assert run.status == "failed"
    assert "API Rate Limit Exceeded" in run.error
    assert "resum" in run.error
    assert not Candidate.objects.exists()
    assert not Repository.objects.exists()

    # when the limit has passed and the run is resumed
    upstream.routes.clear()
    serve_sma(upstream)
    with django_capture_on_commit_callbacks(execute=True):
        resumed = launch.implementation_run_resume(run=run)
    resumed.refresh_from_db()

    assert resumed.status == "succeeded", resumed.error
    assert Implementation.objects.filter(paper=paper).count() == 3


def test_a_run_continues_from_its_checkpoint(upstream: ReplayServer, run_paper) -> None:
    # given a run that already recorded bobsmith's repository before its worker died
    paper, _ = sma_paper()
    serve_sma(upstream)
    first = run_paper(paper)
    bob_requests = len(upstream.requests_to("/repos/bobsmith/sma-pytorch"))
    checkpoint = first.checkpoint
    checkpoint["done"] = ["bobsmith/sma-pytorch"]
    rerun = ImplementationRun.objects.create(
        kind="paper", paper=paper, status="queued", checkpoint=checkpoint, progress=first.progress
    )

    execution.implementation_run_execute(run_id=rerun.pk)

    # then it did not search again nor refetch what was done
    rerun.refresh_from_db()
    assert rerun.status == "succeeded"
    assert len(upstream.requests_to("/search/repositories")) == 2
    assert len(upstream.requests_to("/repos/bobsmith/sma-pytorch")) == bob_requests


def test_unknown_owner_is_recorded_without_a_candidate(upstream: ReplayServer, run_paper) -> None:
    # given a repository linked from the paper whose owner GitHub does not know (real 404)
    paper, _ = sma_paper()
    paper.comment = "Code: https://github.com/carol-ml/sparse-adapters-jax"
    paper.save(update_fields=["comment"])
    upstream.serve("search-repositories-empty", at=SEARCH_BY_ID)
    upstream.serve(
        "search-repositories-empty",
        at=SEARCH_BY_TITLE,
    )
    upstream.serve("repos-carol-ml--sparse-adapters-jax", "readme-carol-ml--sparse-adapters-jax")
    upstream.serve("users-unknown-404", at="/users/carol-ml")

    run = run_paper(paper)

    assert run.status == "succeeded"
    implementation = Implementation.objects.get()
    assert implementation.verdict == "official"  # the paper links it
    account = implementation.repository.owner
    assert account.candidate is None
    assert "404" in account.profile_error
    assert not Candidate.objects.exists()
    assert "no candidate" in run.progress["repositories"][0]["note"]


def test_bad_upstream_data_ends_in_an_error_on_the_run(upstream: ReplayServer, run_paper) -> None:
    # given the search answers an HTML error page with a 200-less status
    paper, _ = sma_paper()
    upstream.serve("server-error-502", at=SEARCH_BY_ID)

    run = run_paper(paper)

    assert run.status == "failed"
    assert "502" in run.error
    assert not Candidate.objects.exists()


def test_refresh_due_restarts_old_papers_only(upstream: ReplayServer, run_paper) -> None:
    from datetime import timedelta

    from django.utils import timezone

    paper, _ = sma_paper()
    old = timezone.now() - timedelta(days=30)
    ImplementationRun.objects.create(kind="paper", paper=paper, status="succeeded", finished_at=old)
    serve_sma(upstream)

    started = launch.papers_refresh_due()

    assert [r.paper_id for r in started] == [paper.pk]
    assert launch.papers_refresh_due() == []


def test_beat_task_prunes_the_etag_cache() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from sourcing.github.models import CachedResponse
    from sourcing.github.schedules import implementations_refresh_due

    old = CachedResponse.objects.create(key="a" * 64, url="u1", etag='"1"', body="{}")
    CachedResponse.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=40))
    fresh = CachedResponse.objects.create(key="b" * 64, url="u2", etag='"2"', body="{}")

    implementations_refresh_due()

    assert list(CachedResponse.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_search_answer_without_items_fails_the_run_clearly(
    upstream: ReplayServer, run_paper
) -> None:  # type: ignore[no-untyped-def]
    paper, _ = sma_paper()
    upstream.serve("search-malformed")

    run = run_paper(paper)

    assert run.status == "failed"
    assert run.error == "A search page has no items list."


def test_a_profile_without_a_login_makes_no_candidate(upstream: ReplayServer, run_paper) -> None:  # type: ignore[no-untyped-def]
    paper, _ = sma_paper()
    upstream.serve("users-bobsmith-malformed")  # queued before the good one: served first
    serve_sma(upstream)
    upstream.routes[("GET", "/users/bobsmith", frozenset())].responses.pop()  # only the bad one

    run = run_paper(paper)

    assert run.status == "succeeded"
    assert not Candidate.objects.filter(github_login__iexact="bobsmith").exists()
    bob = Implementation.objects.get(repository__full_name="bobsmith/sma-pytorch")
    assert "no usable login" in bob.repository.owner.profile_error


def test_a_run_left_running_by_a_dead_worker_is_taken_over(
    upstream: ReplayServer, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    # given a run whose worker died mid-way, silent for an hour
    paper, _ = sma_paper()
    serve_sma(upstream)
    run = ImplementationRun.objects.create(kind="paper", paper=paper, status="running")
    ImplementationRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    # a fresh running run (alive elsewhere) is left alone
    other = ImplementationRun.objects.create(kind="paper", paper=PaperFactory(), status="running")

    with django_capture_on_commit_callbacks(execute=True):
        assert launch.implementation_runs_requeue_stale() == 1

    run.refresh_from_db()
    other.refresh_from_db()
    assert run.status == "succeeded"
    assert other.status == "running"
    assert execution.implementation_run_execute(run_id=other.pk) is None


def test_an_owner_renamed_on_github_is_one_account_and_the_run_goes_on(
    upstream: ReplayServer, run_paper
) -> None:  # type: ignore[no-untyped-def]
    # given carol-ml already known, and bobsmith's repository whose owner GitHub now calls
    # carol-ml (a renamed account: the repository still names the old login)
    paper, _ = sma_paper()
    upstream.serve("sma-search-by-id")
    upstream.serve("sma-search-by-title", at=SEARCH_BY_TITLE)
    for full_name in (
        "adalovelace/sparse-mixture-adapters",
        "bobsmith/sma-pytorch",
        "carol-ml/sparse-adapters-jax",
        "noise-org/awesome-peft",
    ):
        key = full_name.replace("/", "--")
        upstream.serve(f"repos-{key}")
        upstream.serve(f"readme-{key}")
    upstream.serve("repos-deleted-404")
    for login in ("adalovelace", "carol-ml", "noise-org"):
        upstream.serve(f"users-{login}")
    upstream.serve("users-carol-ml", at="/users/bobsmith")
    GitHubAccount.objects.create(login="carol-ml")

    # when
    run = run_paper(paper)

    # then the run succeeded and both repositories belong to the one account
    assert run.status == "succeeded", run.error
    account = GitHubAccount.objects.get(login__iexact="carol-ml")
    assert sorted(account.repositories.values_list("full_name", flat=True)) == [
        "bobsmith/sma-pytorch",
        "carol-ml/sparse-adapters-jax",
    ]
    assert not GitHubAccount.objects.filter(login__iexact="bobsmith").exists()
