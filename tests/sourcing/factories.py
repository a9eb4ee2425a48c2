from __future__ import annotations

import datetime as dt

import factory

from sourcing.models import Authorship, Paper, Person, Prospect, SourcingRun
from tests.hiring.factories import RoleProfileFactory


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper
        django_get_or_create = ("arxiv_id",)

    arxiv_id = factory.Sequence(lambda n: f"2501.{n:05d}")
    title = factory.Sequence(lambda n: f"Representation learning {n}")
    categories = ["cs.LG"]
    primary_category = "cs.LG"
    published = factory.LazyFunction(lambda: dt.datetime(2025, 3, 1, tzinfo=dt.UTC))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    display_name = factory.Sequence(lambda n: f"Ada Lovelace{n}")
    name_key = factory.LazyAttribute(lambda p: p.display_name.split()[-1].lower() + "|a")
    full_key = factory.LazyAttribute(lambda p: p.display_name.lower())


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    paper = factory.SubFactory(PaperFactory)
    person = factory.SubFactory(PersonFactory)
    position = 0
    name = factory.LazyAttribute(lambda a: a.person.display_name)


class SourcingRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourcingRun

    kind = SourcingRun.Kind.API
    parameters = factory.LazyFunction(lambda: {"query": "cat:cs.LG"})


class ProspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prospect

    role_profile = factory.SubFactory(RoleProfileFactory)
    person = factory.SubFactory(PersonFactory)
    score = 0.5
    breakdown = factory.LazyFunction(
        lambda: {
            "score": 0.5,
            "components": [
                {"name": "quality", "value": 1.0, "weight": 0.3, "points": 0.3, "reason": "x"}
            ],
            "papers": [],
        }
    )
