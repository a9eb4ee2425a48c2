"""Recording domain events, in the transaction of the change they describe: a write that rolls
back leaves no event, and an event is never missing for a write that committed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Model
from django.dispatch import Signal

from core.events.acting import current
from core.events.models import Event, EventScope
from core.events.representation import represent

# Sent with ``event=`` after an event is stored, inside its transaction (the webhook outbox
# adds its deliveries there, so they commit or roll back with the event).
event_recorded = Signal()


def json_safe(value: Any) -> Any:
    """Dates, decimals and UUIDs as the API writes them."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _attnames(obj: Model, names: Iterable[str]) -> dict[str, str]:
    return {name: getattr(obj._meta.get_field(name), "attname", name) for name in names}


def fields_of(obj: Model, names: Iterable[str]) -> dict[str, Any]:
    """The values of ``names`` on the instance ``obj`` (foreign keys as ids), JSON-safe."""
    values = {name: getattr(obj, attname) for name, attname in _attnames(obj, names).items()}
    return dict(json_safe(values))


def stored_fields_of(obj: Model, names: Iterable[str]) -> dict[str, Any]:
    """The values of ``names`` as the database holds them for ``obj``: the "before" of a change,
    whatever a form has already set on the instance."""
    attnames = _attnames(obj, names)
    row = type(obj)._default_manager.filter(pk=obj.pk).values(*attnames.values()).first() or {}
    return dict(json_safe({name: row.get(attname) for name, attname in attnames.items()}))


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def event_record(
    *,
    type: str,  # the event's type, as the API and webhooks name it
    obj: Model,
    changes: Mapping[str, list[Any]] | None = None,
    opening_ids: Iterable[int | None] = (),
    data: dict[str, Any] | None = None,
) -> Event:
    """Record ``type`` (``<object type>.<what happened>``) about ``obj``, with the acting user,
    channel and request id, its next per-object sequence number, and ``data`` (by default the
    object's registered representation). ``opening_ids``: the openings it concerns, which decide
    who may read it. Must run inside the transaction of the change (``transaction.atomic``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{type} must be recorded inside the transaction of its change")
    object_type = type.split(".", 1)[0]
    object_id = str(obj.pk)
    last = Event._default_manager.filter(object_type=object_type, object_id=object_id).aggregate(
        last=Max("sequence")
    )["last"]
    now = current()
    actor = now.actor()
    event = Event._default_manager.create(
        type=type,
        object_type=object_type,
        object_id=object_id,
        sequence=(last or 0) + 1,
        actor=actor,
        on_behalf_of=now.on_behalf_of,
        actor_label=_label(now.label, actor, now.on_behalf_of, now.channel),
        channel=now.channel,
        request_id=now.request_id,
        changes=json_safe(dict(changes or {})),
        data=json_safe(data if data is not None else represent(object_type, obj)),
    )
    scopes = sorted({opening_id for opening_id in opening_ids if opening_id is not None})
    EventScope._default_manager.bulk_create([EventScope(event=event, opening_id=o) for o in scopes])
    event_recorded.send(sender=Event, event=event)
    return event


def _label(label: str, actor: Any, on_behalf_of: Any, channel: str) -> str:
    who = label or (actor.get_username() if actor is not None else channel)
    if on_behalf_of is not None:
        who += f" for {on_behalf_of.get_username()}"
    return who[:200]
