from __future__ import annotations

import factory
from django.utils import timezone

from sourcing.models import Authorship, Paper, Person
from sourcing.people.names import parse_name

SMA_ID = "2401.04567"
SMA_TITLE = "Sparse Mixture Adapters for Efficient Fine-Tuning"


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper
        django_get_or_create = ("arxiv_id",)

    arxiv_id = factory.Sequence(lambda n: f"2301.{n:05d}")
    title = factory.Sequence(lambda n: f"A Study of Things Number {n}")
    abstract = "We study things."
    categories = factory.LazyFunction(lambda: ["cs.LG"])
    primary_category = "cs.LG"
    published = factory.LazyFunction(timezone.now)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    display_name = factory.Sequence(lambda n: f"Person {n}")
    name_key = factory.LazyAttribute(lambda p: parse_name(p.display_name).name_key)
    full_key = factory.LazyAttribute(lambda p: parse_name(p.display_name).full_key)


def add_authors(paper: Paper, *names: str) -> list[Person]:
    people = []
    for position, name in enumerate(names):
        person = PersonFactory(display_name=name)
        Authorship.objects.create(
            paper=paper,
            person=person,
            position=position,
            is_last=position == len(names) - 1,
            name=name,
        )
        people.append(person)
    return people


def sma_paper() -> tuple[Paper, list[Person]]:
    """The paper of the recorded scenario, by Ada Lovelace and Grace Hopper."""
    paper = PaperFactory(
        arxiv_id=SMA_ID,
        title=SMA_TITLE,
        abstract="We propose sparse mixture adapters, a parameter-efficient fine-tuning method.",
        comment="ICML 2024",
    )
    return paper, add_authors(paper, "Ada Lovelace", "Grace Hopper")
