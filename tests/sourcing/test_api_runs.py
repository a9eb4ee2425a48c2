"""Query-API runs against the local replay of real arXiv responses (no mocking: the ``arxiv``
package makes real HTTP requests to 127.0.0.1)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from hiring.models import Candidate
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.launch import sourcing_run_create
from sourcing.models import Authorship, Paper, Person, Prospect, SourcingRun
from tests.hiring.factories import RoleProfileFactory
from tests.sourcing.conftest import api_fixture
from tests.sourcing.feeds import Entry, feed
from tests.sourcing.replay import ReplayServer, Reply

pytestmark = pytest.mark.django_db
PATH = "/api/query"


def _api_run(**parameters: object) -> SourcingRun:
    return sourcing_run_create(kind=SourcingRun.Kind.API, parameters=parameters)


def _serve_testing_pages(replay: ReplayServer) -> None:
    replay.add(PATH, {"start": "0"}, Reply.file(api_fixture("q_testing_s0_m10")))
    replay.add(PATH, {"start": "10"}, Reply.file(api_fixture("q_testing_s10_m10")))


def test_two_recorded_pages_become_papers_people_and_authorships(arxiv_replay):
    # given two consecutive recorded pages of one query
    _serve_testing_pages(arxiv_replay)
    run = _api_run(query="all:testing", max_results=20, page_size=10)

    # when
    outcome = sourcing_run_execute(run_id=run.pk)

    # then every entry is a paper with its authors, in order, and the run says so
    run.refresh_from_db()
    assert outcome == "succeeded", run.error
    assert run.status == SourcingRun.Status.SUCCEEDED
    assert Paper.objects.count() == 20 == run.papers_count
    assert (run.processed, run.total) == (20, 20)
    paper = Paper.objects.get(arxiv_id="2202.12139")
    assert paper.latest_version == 1
    assert paper.primary_category == "cs.SE"
    assert paper.categories == ["cs.SE", "cs.LG"]
    assert paper.doi == "10.1109/ICSTW55395.2022.00035"
    assert "ICST 2022" in paper.comment
    names = list(paper.authorships.values_list("name", flat=True))
    assert names == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"]
    assert run.people_count == Person.objects.count() > 0
    # the query went out with the package's parameters, sorted for stable offsets
    first = arxiv_replay.hits(PATH)[0].query
    assert first["search_query"] == "all:testing"
    assert (first["sortBy"], first["sortOrder"], first["max_results"]) == (
        "submittedDate",
        "ascending",
        "10",
    )


def test_rerunning_the_same_query_duplicates_nothing(arxiv_replay):
    _serve_testing_pages(arxiv_replay)
    sourcing_run_execute(run_id=_api_run(query="all:testing", max_results=20, page_size=10).pk)
    counts = (Paper.objects.count(), Person.objects.count(), Authorship.objects.count())

    second = _api_run(query="all:testing", max_results=20, page_size=10)
    assert sourcing_run_execute(run_id=second.pk) == "succeeded"

    assert (Paper.objects.count(), Person.objects.count(), Authorship.objects.count()) == counts
    second.refresh_from_db()
    assert second.people_count == 0


def test_affiliations_are_kept_on_authorships(arxiv_replay):
    arxiv_replay.add(PATH, {}, Reply.file(api_fixture("id_astro-ph_0601001")))
    run = _api_run(query="au:gould", max_results=5)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    paper = Paper.objects.get(arxiv_id="astro-ph/0601001")
    assert paper.journal_ref == "ActaAstron.56:1-50,2006"
    first = paper.authorships.get(position=0)
    assert (first.name, first.affiliation) == ("Andrew Gould", "Ohio State")
    assert paper.authorships.get(position=3).is_last


def test_429_with_retry_after_is_waited_out_then_the_page_is_fetched(arxiv_replay):
    arxiv_replay.add(
        PATH,
        {"start": "0"},
        Reply(429, b"Rate exceeded.", headers={"Retry-After": "1"}, content_type="text/plain"),
        Reply.file(api_fixture("q_testing_s0_m10")),
    )
    run = _api_run(query="all:testing", max_results=10, page_size=10)

    assert sourcing_run_execute(run_id=run.pk) == "succeeded"

    hits = arxiv_replay.hits(PATH)
    assert len(hits) == 2
    assert hits[1].at - hits[0].at >= 0.95  # Retry-After honoured, not the tiny backoff
    assert Paper.objects.count() == 10


def test_503_then_success_is_retried(arxiv_replay):
    arxiv_replay.add(
        PATH,
        {"start": "0"},
        Reply(503, b"busy", content_type="text/plain"),
        Reply.file(api_fixture("q_testing_s0_m10")),
    )
    run = _api_run(query="all:testing", max_results=10, page_size=10)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    assert len(arxiv_replay.hits(PATH)) == 2


def test_persistent_503_ends_the_run_failed_with_a_reason_and_it_can_resume(arxiv_replay, settings):
    settings.ARXIV_MAX_ATTEMPTS = 2
    arxiv_replay.add(PATH, {"start": "10"}, Reply(503, b"busy", content_type="text/plain"))
    arxiv_replay.add(PATH, {"start": "0"}, Reply.file(api_fixture("q_testing_s0_m10")))
    run = _api_run(query="all:testing", max_results=20, page_size=10)

    assert sourcing_run_execute(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert "HTTP 503" in run.error
    assert "gave up" in run.error
    assert run.checkpoint["offset"] == 10  # the first page is committed
    assert Paper.objects.count() == 10

    # when arXiv recovers, resuming fetches only the missing page
    arxiv_replay.routes[0].replies = [Reply.file(api_fixture("q_testing_s10_m10"))]
    SourcingRun.objects.filter(pk=run.pk).update(status=SourcingRun.Status.QUEUED)
    before = len(arxiv_replay.hits(PATH))
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    assert [h.query["start"] for h in arxiv_replay.hits(PATH)[before:]] == ["10"]
    assert Paper.objects.count() == 20


def test_the_api_400_error_feed_fails_the_run_with_arxivs_message(arxiv_replay):
    arxiv_replay.add(PATH, {}, Reply.file(api_fixture("id_abc"), status=400))
    run = _api_run(query="id:abc")

    assert sourcing_run_execute(run_id=run.pk) == "failed"

    run.refresh_from_db()
    assert run.status == SourcingRun.Status.FAILED
    assert "incorrect id format for abc" in run.error
    assert len(arxiv_replay.hits(PATH)) == 1  # permanent: not retried


def test_malformed_xml_fails_the_run(arxiv_replay):
    truncated = api_fixture("q_testing_s0_m10").read_bytes()[:6000]
    arxiv_replay.add(PATH, {}, Reply(body=truncated))
    run = _api_run(query="all:testing", max_results=10, page_size=10)

    assert sourcing_run_execute(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert "malformed XML" in run.error
    assert Paper.objects.count() == 0


def test_an_empty_result_is_a_successful_run_of_nothing(arxiv_replay):
    arxiv_replay.add(PATH, {}, Reply.file(api_fixture("id_0000.0000")))
    run = _api_run(query="ti:nothing-matches")
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    run.refresh_from_db()
    assert (run.papers_count, run.processed) == (0, 0)


def test_an_unexpectedly_empty_page_is_retried(arxiv_replay):
    empty_second = feed([], total=20, start=10, per_page=10)
    arxiv_replay.add(PATH, {"start": "0"}, Reply.file(api_fixture("q_testing_s0_m10")))
    arxiv_replay.add(
        PATH,
        {"start": "10"},
        Reply(body=empty_second),
        Reply.file(api_fixture("q_testing_s10_m10")),
    )
    run = _api_run(query="all:testing", max_results=20, page_size=10)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    assert Paper.objects.count() == 20


def test_long_date_ranges_are_split_below_30000_results(arxiv_replay):
    # given a window that claims more than 30,000 results, and halves that do not
    big = feed([Entry("2501.00001", "Big", ["Ann Lee"])], total=45_000, per_page=1)
    small = feed([Entry("2501.00002", "Small", ["Bob Ray"])], total=1, per_page=1)
    arxiv_replay.add(
        PATH,
        {"search_query": "(cat:cs.LG) AND submittedDate:[202401010000 TO 202412312359]"},
        Reply(body=big),
    )
    arxiv_replay.add(PATH, {}, Reply(body=small))
    run = _api_run(query="cat:cs.LG", **{"from": "2024-01-01", "to": "2024-12-31"})

    assert sourcing_run_execute(run_id=run.pk) == "succeeded"

    queries = [h.query["search_query"] for h in arxiv_replay.hits(PATH)]
    assert queries[1:] == [
        "(cat:cs.LG) AND submittedDate:[202401010000 TO 202407012359]",
        "(cat:cs.LG) AND submittedDate:[202407020000 TO 202412312359]",
    ]
    run.refresh_from_db()
    assert len(run.checkpoint["windows"]) == 2


def test_role_run_makes_ranked_first_author_candidates_with_evidence(arxiv_replay):
    # given a role and two ML papers by the same first author, one accepted at NeurIPS
    role = RoleProfileFactory(sourcing_categories=["cs.LG"], sourcing_keywords=["representation"])
    entries = [
        Entry("2501.00001", "Representation learning at scale", ["Ada Lovelace", "Alan Turing"],
              comment="Accepted at NeurIPS 2025",
              affiliations={"Ada Lovelace": "Analytical Engines Ltd"}),
        Entry("2502.00002", "Better representation probes", ["Ada Lovelace", "Grace Hopper"]),
        Entry("2503.00003", "A third paper", ["Grace Hopper", "Alan Turing"]),
    ]  # fmt: skip
    arxiv_replay.add(PATH, {}, Reply(body=feed(entries, total=3)))
    run = sourcing_run_create(kind=SourcingRun.Kind.API, parameters={}, role_profile=role)

    assert sourcing_run_execute(run_id=run.pk) == "succeeded"

    # the role's query was sent
    sent = arxiv_replay.hits(PATH)[0].query["search_query"]
    assert sent == '(cat:cs.LG) AND (ti:"representation" OR abs:"representation")'
    # first authors became candidates (Ada once, though she leads two papers), last authors not
    run.refresh_from_db()
    assert run.candidates_count == 2
    ada = Candidate.objects.get(full_name="Ada Lovelace")
    assert ada.source == Candidate.Source.ARXIV
    assert ada.notice_state == Candidate.NoticeState.PENDING
    assert "2501.00001" in ada.source_evidence
    assert "Analytical Engines Ltd" in ada.source_evidence
    assert not Candidate.objects.filter(full_name="Alan Turing").exists()
    prospect = Prospect.objects.get(role_profile=role, person__candidate=ada)
    assert prospect.first_author_papers == 2
    components = {c["name"]: c for c in prospect.breakdown["components"]}
    assert components["quality"]["value"] > 0
    assert "NeurIPS" in prospect.breakdown["papers"][0]["why"]
    grace = Prospect.objects.get(role_profile=role, person__display_name="Grace Hopper")
    assert prospect.score > grace.score

    # and running it again creates no second candidate
    again = sourcing_run_create(kind=SourcingRun.Kind.API, parameters={}, role_profile=role)
    assert sourcing_run_execute(run_id=again.pk) == "succeeded"
    assert Candidate.objects.count() == 2


def test_source_arxiv_command_reports_and_fails_clearly(arxiv_replay):
    role = RoleProfileFactory(slug="ml-test", sourcing_categories=["cs.LG"])
    arxiv_replay.add(PATH, {}, Reply.file(api_fixture("id_abc"), status=400))
    with pytest.raises(CommandError, match="incorrect id format"):
        call_command("source_arxiv", "--role", role.slug, "--max-results", "5", verbosity=0)
    with pytest.raises(CommandError, match="No role profile"):
        call_command("source_arxiv", "--role", "nope", verbosity=0)
