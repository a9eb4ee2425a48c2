"""The hiring side of data protection: the notice clock's edges, objections, suppression hashes,
erasure of hiring's own data (and of the event log, the admin log and stored API answers), the
access export and retention. The other apps' parts are tested in their own packages; the whole
walk across every table is tests/test_privacy_erasure.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from core.events.models import Event
from core.idempotency.models import IdempotencyKey
from hiring import roles
from hiring.models import Application, Candidate, Stage, Suppression
from hiring.services import (
    CandidateInput,
    ErasedError,
    application_transition,
    candidate_create,
    candidate_erase,
    candidate_export,
    candidate_merge,
    candidate_object,
    candidate_update,
    candidates_by_notice,
    retention_apply,
)
from hiring.services.notices import add_month
from hiring.services.person_terms import PersonTerms
from hiring.services.retention import months_before, retention_due
from hiring.services.suppression import (
    SuppressionSet,
    identifier_digest,
    is_suppressed,
    mention_value,
    suppression_add,
)
from tests.hiring.factories import (
    ApplicationFactory,
    OpeningFactory,
    TokenFactory,
    UserFactory,
    integration,
    recruiter,
)

pytestmark = pytest.mark.django_db


def api(user: object) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def sourced(name: str = "Zofia Wiśniewska-Ortega", **fields: object) -> Candidate:
    data = {"full_name": name, "source": "arxiv", "notice_state": "pending", **fields}
    return candidate_create(data=CandidateInput(data, []))


# --- the clock ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (dt.datetime(2026, 1, 31, 9, tzinfo=dt.UTC), dt.datetime(2026, 2, 28, 9, tzinfo=dt.UTC)),
        (dt.datetime(2028, 1, 31, 9, tzinfo=dt.UTC), dt.datetime(2028, 2, 29, 9, tzinfo=dt.UTC)),
        (dt.datetime(2026, 12, 15, tzinfo=dt.UTC), dt.datetime(2027, 1, 15, tzinfo=dt.UTC)),
        (dt.datetime(2026, 3, 31, tzinfo=dt.UTC), dt.datetime(2026, 4, 30, tzinfo=dt.UTC)),
    ],
)
def test_the_notice_is_due_one_calendar_month_after_sourcing(
    start: dt.datetime, due: dt.datetime
) -> None:
    assert add_month(start) == due


def test_a_sourced_candidate_starts_the_clock_and_an_applicant_does_not() -> None:
    person = sourced()
    assert person.sourced_at is not None
    assert person.notice_due_at == add_month(person.sourced_at)
    applicant = candidate_create(data=CandidateInput({"full_name": "Applied Themselves"}, []))
    assert applicant.sourced_at is None
    assert applicant.notice_due_at is None


def test_due_overdue_and_sent_lists_at_their_edges() -> None:
    now = timezone.now()
    overdue = sourced("Over Due")
    Candidate.objects.filter(pk=overdue.pk).update(notice_due_at=now - dt.timedelta(seconds=1))
    due_now = sourced("Due Now")
    Candidate.objects.filter(pk=due_now.pk).update(notice_due_at=now)
    this_week = sourced("This Week")
    Candidate.objects.filter(pk=this_week.pk).update(notice_due_at=now + dt.timedelta(days=6))
    later = sourced("Next Month")  # due in a month: neither list
    sent = sourced("Already Told")
    Candidate.objects.filter(pk=sent.pk).update(
        notice_state="sent", notice_sent_at=now, notice_due_at=now - dt.timedelta(days=3)
    )
    base = Candidate.objects.all()
    assert set(candidates_by_notice(base, "overdue", now=now)) == {overdue}
    assert set(candidates_by_notice(base, "due", now=now)) == {due_now, this_week}
    assert later in candidates_by_notice(base, "pending", now=now)
    assert later not in candidates_by_notice(base, "due", now=now)
    assert set(candidates_by_notice(base, "sent", now=now)) == {sent}


def test_the_api_lists_overdue_notices_for_an_ats() -> None:
    overdue = sourced("Over Due")
    Candidate.objects.filter(pk=overdue.pk).update(
        notice_due_at=timezone.now() - dt.timedelta(days=2)
    )
    sourced("Not Yet")
    response = api(integration()).get("/api/v1/candidates/?notice=overdue")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [overdue.pk]
    assert rows[0]["notice_due_at"].endswith("Z")
    bad = api(integration()).get("/api/v1/candidates/?notice=soon")
    assert bad.status_code == 400
    assert "notice" in bad.json()


def test_an_objected_person_cannot_be_contacted() -> None:
    person = sourced()
    application = ApplicationFactory(candidate=person)
    candidate_object(candidate=person, reason="Not interested, please stop.")
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN  # open applications end with the objection
    again = ApplicationFactory(candidate=person)
    with pytest.raises(ValidationError) as exc:
        application_transition(application=again, to_stage=Stage.CONTACTED)
    assert "objected" in str(exc.value)


def test_first_contact_needs_an_address_for_the_notice() -> None:
    person = sourced()
    application = ApplicationFactory(candidate=person)
    with pytest.raises(ValidationError) as exc:
        application_transition(application=application, to_stage=Stage.CONTACTED)
    assert "e-mail address" in str(exc.value)
    application.refresh_from_db()
    assert application.stage == Stage.SOURCED


def test_an_applicant_moves_to_contacted_without_any_notice() -> None:
    applicant = candidate_create(data=CandidateInput({"full_name": "Applied Themselves"}, []))
    application = ApplicationFactory(candidate=applicant)
    application_transition(application=application, to_stage=Stage.CONTACTED)
    assert application.stage == Stage.CONTACTED


def test_objection_is_refused_for_someone_not_sourced_and_repeat_is_a_no_op() -> None:
    applicant = candidate_create(data=CandidateInput({"full_name": "Applied Themselves"}, []))
    response = api(recruiter()).post(f"/api/v1/candidates/{applicant.pk}/objection/", {})
    assert response.status_code == 400
    assert "not sourced" in response.json()["objection"][0]
    person = sourced()
    first = api(recruiter()).post(
        f"/api/v1/candidates/{person.pk}/objection/", {"reason": "stop"}, format="json"
    )
    assert first.status_code == 200
    assert first.json()["objected_at"]
    second = api(recruiter()).post(f"/api/v1/candidates/{person.pk}/objection/", {})
    assert second.status_code == 200
    assert second.json()["objected_at"] == first.json()["objected_at"]
    assert Event.objects.filter(type="candidate.objected", object_id=str(person.pk)).count() == 1


def test_objection_is_not_a_plain_field() -> None:
    person = sourced()
    with pytest.raises(ValidationError) as exc:
        candidate_update(candidate=person, data=CandidateInput({"notice_state": "objected"}))
    assert "objection" in str(exc.value)


# --- suppression --------------------------------------------------------------------------------


def test_suppression_keeps_only_keyed_hashes_that_match_normalised_forms() -> None:
    suppression_add(kind=Suppression.Kind.EMAIL, values=["Zofia@Example.ORG "], reason="erased")
    suppression_add(kind=Suppression.Kind.GITHUB_LOGIN, values=["ZofiaW"], reason="erased")
    suppression_add(kind=Suppression.Kind.ORCID, values=["0000-0002-1825-0097"], reason="erased")
    suppression_add(
        kind=Suppression.Kind.ARXIV_NAME, values=["Wiśniewska-Ortega, Zofia"], reason="erased"
    )
    stored = list(Suppression.objects.values_list("digest", flat=True))
    assert all(len(d) == 64 and "zofia" not in d for d in stored)
    listed = SuppressionSet.load()
    assert listed.contains(Suppression.Kind.EMAIL, "zofia@example.org")
    assert listed.contains(Suppression.Kind.GITHUB_LOGIN, "zofiaw")
    assert listed.contains(Suppression.Kind.ORCID, "https://orcid.org/0000-0002-1825-0097")
    assert listed.contains(Suppression.Kind.ARXIV_NAME, "Wisniewska Ortega, Zofia")
    assert not listed.contains(Suppression.Kind.EMAIL, "someone@example.org")
    assert not listed.has(Suppression.Kind.ARXIV_MENTION)
    assert is_suppressed(kind=Suppression.Kind.GITHUB_LOGIN, value="ZOFIAW")
    # Adding the same again adds nothing.
    assert suppression_add(kind=Suppression.Kind.GITHUB_LOGIN, values=["zofiaw"], reason="x") == 0


def test_a_different_key_makes_the_hashes_unrecognisable(settings: object) -> None:
    digest = identifier_digest(Suppression.Kind.EMAIL, "a@example.org")
    settings.HIREBAR_SUPPRESSION_KEY = "another-installation"  # type: ignore[attr-defined]
    assert identifier_digest(Suppression.Kind.EMAIL, "a@example.org") != digest
    assert mention_value("2106.01234", "Doe, J.") == "2106.01234|Doe, J."


def test_scrubbing_removes_names_tokens_addresses_and_logins() -> None:
    terms = PersonTerms(emails={"zofia@example.org"}, logins={"zofiaw"})
    terms.add_name("Wiśniewska-Ortega, Zofia")
    text = "Zofia Wiśniewska-Ortega (zofia@example.org, @zofiaw) said Zofia's code was fine."
    scrubbed = terms.scrub_all(text)
    assert "Zofia" not in scrubbed
    assert "zofiaw" not in scrubbed
    assert "example.org" not in scrubbed
    assert "code was fine" in scrubbed
    # Strong scrubbing leaves lone tokens, which elsewhere may be someone else.
    assert terms.scrub_strong("Zofia from another team") == "Zofia from another team"
    assert "Wisniewska" not in terms.scrub_all("Wisniewska-Ortega Zofia")


# --- erasure (hiring's part) --------------------------------------------------------------------


def _person_with_history() -> tuple[Candidate, Application]:
    person = candidate_create(
        data=CandidateInput(
            {
                "full_name": "Zofia Wiśniewska-Ortega",
                "source": "arxiv",
                "notice_state": "pending",
                "github_login": "zofiaw",
                "homepage": "https://zofia.example.org",
                "orcid": "0000-0002-1825-0097",
                "arxiv_name_forms": ["Wiśniewska-Ortega, Zofia"],
                "source_evidence": "First author of 2106.01234 (Zofia Wiśniewska-Ortega)",
            },
            ["zofia@example.org"],
        )
    )
    application = ApplicationFactory(candidate=person, opening=OpeningFactory())
    application_transition(application=application, to_stage=Stage.SCREEN, reason="")
    return person, application


def test_erasure_through_the_api_leaves_nothing_of_the_person_in_hiring() -> None:
    person, application = _person_with_history()
    ats = integration()
    client = api(ats)
    # The ATS's earlier POST, stored for replay, named them.
    IdempotencyKey.objects.create(
        key="k-1",
        user=ats,
        fingerprint="f" * 64,
        status_code=201,
        content_type="application/json",
        body=json.dumps({"full_name": "Zofia Wiśniewska-Ortega"}, ensure_ascii=False).encode(),
    )
    LogEntry.objects.create(
        user=recruiter(),
        content_type=ContentType.objects.get_for_model(Candidate),
        object_id=str(person.pk),
        object_repr="Zofia Wiśniewska-Ortega",
        action_flag=CHANGE,
        change_message="Changed homepage of Zofia Wiśniewska-Ortega.",
    )
    response = client.post(
        f"/api/v1/candidates/{person.pk}/erasure/", {"reason": "request of 3 Dec"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["already_erased"] is False
    assert body["erased_at"]
    person.refresh_from_db()
    assert person.full_name == f"Erased person {person.pk}"
    assert person.github_login is None
    assert person.orcid is None
    assert not person.homepage
    assert person.arxiv_name_forms == []
    assert person.source_evidence == ""
    assert not person.emails.exists()
    for term in ("Zofia", "Wiśniewska", "zofiaw", "zofia@example.org", "0000-0002-1825-0097"):
        for event in Event.objects.all():
            assert term.lower() not in json.dumps(event.changes, ensure_ascii=False).lower()
            assert term.lower() not in json.dumps(event.data, ensure_ascii=False).lower()
        assert term not in bytes(IdempotencyKey.objects.get(key="k-1").body).decode()
        assert not LogEntry.objects.filter(object_repr__icontains=term).exists()
        assert not LogEntry.objects.filter(change_message__icontains=term).exists()
    # What stays: the application, its stage and history, pseudonymous.
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN  # an erased person is in no process any more
    assert list(application.history.values_list("to_stage", flat=True)) == ["screen", "withdrawn"]
    assert Event.objects.filter(type="candidate.erased", object_id=str(person.pk)).count() == 1
    # Suppressed: e-mail, login, ORCID and the arXiv name.
    kinds = set(Suppression.objects.values_list("kind", flat=True))
    assert {"email", "github_login", "orcid", "arxiv_name"} <= kinds


def test_erasing_again_is_a_no_op_that_says_so() -> None:
    person, _ = _person_with_history()
    client = api(recruiter())
    assert client.post(f"/api/v1/candidates/{person.pk}/erasure/").status_code == 200
    events = Event.objects.count()
    again = client.post(f"/api/v1/candidates/{person.pk}/erasure/")
    assert again.status_code == 200
    assert again.json()["already_erased"] is True
    assert "already" in again.json()["detail"]
    assert Event.objects.count() == events
    # An erased person is not edited back to life.
    with pytest.raises(ValidationError):
        candidate_update(
            candidate=Candidate.objects.get(pk=person.pk),
            data=CandidateInput({"full_name": "Back"}),
        )


def test_erasing_a_merged_duplicate_erases_the_person() -> None:
    person, _ = _person_with_history()
    duplicate = candidate_create(
        data=CandidateInput({"full_name": "Z. Wiśniewska-Ortega"}, ["z@uni.example"])
    )
    candidate_merge(target=person, source=duplicate)
    erasure = candidate_erase(candidate=Candidate.objects.get(pk=duplicate.pk))
    assert erasure.candidate.pk == person.pk
    assert Candidate.objects.get(pk=duplicate.pk).erased_at is not None
    assert not Candidate.objects.filter(full_name__icontains="Wiśniewska").exists()


def test_permissions_and_scoping_of_erasure_and_export() -> None:
    person, _ = _person_with_history()
    roles.ensure_default_groups()
    manager = UserFactory(groups=[roles.HIRING_MANAGERS])
    assert api(manager).post(f"/api/v1/candidates/{person.pk}/erasure/").status_code == 403
    assert api(manager).get(f"/api/v1/candidates/{person.pk}/export/").status_code == 403
    assert api(recruiter()).post("/api/v1/candidates/999999/erasure/").status_code == 404
    bad = api(recruiter()).post(
        f"/api/v1/candidates/{person.pk}/erasure/", {"reason": "x" * 300}, format="json"
    )
    assert bad.status_code == 400
    assert "reason" in bad.json()
    assert Candidate.objects.get(pk=person.pk).erased_at is None  # nothing half-done


def test_export_has_everything_then_410_once_erased() -> None:
    person, application = _person_with_history()
    response = api(integration()).get(f"/api/v1/candidates/{person.pk}/export/")
    assert response.status_code == 200
    document = response.json()
    assert document["format"] == "hirebar.access-export/1"
    assert document["candidate"]["emails"] == ["zofia@example.org"]
    assert document["applications"][0]["id"] == application.pk
    assert [h["to_stage"] for h in document["applications"][0]["history"]] == ["screen"]
    assert any(e["type"] == "candidate.created" for e in document["audit_trail"])
    candidate_erase(candidate=person)
    gone = api(integration()).get(f"/api/v1/candidates/{person.pk}/export/")
    assert gone.status_code == 410
    assert "erased" in gone.json()["detail"]
    with pytest.raises(ErasedError, match="erased"):
        candidate_export(candidate=Candidate.objects.get(pk=person.pk))


# --- retention ----------------------------------------------------------------------------------


def test_retention_erases_closed_and_stale_leads_but_keeps_the_rest(settings: object) -> None:
    now = timezone.now()
    long_ago = months_before(now, 13)
    rejected = ApplicationFactory(
        stage=Stage.REJECTED, rejection_reason="below_bar", stage_changed_at=long_ago
    )
    recent = ApplicationFactory(stage=Stage.WITHDRAWN, stage_changed_at=now - dt.timedelta(days=30))
    pool = ApplicationFactory(
        stage=Stage.REJECTED, rejection_reason="other", stage_changed_at=long_ago
    )
    Candidate.objects.filter(pk=pool.candidate_id).update(consent_state="given")
    hired = ApplicationFactory(stage=Stage.HIRED, stage_changed_at=long_ago)
    still_open = ApplicationFactory(stage=Stage.ONSITE, stage_changed_at=long_ago)
    ApplicationFactory(
        candidate=still_open.candidate,
        stage=Stage.REJECTED,
        rejection_reason="other",
        stage_changed_at=long_ago,
    )
    stale_lead = sourced("Stale Lead")
    Candidate.objects.filter(pk=stale_lead.pk).update(sourced_at=months_before(now, 7))
    fresh_lead = sourced("Fresh Lead")
    due = retention_due(now=now)
    assert due == {"closed": [rejected.candidate_id], "never_contacted": [stale_lead.pk]}
    assert retention_apply(now=now) == {"closed": 1, "never_contacted": 1}
    erased = set(Candidate.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {rejected.candidate_id, stale_lead.pk}
    for kept in (
        recent.candidate_id,
        pool.candidate_id,
        hired.candidate_id,
        still_open.candidate_id,
        fresh_lead.pk,
    ):
        assert kept not in erased
    assert retention_apply(now=now) == {"closed": 0, "never_contacted": 0}  # idempotent
    reasons = [e.changes["reason"][1] for e in Event.objects.filter(type="candidate.erased")]
    assert all(r.startswith("retention:") for r in reasons)


def test_erasure_leaves_other_peoples_events_their_own_names() -> None:
    """Another candidate's event that mentions the erased person keeps its own name fields; only
    the erased person's whole name is taken out of it."""
    person, _ = _person_with_history()
    colleague = candidate_create(
        data=CandidateInput(
            {
                "full_name": "Zofia Kowalska",
                "source_evidence": "Co-author of Zofia Wiśniewska-Ortega on 2106.01234",
            },
            [],
        )
    )
    candidate_erase(candidate=person)
    event = Event.objects.get(type="candidate.created", object_id=str(colleague.pk))
    after = {name: pair[1] for name, pair in event.changes.items()}
    assert after["full_name"] == "Zofia Kowalska"  # her own name, "Zofia" included, stays
    assert after["source_evidence"] == "Co-author of [erased] on 2106.01234"
