"""OAI-PMH harvests against the recorded responses and our own pages in the same format."""

from __future__ import annotations

import datetime as dt

import pytest

from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.launch import sourcing_run_create
from sourcing.models import HarvestState, Paper, SourcingRun
from sourcing.schedules import harvest_arxiv_oai_nightly
from tests.sourcing.conftest import OAI
from tests.sourcing.feeds import oai_page
from tests.sourcing.replay import Reply

pytestmark = pytest.mark.django_db
PATH = "/oai"
XML = "text/xml; charset=utf-8"


def _oai_run(**parameters: object) -> SourcingRun:
    return sourcing_run_create(kind=SourcingRun.Kind.OAI, parameters=parameters)


def _second_page() -> bytes:
    return oai_page(
        [
            {"id": "2503.00001", "datestamp": "2015-01-02", "title": "Late paper",
             "authors": "Ada Lovelace and Alan Turing"},
        ]
    )  # fmt: skip


def test_harvest_follows_the_resumption_token_and_remembers_the_datestamp(arxiv_replay):
    # given the recorded first page (6 records, a token) and a last page
    arxiv_replay.add(
        PATH, {"resumptionToken": "726959|1001"}, Reply(body=_second_page(), content_type=XML)
    )
    arxiv_replay.add(
        PATH, {"verb": "ListRecords"}, Reply.file(OAI / "ListRecordsResponse.xml", content_type=XML)
    )
    run = _oai_run(set="physics", **{"from": "2014-10-01"})

    # when
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"

    # then
    hits = arxiv_replay.hits(PATH)
    assert hits[0].query == {
        "verb": "ListRecords",
        "metadataPrefix": "arXivRaw",
        "set": "physics",
        "from": "2014-10-01",
    }
    assert hits[1].query == {"verb": "ListRecords", "resumptionToken": "726959|1001"}
    assert Paper.objects.count() == 7
    paper = Paper.objects.get(arxiv_id="0704.0716")
    assert paper.latest_version == 4
    assert paper.title == "Limit distributions and scaling functions"
    assert paper.published == dt.datetime(2007, 4, 5, 12, 45, 3, tzinfo=dt.UTC)
    shetty = Paper.objects.get(arxiv_id="0704.0471")
    assert list(shetty.authorships.values_list("name", flat=True)) == [
        "D.V. Shetty",
        "S.J. Yennello",
        "G.A. Souliotis",
    ]
    run.refresh_from_db()
    assert run.total == run.processed == 7  # completeListSize until the last page
    assert HarvestState.objects.get(set_spec="physics").last_datestamp == dt.date(2015, 1, 2)

    # and the next harvest of the set starts from that datestamp
    arxiv_replay.routes.insert(
        0,
        arxiv_replay.routes[1].__class__(
            path=PATH,
            params={"from": "2015-01-02"},
            replies=[Reply.file(OAI / "ErrorResponseNoRecordsMatch.xml", content_type=XML)],
        ),
    )
    nxt = _oai_run(set="physics")
    assert sourcing_run_execute(run_id=nxt.pk) == "succeeded"
    assert arxiv_replay.hits(PATH)[-1].query["from"] == "2015-01-02"


def test_no_records_match_is_a_successful_empty_harvest(arxiv_replay):
    arxiv_replay.add(
        PATH, {}, Reply.file(OAI / "ErrorResponseNoRecordsMatch.xml", content_type=XML)
    )
    run = _oai_run(set="moo")
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    run.refresh_from_db()
    assert (run.status, run.papers_count) == (SourcingRun.Status.SUCCEEDED, 0)


def test_bad_resumption_token_fails_the_run_with_the_oai_message(arxiv_replay):
    arxiv_replay.add(
        PATH, {"resumptionToken": "726959|1001"},
        Reply.file(OAI / "ErrorResponseBadResumptionToken.xml", content_type=XML),
    )  # fmt: skip
    arxiv_replay.add(PATH, {}, Reply.file(OAI / "ListRecordsResponse.xml", content_type=XML))
    run = _oai_run(set="physics")

    assert sourcing_run_execute(run_id=run.pk) == "failed"

    run.refresh_from_db()
    assert run.error == (
        "OAI-PMH error badResumptionToken: The resumptionToken supplied is illegal for this "
        "repository"
    )
    assert Paper.objects.count() == 6  # the first page stays committed


def test_a_resumed_run_with_an_expired_token_starts_over_from_its_date(arxiv_replay):
    arxiv_replay.add(
        PATH, {"resumptionToken": "expired"},
        Reply.file(OAI / "ErrorResponseBadResumptionToken.xml", content_type=XML),
    )  # fmt: skip
    arxiv_replay.add(PATH, {"from": "2014-10-01"}, Reply(body=_second_page(), content_type=XML))
    run = _oai_run(set="cs", **{"from": "2014-10-01"})
    SourcingRun.objects.filter(pk=run.pk).update(
        checkpoint={"from": "2014-10-01", "token": "expired", "latest": None, "done": False}
    )
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    assert Paper.objects.filter(arxiv_id="2503.00001").exists()


def test_malformed_xml_fails_the_run(arxiv_replay):
    body = (OAI / "ListRecordsResponse.xml").read_bytes()[:3000]
    arxiv_replay.add(PATH, {}, Reply(body=body, content_type=XML))
    run = _oai_run(set="cs")
    assert sourcing_run_execute(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert run.error.startswith("OAI-PMH sent malformed XML")


def test_503_retry_after_is_honoured(arxiv_replay):
    arxiv_replay.add(
        PATH, {},
        Reply(503, b"Retry later", headers={"Retry-After": "1"}, content_type="text/plain"),
        Reply(body=_second_page(), content_type=XML),
    )  # fmt: skip
    run = _oai_run(set="cs")
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    hits = arxiv_replay.hits(PATH)
    assert hits[1].at - hits[0].at >= 0.95


def test_nightly_beat_task_starts_one_harvest_per_set(
    arxiv_replay, settings, django_capture_on_commit_callbacks
):
    settings.ARXIV_OAI_SETS = ["cs", "stat"]
    arxiv_replay.add(
        PATH, {}, Reply.file(OAI / "ErrorResponseNoRecordsMatch.xml", content_type=XML)
    )
    with django_capture_on_commit_callbacks(execute=True):
        started = harvest_arxiv_oai_nightly()
    runs = SourcingRun.objects.filter(pk__in=started).order_by("pk")
    assert [r.parameters["set"] for r in runs] == ["cs", "stat"]
    assert all(r.status == SourcingRun.Status.SUCCEEDED for r in runs)  # eager in tests
    assert "sourcing-arxiv-oai-nightly" in settings.CELERY_BEAT_SCHEDULE
