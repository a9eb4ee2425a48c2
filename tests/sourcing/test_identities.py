"""Merges and splits are recorded and undo exactly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sourcing.models import Prospect
from sourcing.people import identities
from tests.hiring.factories import CandidateFactory, RoleProfileFactory
from tests.sourcing.factories import AuthorshipFactory, PersonFactory, ProspectFactory

pytestmark = pytest.mark.django_db


def test_merge_moves_authorships_and_candidate_and_undo_restores_them():
    # given two people, the second already a candidate
    target, source = PersonFactory(), PersonFactory(candidate=CandidateFactory())
    AuthorshipFactory(person=target)
    theirs = AuthorshipFactory(person=source)
    candidate = source.candidate
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])
    ProspectFactory(role_profile=role, person=source)

    # when
    (change,) = identities.person_merge(target=target, sources=[source])

    # then
    theirs.refresh_from_db()
    target.refresh_from_db()
    assert theirs.person == target
    assert target.candidate == candidate
    assert change.authorship_ids == [theirs.pk]
    assert change.moved_candidate
    assert Prospect.objects.get(role_profile=role).person == target  # re-ranked, not duplicated
    assert Prospect.objects.get().first_author_papers == 2

    # when undone
    identities.person_change_revert(change=change)

    # then
    theirs.refresh_from_db()
    source.refresh_from_db()
    target.refresh_from_db()
    assert theirs.person == source
    assert source.merged_into is None
    assert source.candidate == candidate
    assert target.candidate is None
    with pytest.raises(ValidationError):
        identities.person_change_revert(change=change)


def test_split_and_undo():
    person = PersonFactory()
    AuthorshipFactory(person=person)
    wrong = AuthorshipFactory(person=person, name="Adam Lovelace")
    change = identities.person_split(person=person, authorships=[wrong])
    wrong.refresh_from_db()
    assert wrong.person == change.target
    assert change.target.display_name == "Adam Lovelace"
    with pytest.raises(ValidationError):
        identities.person_split(person=person, authorships=list(person.authorships.all()))
    identities.person_change_revert(change=change)
    wrong.refresh_from_db()
    assert wrong.person == person


def test_merging_into_oneself_is_refused():
    person = PersonFactory()
    with pytest.raises(ValidationError):
        identities.person_merge(target=person, sources=[person])
