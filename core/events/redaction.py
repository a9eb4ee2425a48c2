"""Taking a person out of the event log (GDPR erasure): the events stay, so counts, stages and
sequences still add up and an ATS that missed a delivery sees the erasure in order, but every
string that named the person is replaced.

``scrub`` is the caller's (the app that knows the person decides what names them); core only
walks the JSON and finds the rows. Webhook payloads are built from ``Event.data`` when they are
sent, so redacting the event redacts every later delivery (the receivers' stored answers are
``core.webhooks.redaction``'s)."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable
from typing import Any

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from core.events.models import Event

Scrub = Callable[[str], str]
ERASED = "[erased]"


def json_scrub(value: Any, scrub: Scrub, *, personal_keys: Collection[str] = ()) -> Any:
    """``value`` with every string passed through ``scrub``; the values under ``personal_keys``
    (at any depth) are replaced whole: a name field is erased even where ``scrub`` would not
    recognise its contents."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [json_scrub(v, scrub, personal_keys=personal_keys) for v in value]
    if isinstance(value, dict):
        return {
            k: _erased(v)
            if k in personal_keys
            else json_scrub(v, scrub, personal_keys=personal_keys)
            for k, v in value.items()
        }
    return value


def _erased(value: Any) -> Any:
    if value in (None, "", [], {}):
        return value
    if isinstance(value, list):
        return [_erased(v) for v in value]
    if isinstance(value, dict):
        return {k: _erased(v) for k, v in value.items()}
    if isinstance(value, str):
        return ERASED
    return value


def _text_match(column: str, terms: Iterable[str]) -> Q:
    """Rows whose JSON, as text, contains any term: as stored (PostgreSQL's jsonb text keeps
    non-ASCII letters) or JSON-escaped (SQLite stores ``\\u00fc`` for ``ü``)."""
    query = Q()
    for term in terms:
        query |= Q(**{f"{column}_text__icontains": term})
        escaped = json.dumps(term)[1:-1]
        if escaped != term:
            query |= Q(**{f"{column}_text__icontains": escaped})
    return query


def events_redact(
    *,
    objects: Iterable[tuple[str, str]],
    terms: Collection[str],
    scrub: Scrub,
    personal_keys: Collection[str],
    scrub_others: Scrub | None = None,
) -> list[int]:
    """Redact the events of ``objects`` (``(object_type, object_id)`` pairs: the person's own
    records) wholesale: ``scrub`` on every string and the values of ``personal_keys`` replaced.
    Every other event whose text contains one of ``terms`` is only passed through
    ``scrub_others`` (default ``scrub``): it is about someone else, whose own name fields stay.
    Returns the ids of the events that changed."""
    own = Q()
    mine = {(object_type, str(object_id)) for object_type, object_id in objects}
    for object_type, object_id in mine:
        own |= Q(object_type=object_type, object_id=object_id)
    query = Q(pk__in=[])
    if own:
        query |= own
    terms = [t for t in terms if t]
    rows = Event.objects.annotate(
        changes_text=Cast("changes", TextField()), data_text=Cast("data", TextField())
    )
    if terms:
        query |= _text_match("changes", terms) | _text_match("data", terms)
    changed = []
    fields = ("pk", "object_type", "object_id", "changes", "data")
    for event in rows.filter(query).only(*fields).iterator(chunk_size=500):
        own_record = (event.object_type, event.object_id) in mine
        keys = personal_keys if own_record else ()
        how = scrub if own_record else (scrub_others or scrub)
        changes = json_scrub(event.changes, how, personal_keys=keys)
        data = json_scrub(event.data, how, personal_keys=keys)
        if changes != event.changes or data != event.data:
            event.changes, event.data = changes, data
            changed.append(event)
    Event.objects.bulk_update(changed, ["changes", "data"], batch_size=500)
    return [e.pk for e in changed]
