"""``hiring.services.candidates``: input is normalised (trimmed, blank keys as NULL, addresses
de-duplicated), every natural key already taken is a field error naming its owner, and the ATS
upsert by external id creates once and updates afterwards."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from hiring.models import Candidate
from hiring.services import (
    CandidateInput,
    candidate_create,
    candidate_update,
    candidate_upsert_by_external_id,
)
from hiring.services import candidates as candidate_services
from tests.hiring.factories import CandidateEmailFactory, CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


def emails_of(candidate: Candidate) -> list[tuple[str, bool]]:
    return list(candidate.emails.order_by("-is_primary", "id").values_list("email", "is_primary"))


# --- candidate_create ---------------------------------------------------------------------------


def test_create_trims_stores_blank_keys_as_null_and_records_the_author():
    # given
    author = UserFactory()

    # when
    candidate = candidate_create(
        data=CandidateInput(
            {
                "full_name": "  Ada Lovelace ",
                "github_login": " ada ",
                "orcid": "   ",
                "external_id": "",
                "arxiv_name_forms": ["Lovelace, Ada"],
                "source": Candidate.Source.REFERRAL,
            }
        ),
        by=author,
    )

    # then
    stored = Candidate.objects.get(pk=candidate.pk)
    assert (stored.full_name, stored.github_login) == ("Ada Lovelace", "ada")
    assert (stored.orcid, stored.external_id) == (None, None)
    assert (stored.arxiv_name_forms, stored.source) == (["Lovelace, Ada"], "referral")
    assert (stored.created_by, stored.updated_by) == (author, author)


def test_blank_natural_keys_never_collide():
    # given a candidate with no GitHub login, ORCID or external id
    candidate_create(data=CandidateInput({"full_name": "A", "github_login": "", "orcid": ""}))

    # when another one arrives without them either
    second = candidate_create(data=CandidateInput({"full_name": "B", "github_login": " "}))

    # then
    assert Candidate.objects.filter(github_login__isnull=True, orcid__isnull=True).count() == 2
    assert second.pk is not None


def test_create_keeps_the_first_spelling_of_each_address_and_makes_the_first_primary():
    # when
    candidate = candidate_create(
        data=CandidateInput(
            {"full_name": "Bo"},
            [" Bo@Example.org ", "", "bo@example.org", "bo@work.example", "BO@EXAMPLE.ORG"],
        ),
        by=AnonymousUser(),
    )

    # then
    assert emails_of(candidate) == [("Bo@Example.org", True), ("bo@work.example", False)]
    assert Candidate.objects.get(pk=candidate.pk).created_by is None


@pytest.mark.parametrize(
    ("existing", "fields", "emails", "field", "message"),
    [
        (
            {"github_login": "Octo"},
            {"github_login": "octo"},
            [],
            "github_login",
            "A candidate with this GitHub login exists (id {pk}).",
        ),
        (
            {"external_id": "ats-1"},
            {"external_id": " ats-1 "},
            [],
            "external_id",
            "A candidate with this external id exists (id {pk}).",
        ),
        (
            {"orcid": "0000-0002-1825-0097"},
            {"orcid": "0000-0002-1825-0097"},
            [],
            "orcid",
            "A candidate with this ORCID exists (id {pk}).",
        ),
        (
            {},
            {},
            ["Taken@Example.org"],
            "emails",
            "taken@example.org belongs to candidate id {pk}.",
        ),
    ],
)
def test_create_with_a_taken_natural_key_names_the_owner_and_writes_nothing(
    hiring_rows, existing, fields, emails, field, message
):
    # given
    owner = CandidateFactory(**existing)
    CandidateEmailFactory(candidate=owner, email="taken@example.org")
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        candidate_create(data=CandidateInput({"full_name": "Twin", **fields}, emails))

    # then
    assert exc.value.message_dict == {field: [message.format(pk=owner.pk)]}
    assert hiring_rows() == before


def test_every_taken_key_is_reported_at_once():
    # given
    owner = CandidateFactory(github_login="ada", orcid="0000-0002-1825-0097")
    CandidateEmailFactory(candidate=owner, email="ada@example.org")

    # when
    with pytest.raises(ValidationError) as exc:
        candidate_create(
            data=CandidateInput(
                {"full_name": "Ada 2", "github_login": "ADA", "orcid": "0000-0002-1825-0097"},
                ["ADA@example.org"],
            )
        )

    # then
    assert set(exc.value.message_dict) == {"github_login", "orcid", "emails"}


@pytest.mark.parametrize(
    ("fields", "emails", "field"),
    [
        ({"full_name": "   "}, [], "full_name"),
        ({"full_name": "Ada", "homepage": "not a url"}, [], "homepage"),
        ({"full_name": "Ada", "source": "carrier-pigeon"}, [], "source"),
        ({"full_name": "Ada", "github_login": "x" * 40}, [], "github_login"),
        ({"full_name": "Ada", "arxiv_name_forms": "Lovelace, Ada"}, [], "arxiv_name_forms"),
        ({"full_name": "Ada", "arxiv_name_forms": [1, 2]}, [], "arxiv_name_forms"),
        ({"full_name": "Ada", "nickname": "A"}, [], "nickname"),
        # The address is checked after the candidate row is written: that row must go too.
        ({"full_name": "Ada"}, ["ada@example.org", "not-an-address"], "emails"),
    ],
)
def test_create_with_invalid_input_is_a_field_error_and_writes_nothing(
    hiring_rows, fields, emails, field
):
    # given
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        candidate_create(data=CandidateInput(fields, emails))

    # then
    assert set(exc.value.message_dict) == {field}
    assert hiring_rows() == before


def test_an_invalid_address_is_named_in_the_error():
    with pytest.raises(ValidationError) as exc:
        candidate_create(data=CandidateInput({"full_name": "Ada"}, ["not-an-address"]))
    assert exc.value.message_dict["emails"] == ["not-an-address: Enter a valid email address."]


def test_a_duplicate_that_slips_past_the_check_is_a_validation_error_and_writes_nothing(
    hiring_rows, monkeypatch
):
    # given a competitor that inserts the same GitHub login after our pre-check ran, which we
    # stand in for by letting the pre-check see nothing
    CandidateFactory(github_login="octo")
    monkeypatch.setattr(candidate_services, "_duplicate_errors", lambda **kwargs: {})
    before = hiring_rows()

    # when the unique constraint catches it
    with pytest.raises(ValidationError) as exc:
        candidate_create(
            data=CandidateInput({"full_name": "Octo", "github_login": "OCTO"}, ["o@example.org"])
        )

    # then it is a 400-style error, not an IntegrityError, and nothing of the write is kept
    assert exc.value.message_dict == {
        "non_field_errors": ["A candidate with one of these identifiers already exists."]
    }
    assert hiring_rows() == before


# --- candidate_update ---------------------------------------------------------------------------


def test_update_changes_only_the_given_fields_and_keeps_addresses_when_emails_is_none():
    # given a candidate whose homepage someone else changed after we loaded it
    candidate = CandidateFactory(full_name="Ada", homepage="https://a.example.org")
    CandidateEmailFactory(candidate=candidate, email="ada@example.org")
    Candidate.objects.filter(pk=candidate.pk).update(homepage="https://b.example.org")
    editor = UserFactory()

    # when we change the name only
    returned = candidate_update(
        candidate=candidate, data=CandidateInput({"full_name": " Ada L. "}), by=editor
    )

    # then
    stored = Candidate.objects.get(pk=candidate.pk)
    assert returned is candidate
    assert (stored.full_name, stored.homepage) == ("Ada L.", "https://b.example.org")
    assert stored.updated_by == editor
    assert emails_of(stored) == [("ada@example.org", True)]


def test_update_replaces_every_address_when_emails_are_given():
    # given
    candidate = CandidateFactory()
    CandidateEmailFactory(candidate=candidate, email="old@example.org")
    CandidateEmailFactory(candidate=candidate, email="older@example.org", is_primary=False)

    # when
    candidate_update(
        candidate=candidate, data=CandidateInput({}, ["new@example.org", "OLD@example.org"])
    )

    # then the first is primary and a re-spelled address of its own is no clash
    assert emails_of(candidate) == [("new@example.org", True), ("OLD@example.org", False)]


def test_update_with_an_empty_list_removes_every_address():
    # given
    candidate = CandidateFactory()
    CandidateEmailFactory(candidate=candidate)

    # when
    candidate_update(candidate=candidate, data=CandidateInput({}, []))

    # then
    assert emails_of(candidate) == []


def test_update_keeping_its_own_keys_is_no_clash_and_blanking_a_key_stores_null():
    # given
    candidate = CandidateFactory(github_login="ada", external_id="ats-1", orcid="0000-0001")
    CandidateEmailFactory(candidate=candidate, email="ada@example.org")

    # when it is saved again with its own keys, and the ORCID cleared
    candidate_update(
        candidate=candidate,
        data=CandidateInput(
            {"github_login": "ADA", "external_id": "ats-1", "orcid": ""}, ["ada@example.org"]
        ),
    )

    # then
    stored = Candidate.objects.get(pk=candidate.pk)
    assert (stored.github_login, stored.external_id, stored.orcid) == ("ADA", "ats-1", None)


@pytest.mark.parametrize(
    ("fields", "emails", "field"),
    [
        ({"github_login": "OTHER"}, None, "github_login"),
        ({"external_id": "ats-other"}, None, "external_id"),
        ({}, ["mine@example.org", "Other@example.org"], "emails"),
        ({"full_name": ""}, None, "full_name"),
        ({"homepage": "nope"}, None, "homepage"),
        ({"source_evidence": "x", "created_at": None}, None, "created_at"),
        ({}, ["mine@example.org", "nope"], "emails"),
    ],
)
def test_update_refused_leaves_the_row_and_its_addresses_as_they_were(
    hiring_rows, fields, emails, field
):
    # given two candidates
    CandidateEmailFactory(
        candidate=CandidateFactory(github_login="other", external_id="ats-other"),
        email="other@example.org",
    )
    candidate = CandidateFactory(full_name="Mine", github_login="mine")
    CandidateEmailFactory(candidate=candidate, email="mine@example.org")
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        candidate_update(candidate=candidate, data=CandidateInput(fields, emails))

    # then
    assert set(exc.value.message_dict) == {field}
    assert hiring_rows() == before


# --- candidate_upsert_by_external_id ------------------------------------------------------------


def test_upsert_of_an_unknown_external_id_creates_the_candidate():
    # when the id comes with spaces and the fields carry another external id
    candidate, created = candidate_upsert_by_external_id(
        external_id=" ats-7 ",
        data=CandidateInput({"full_name": "Cy", "external_id": "ignored"}, ["cy@example.org"]),
        by=UserFactory(),
    )

    # then the argument wins, trimmed
    assert created is True
    stored = Candidate.objects.get()
    assert (stored.pk, stored.external_id, stored.full_name) == (candidate.pk, "ats-7", "Cy")
    assert emails_of(stored) == [("cy@example.org", True)]


def test_upsert_of_a_known_external_id_updates_that_candidate():
    # given
    known = CandidateFactory(external_id="ats-7", full_name="Cy", homepage="https://cy.org")
    CandidateEmailFactory(candidate=known, email="cy@example.org")
    editor = UserFactory()

    # when it comes back without addresses
    candidate, created = candidate_upsert_by_external_id(
        external_id="ats-7", data=CandidateInput({"full_name": "Cy Young"}), by=editor
    )

    # then only the given fields change, and the addresses stay
    assert created is False
    assert candidate.pk == known.pk
    assert Candidate.objects.count() == 1
    stored = Candidate.objects.get()
    assert (stored.full_name, stored.homepage, stored.updated_by) == (
        "Cy Young",
        "https://cy.org",
        editor,
    )
    assert emails_of(stored) == [("cy@example.org", True)]


def test_upsert_by_external_id_is_idempotent():
    first, created = candidate_upsert_by_external_id(
        external_id="ats-1", data=CandidateInput({"full_name": "Bo"}, ["bo@example.org"])
    )
    again, created_again = candidate_upsert_by_external_id(
        external_id="ats-1", data=CandidateInput({"full_name": "Bo"}, ["bo@example.org"])
    )
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert list(again.emails.values_list("email", flat=True)) == ["bo@example.org"]
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize("external_id", ["", "   "])
def test_upsert_without_an_external_id_is_refused(hiring_rows, external_id):
    # given
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        candidate_upsert_by_external_id(
            external_id=external_id, data=CandidateInput({"full_name": "Bo"})
        )

    # then
    assert exc.value.message_dict == {"external_id": ["This field may not be blank."]}
    assert hiring_rows() == before


def test_upsert_creating_with_another_candidates_key_is_refused_and_writes_nothing(hiring_rows):
    # given
    owner = CandidateFactory(github_login="octo")
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        candidate_upsert_by_external_id(
            external_id="ats-9", data=CandidateInput({"full_name": "O", "github_login": "Octo"})
        )

    # then the failed create is not mistaken for a lost race
    assert exc.value.message_dict == {
        "github_login": [f"A candidate with this GitHub login exists (id {owner.pk})."]
    }
    assert hiring_rows() == before


def test_upsert_updating_onto_another_candidates_address_is_refused(hiring_rows):
    # given
    CandidateEmailFactory(email="taken@example.org")
    CandidateFactory(external_id="ats-9", full_name="Nine")
    before = hiring_rows()

    # when
    with pytest.raises(ValidationError) as exc:
        candidate_upsert_by_external_id(
            external_id="ats-9",
            data=CandidateInput({"full_name": "Changed"}, ["taken@example.org"]),
        )

    # then
    assert set(exc.value.message_dict) == {"emails"}
    assert hiring_rows() == before


def test_upsert_that_loses_a_creation_race_becomes_an_update(monkeypatch):
    # given a concurrent retry that creates the row between our look-up and our insert
    real_create = candidate_services.candidate_create

    def create_after_a_competitor(**kwargs: object) -> Candidate:
        real_create(data=CandidateInput({"full_name": "First", "external_id": "R-1"}))
        return real_create(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(candidate_services, "candidate_create", create_after_a_competitor)

    # when
    candidate, created = candidate_upsert_by_external_id(
        external_id="R-1", data=CandidateInput({"full_name": "Second"})
    )

    # then the retry updates the row the competitor created, instead of failing
    assert created is False
    assert Candidate.objects.get().pk == candidate.pk
    assert Candidate.objects.get().full_name == "Second"
