"""Form plumbing shared by the hiring admin: list-valued fields edited as text, and validation of
an admin form by the same service call that will later perform the write."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction


class TextListField(forms.Field):
    """A JSON list of strings edited as text: one item per line, or comma-separated when
    ``separator=","``. Blank items are dropped and surrounding whitespace is stripped."""

    def __init__(self, *, separator: str = "\n", **kwargs: Any) -> None:
        self.separator = separator
        kwargs.setdefault("required", False)
        if separator == "\n":
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "cols": 60}))
        else:
            kwargs.setdefault("widget", forms.TextInput(attrs={"size": 60}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            joiner = "\n" if self.separator == "\n" else f"{self.separator} "
            return joiner.join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        if not value:
            return []
        return [item.strip() for item in str(value).split(self.separator) if item.strip()]


M = TypeVar("M", bound=models.Model)


class _DryRun(Exception):
    """Raised inside the savepoint to roll a successful dry run back."""


def add_service_errors(
    form: forms.BaseForm, exc: ValidationError, *, aliases: dict[str, str] | None = None
) -> None:
    """Attach a service's ValidationError to ``form``: keys that name a form field (directly or
    through ``aliases``, service key -> form field) go on that field, anything else
    (``non_field_errors``, fields the form does not show) on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for service_key, messages in exc.message_dict.items():
        key = (aliases or {}).get(service_key, service_key)
        if key in form.fields:
            form.add_error(key, messages)
        elif key in ("non_field_errors", "__all__"):
            form.add_error(None, messages)
        else:
            form.add_error(None, [f"{key}: {message}" for message in messages])


def validate_with_service(
    form: forms.BaseForm,
    write: Callable[[], object],
    *,
    aliases: dict[str, str] | None = None,
) -> None:
    """Run ``write`` (a service call) in a savepoint that is always rolled back, and put any
    ValidationError it raises on ``form``.

    The admin validates all forms and inlines before it writes anything, so a service that
    validates and writes in one call cannot simply be called from ``clean()`` (an invalid inline
    would leave the write committed behind an error page). The dry run gives the form exactly the
    errors the service, and therefore the API, reports; ``save_model`` then makes the real call.
    on_commit callbacks registered in the rolled-back savepoint are discarded by Django."""
    try:
        with transaction.atomic():
            write()
            raise _DryRun
    except _DryRun:
        return
    except ValidationError as exc:
        add_service_errors(form, exc, aliases=aliases)


def detached_copy(instance: M) -> M:
    """A copy a dry run may mutate without touching the form's own instance."""
    return copy.copy(instance)


def adopt_saved(target: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved ``target`` the row a service just created as ``saved``.

    The admin built its inline formsets around ``target``; pointing it at the new row lets them
    save their children against it and lets the admin log and redirect to it."""
    target.pk = saved.pk
    target.refresh_from_db()
    target._state.adding = False
