from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from hiring import roles
from hiring.models import (
    Application,
    Candidate,
    CandidateEmail,
    Competency,
    Opening,
    RoleBar,
    RoleProfile,
    Stage,
)
from hiring.services import role_profile_current_bar_version


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def groups(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


def recruiter(**kwargs: object):  # type: ignore[no-untyped-def]
    roles.ensure_default_groups()
    return UserFactory(groups=[roles.RECRUITERS], **kwargs)


def integration(**kwargs: object):  # type: ignore[no-untyped-def]
    roles.ensure_default_groups()
    return UserFactory(groups=[roles.ATS_INTEGRATIONS], **kwargs)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"competency-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())
    level_1 = "Basic"
    level_2 = "Working"
    level_3 = "Strong"
    level_4 = "Exceptional"


class RoleProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleProfile
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"role-{n}")
    title = factory.LazyAttribute(lambda r: r.slug.replace("-", " ").title())
    summary = "Builds things"
    delivers = "Things"
    typical_background = "Varied"


class RoleBarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleBar

    role_profile = factory.SubFactory(RoleProfileFactory)
    competency = factory.SubFactory(CompetencyFactory)
    minimum_level = 2


class OpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opening

    title = factory.Sequence(lambda n: f"Opening {n}")
    role_profile = factory.SubFactory(RoleProfileFactory)
    team = "Applied ML"


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    full_name = factory.Faker("name")


class CandidateEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateEmail

    candidate = factory.SubFactory(CandidateFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    is_primary = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    """Builds an application the way the service does: against the opening's current bars."""

    class Meta:
        model = Application

    candidate = factory.SubFactory(CandidateFactory)
    opening = factory.SubFactory(OpeningFactory)
    bar_version = factory.LazyAttribute(
        lambda a: role_profile_current_bar_version(role_profile=a.opening.role_profile)
    )
    stage = Stage.SOURCED
    stage_changed_at = factory.LazyFunction(timezone.now)


class TokenFactory(factory.django.DjangoModelFactory):
    """The API token of a user (the key is generated on save)."""

    class Meta:
        model = "authtoken.Token"
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
