"""GDPR on the arXiv side: an erased person's author identity is gone, their papers keep an
anonymous slot, their data is exported and named in the notice while they are here, and no
engine brings them back afterwards (the suppression list, checked on every path)."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.db import connection, connections
from django.urls import reverse
from rest_framework.test import APIClient

from hiring.models import Candidate, Suppression
from hiring.services import candidate_erase, candidate_export, candidate_sources
from hiring.services.suppression import (
    SuppressionSet,
    is_suppressed,
    mention_value,
    suppression_add,
)
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.launch import sourcing_run_create
from sourcing.models import Authorship, Paper, Person, PersonChange, Prospect, SourcingRun
from sourcing.people.generation import PEOPLE_LOCK_KEY
from sourcing.people.names import parse_name
from sourcing.privacy import ERASED_AUTHOR, records_suppress
from sourcing.ranking.prospects import candidates_for_people
from sourcing.records import AuthorRecord, PaperRecord
from tests.hiring.factories import CandidateFactory, RoleProfileFactory, recruiter
from tests.sourcing.conftest import OAI, api_fixture
from tests.sourcing.factories import (
    AuthorshipFactory,
    PaperFactory,
    PersonFactory,
    ProspectFactory,
    SourcingRunFactory,
)
from tests.sourcing.feeds import oai_page
from tests.sourcing.replay import Reply

pytestmark = pytest.mark.django_db
XML = "text/xml; charset=utf-8"


def _forms(*names: str) -> list[dict[str, object]]:
    return [{"name": n, "initials": list(parse_name(n).initials)} for n in names]


@pytest.fixture
def vaswani() -> dict[str, object]:
    """A sourced person with two identities (one merged into the other), three papers with a
    co-author each, a prospect, a merge record and a run error that names them."""
    candidate = CandidateFactory(
        full_name="Ashish Vaswani",
        source=Candidate.Source.ARXIV,
        notice_state=Candidate.NoticeState.PENDING,
    )
    person = PersonFactory(
        display_name="Ashish Vaswani",
        name_key="vaswani|a",
        full_key="ashish vaswani",
        name_forms=_forms("Ashish Vaswani"),
        affiliations=["Google Brain"],
        coauthor_keys=["shazeer|n"],
        first_year=2017,
        last_year=2017,
        candidate=candidate,
    )
    merged = PersonFactory(
        display_name="A. Vaswani",
        name_key="vaswani|a",
        full_key="",
        name_forms=_forms("A. Vaswani"),
        merged_into=person,
    )
    attention = PaperFactory(arxiv_id="1706.03762", title="Attention Is All You Need")
    relative = PaperFactory(arxiv_id="1803.02155", title="Self-Attention with Relative Position")
    AuthorshipFactory(
        paper=attention, person=person, position=0, name="Ashish Vaswani",
        affiliation="Google Brain",
    )  # fmt: skip
    AuthorshipFactory(paper=relative, person=merged, position=2, name="A. Vaswani")
    shazeer = PersonFactory(
        display_name="Noam Shazeer",
        name_key="shazeer|n",
        coauthor_keys=["parmar|n", "vaswani|a"],
    )
    AuthorshipFactory(paper=attention, person=shazeer, position=1, name="Noam Shazeer")
    # A namesake by initials on an unrelated paper: not them, and must stay.
    namesake = PersonFactory(display_name="A. Vaswani", name_key="vaswani|a", full_key="")
    AuthorshipFactory(
        paper=PaperFactory(arxiv_id="2101.00001", title="Unrelated"), person=namesake,
        position=0, name="A. Vaswani",
    )  # fmt: skip
    prospect = ProspectFactory(person=person)
    PersonChange.objects.create(kind=PersonChange.Kind.MERGE, source=merged, target=person)
    run = SourcingRunFactory(error="unusable record: author Ashish Vaswani has no paper")
    return {
        "candidate": candidate,
        "person": person,
        "merged": merged,
        "attention": attention,
        "shazeer": shazeer,
        "namesake": namesake,
        "prospect": prospect,
        "run": run,
    }


def test_erasure_removes_the_identities_and_leaves_anonymous_slots(vaswani):
    # when
    erasure = candidate_erase(candidate=vaswani["candidate"], reason="Art. 17 request")

    # then their identities, authorships, prospect and merge history are gone
    assert not Person.objects.filter(pk__in=[vaswani["person"].pk, vaswani["merged"].pk]).exists()
    assert not Prospect.objects.filter(pk=vaswani["prospect"].pk).exists()
    assert not PersonChange.objects.exists()
    left = Authorship.objects.filter(name__icontains="Vaswani").values_list("person", flat=True)
    assert list(left) == [vaswani["namesake"].pk]
    assert erasure.counts["arXiv authorships"] == 2
    assert erasure.counts["arXiv author identities"] == 2
    # the papers stay, with the co-author at their position and an empty slot where they were
    attention = Paper.objects.get(arxiv_id="1706.03762")
    assert list(attention.authorships.values_list("position", "name")) == [(1, "Noam Shazeer")]
    assert Paper.objects.filter(arxiv_id="1803.02155").exists()
    # the co-author's evidence no longer points at them; the namesake by initials is untouched
    vaswani["shazeer"].refresh_from_db()
    assert vaswani["shazeer"].coauthor_keys == ["parmar|n"]
    assert Person.objects.filter(pk=vaswani["namesake"].pk).exists()
    # the run's error no longer names them
    vaswani["run"].refresh_from_db()
    assert vaswani["run"].error == "unusable record: author [erased] has no paper"
    # each author slot and the full name are suppressed; the initials-only form is not
    assert is_suppressed(
        kind=Suppression.Kind.ARXIV_MENTION, value=mention_value("1706.03762", "Ashish Vaswani")
    )
    assert is_suppressed(
        kind=Suppression.Kind.ARXIV_MENTION, value=mention_value("1803.02155", "A. Vaswani")
    )
    assert is_suppressed(kind=Suppression.Kind.ARXIV_NAME, value="Ashish Vaswani")
    assert not is_suppressed(kind=Suppression.Kind.ARXIV_NAME, value="A. Vaswani")


def test_export_and_notice_show_the_arxiv_data(vaswani):
    # when
    document = candidate_export(candidate=vaswani["candidate"])
    sources = [s for _r, found in candidate_sources.send(
        sender=Candidate, candidate=vaswani["candidate"]) for s in found]  # fmt: skip

    # then
    arxiv = document["arxiv"]
    assert [p["display_name"] for p in arxiv["people"]] == ["Ashish Vaswani", "A. Vaswani"]
    assert arxiv["people"][0]["affiliations"] == ["Google Brain"]
    assert arxiv["people"][0]["coauthor_keys"] == ["shazeer|n"]
    written = {
        (a["arxiv_id"], a["name_as_written"], a["affiliation"]) for a in arxiv["authorships"]
    }
    assert written == {
        ("1706.03762", "Ashish Vaswani", "Google Brain"),
        ("1803.02155", "A. Vaswani", ""),
    }
    assert arxiv["prospects"][0]["score"] == 0.5
    assert "components" in arxiv["prospects"][0]["breakdown"]
    assert {"kind": "arXiv paper", "title": "Attention Is All You Need",
            "url": "https://arxiv.org/abs/1706.03762"} in sources  # fmt: skip
    assert len([s for s in sources if s["kind"] == "arXiv paper"]) == 2


def _record(arxiv_id: str, *names: str) -> PaperRecord:
    return PaperRecord(
        arxiv_id=arxiv_id,
        title="A paper",
        authors=[AuthorRecord(raw=n, parts=parse_name(n), affiliation="Somewhere") for n in names],
    )


def test_the_record_filter_turns_suppressed_authors_into_erased_slots():
    # given the list: one author slot, one full name, and (as an objection may have put there)
    # an initials-only form, which must never suppress by name
    reason = Suppression.Reason.ERASED
    suppression_add(
        kind=Suppression.Kind.ARXIV_MENTION,
        values=[mention_value("2501.00001", "Ada Lovelace")],
        reason=reason,
    )
    suppression_add(kind=Suppression.Kind.ARXIV_NAME, values=["Grace Hopper", "G. Hopper"],
                    reason=reason)  # fmt: skip
    records = [
        _record("2501.00001", "Ada Lovelace", "Alan Turing"),
        _record("2501.00002", "Ada Lovelace", "Hopper, Grace", "G. Hopper", "Grace Hopper"),
    ]

    # when
    replaced = records_suppress(records, SuppressionSet.load())

    # then: the mention only on its paper, the full name in either order, not the initials
    assert replaced == 3
    assert [a.raw for a in records[0].authors] == ["", "Alan Turing"]
    assert [a.raw for a in records[1].authors] == ["Ada Lovelace", "", "G. Hopper", ""]
    erased = records[0].authors[0]
    assert erased == ERASED_AUTHOR
    assert (erased.affiliation, erased.parts.name_key, erased.parts.display) == ("", "|", "")


def test_an_empty_list_changes_nothing():
    records = [_record("2501.00001", "Ada Lovelace")]
    assert records_suppress(records, SuppressionSet.load()) == 0
    assert records[0].authors[0].raw == "Ada Lovelace"


def test_no_candidate_for_a_person_whose_full_name_is_suppressed():
    suppression_add(
        kind=Suppression.Kind.ARXIV_NAME, values=["Grace Hopper"], reason=Suppression.Reason.ERASED
    )
    hopper = PersonFactory(display_name="Grace Hopper", name_forms=_forms("Grace Hopper"))
    initials = PersonFactory(display_name="G. Hopper", name_forms=_forms("G. Hopper"))

    assert candidates_for_people(person_ids=[hopper.pk, initials.pk]) == 1

    hopper.refresh_from_db()
    initials.refresh_from_db()
    assert hopper.candidate is None
    assert initials.candidate is not None


def _serve_testing_page(replay) -> None:  # type: ignore[no-untyped-def]
    replay.add("/api/query", {"start": "0"}, Reply.file(api_fixture("q_testing_s0_m10")))


def test_a_query_api_run_after_erasure_does_not_bring_the_person_back(arxiv_replay):
    # given a role run that made the first author of 2202.12139 a candidate, then their erasure
    _serve_testing_page(arxiv_replay)
    role = RoleProfileFactory(sourcing_categories=["cs.SE"])
    parameters = {"max_results": 10, "page_size": 10}
    first = sourcing_run_create(kind=SourcingRun.Kind.API, parameters=parameters, role_profile=role)
    assert sourcing_run_execute(run_id=first.pk) == "succeeded"
    ahuja = Candidate.objects.get(full_name="Mohit Kumar Ahuja")
    candidate_erase(candidate=ahuja)

    # when the same page is imported again
    again = sourcing_run_create(kind=SourcingRun.Kind.API, parameters=parameters, role_profile=role)
    assert sourcing_run_execute(run_id=again.pk) == "succeeded"

    # then they are no one again: no identity, no authorship, no candidate
    again.refresh_from_db()
    assert again.suppressed_count == 1
    assert not Person.objects.filter(display_name__icontains="Ahuja").exists()
    assert not Authorship.objects.filter(name__icontains="Ahuja").exists()
    assert not Candidate.objects.filter(full_name__icontains="Ahuja").exists()
    # their co-authors are imported as before
    names = set(Paper.objects.get(arxiv_id="2202.12139").authorships.values_list("name", flat=True))
    assert names == {"Arnaud Gotlieb", "Helge Spieker"}


def test_an_oai_harvest_after_erasure_does_not_bring_the_person_back(arxiv_replay):
    # given a harvest that made the first author of 0704.1109 (gr-qc) a candidate, then their
    # erasure
    arxiv_replay.add(
        "/oai", {"resumptionToken": "726959|1001"},
        Reply(body=oai_page([]), content_type=XML),
    )  # fmt: skip
    arxiv_replay.add(
        "/oai", {"verb": "ListRecords"},
        Reply.file(OAI / "ListRecordsResponse.xml", content_type=XML),
    )  # fmt: skip
    role = RoleProfileFactory(sourcing_categories=["gr-qc"])
    parameters = {"set": "physics", "from": "2014-10-01"}
    first = sourcing_run_create(kind=SourcingRun.Kind.OAI, parameters=parameters, role_profile=role)
    assert sourcing_run_execute(run_id=first.pk) == "succeeded"
    rosa = Candidate.objects.get(full_name="Valeria M. Rosa")
    candidate_erase(candidate=rosa)

    # when the same records are harvested again
    again = sourcing_run_create(kind=SourcingRun.Kind.OAI, parameters=parameters, role_profile=role)
    assert sourcing_run_execute(run_id=again.pk) == "succeeded"

    # then
    again.refresh_from_db()
    assert again.suppressed_count == 1
    assert not Person.objects.filter(display_name__icontains="Rosa").exists()
    assert not Authorship.objects.filter(name__icontains="Rosa").exists()
    assert not Candidate.objects.filter(full_name__icontains="Rosa").exists()
    names = Paper.objects.get(arxiv_id="0704.1109").authorships.values_list("name", flat=True)
    assert list(names) == ["Patricio S. letelier"]


def test_the_suppressed_count_shows_in_the_api_and_the_admin(admin_client):
    run = SourcingRunFactory(suppressed_count=3)
    api = APIClient()
    api.force_authenticate(recruiter())

    assert api.get(f"/api/v1/sourcing-runs/{run.pk}/").json()["suppressed_count"] == 3
    changelist = admin_client.get(reverse("admin:sourcing_sourcingrun_changelist")).content
    assert b"suppressed count" in changelist.lower()
    change = admin_client.get(reverse("admin:sourcing_sourcingrun_change", args=[run.pk]))
    assert b"authors skipped: erased or objected" in change.content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_erasure_waits_for_an_import_before_locking_the_people(postgres, vaswani):
    # given: an import writing a chunk of people (it holds the people lock)
    person = vaswani["person"]
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], host=db["HOST"], port=db["PORT"], user=db["USER"]
    ) as importer:
        importer.execute("SELECT pg_advisory_xact_lock(%s)", [PEOPLE_LOCK_KEY])

        # when: the candidate is erased meanwhile
        def erase() -> None:
            try:
                candidate_erase(candidate=vaswani["candidate"])
            finally:
                connections.close_all()

        erasing = threading.Thread(target=erase)
        erasing.start()
        deadline = time.monotonic() + 20
        while not importer.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()[0]:
            assert time.monotonic() < deadline, "the erasure never waited for the lock"
            time.sleep(0.05)

        # then: it waits without holding their rows, so the import can still lock and rewrite
        # them (the other way round, each would wait for the other)
        importer.execute("SET LOCAL lock_timeout = '2s'")
        importer.execute(
            "UPDATE sourcing_person SET confidence = confidence WHERE id = %s", [person.pk]
        )
        importer.commit()
    erasing.join(30)
    assert not erasing.is_alive()
    assert not Person.objects.filter(pk=person.pk).exists()
