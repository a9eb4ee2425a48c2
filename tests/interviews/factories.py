"""Factories for the interviews app, on top of tests/hiring/factories.py. Applications are opened
against the seeded role profiles (hiring migration 0002), whose bars and kits the data migrations
load, so tests exercise the real seed content."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from hiring import roles
from hiring.models import RoleProfile
from interviews.models import Interview, InterviewKit, TakeHomeTemplate
from interviews.roles import grant_interview_permissions
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateEmailFactory,
    CandidateFactory,
    OpeningFactory,
    UserFactory,
)


def _user_in(group: str, **kwargs: Any) -> Any:
    grant_interview_permissions()
    return UserFactory(groups=[group], **kwargs)


def interviewer(**kwargs: Any) -> Any:
    return _user_in(roles.INTERVIEWERS, **kwargs)


def recruiter(**kwargs: Any) -> Any:
    return _user_in(roles.RECRUITERS, **kwargs)


def hiring_manager(**kwargs: Any) -> Any:
    return _user_in(roles.HIRING_MANAGERS, **kwargs)


def application_for(role: str = "ml-engineer", *, manager: Any = None, **kwargs: Any) -> Any:
    """An application to an opening of a seeded role profile, with a candidate who has an email
    (so blind-grading tests can look for it)."""
    candidate = CandidateFactory(
        full_name=kwargs.pop("full_name", "Ada Lovelace"),
        homepage="https://ada.example.org",
        github_login=kwargs.pop("github_login", None),
    )
    CandidateEmailFactory(
        candidate=candidate, email=kwargs.pop("email", None) or f"cand{candidate.pk}@example.org"
    )
    opening = OpeningFactory(
        role_profile=RoleProfile.objects.get(slug=role), hiring_manager=manager
    )
    return ApplicationFactory(candidate=candidate, opening=opening, **kwargs)


def seeded_kit(role: str = "ml-engineer", stage: str = "screen") -> InterviewKit:
    return InterviewKit.objects.get(role_profile__slug=role, stage=stage)


def seeded_template(role: str = "ml-engineer") -> TakeHomeTemplate:
    return TakeHomeTemplate.objects.get(role_profile__slug=role)


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview
        skip_postgeneration_save = True

    application = factory.LazyFunction(application_for)
    kit = factory.LazyAttribute(
        lambda i: seeded_kit(i.application.opening.role_profile.slug, "screen")
    )
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))

    @factory.post_generation
    def interviewers(self, create: bool, extracted: list[Any] | None, **kwargs: object) -> None:
        if create and extracted:
            self.interviewers.set(extracted)
