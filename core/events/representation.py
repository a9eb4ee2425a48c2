"""How each kind of object reads in an event's ``data`` (what a webhook carries): the app that
owns the object registers a function, usually its API output serializer, when it is ready."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model

Representer = Callable[[Any], dict[str, Any]]
_representers: dict[str, Representer] = {}


def register(object_type: str, representer: Representer) -> None:
    _representers[object_type] = representer


def represent(object_type: str, obj: Model) -> dict[str, Any]:
    representer = _representers.get(object_type)
    if representer is None:
        return {"id": obj.pk}
    return representer(obj)
