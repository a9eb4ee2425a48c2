"""What a delivery sends: the Standard Webhooks body and headers, signed with the
``standardwebhooks`` package (the same code receivers verify with), never with our own HMAC."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from standardwebhooks import Webhook

from core.events.models import Event


def payload(event: Event) -> dict[str, Any]:
    """``{"type", "timestamp", "data"}``: the time the event happened, and in ``data`` the
    object's id, its per-object sequence number (receivers order by it, since deliveries may
    arrive out of order), its representation after the change and the changed fields."""
    object_id: int | str = int(event.object_id) if event.object_id.isdigit() else event.object_id
    return {
        "type": event.type,
        "timestamp": event.created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "data": {
            "id": object_id,
            "object_type": event.object_type,
            "sequence": event.sequence,
            "object": event.data,
            "changes": event.changes,
        },
    }


def body_of(event: Event) -> str:
    # Compact; the bytes sent are exactly this text in UTF-8, which is what the signature
    # covers.
    return json.dumps(payload(event), separators=(",", ":"), ensure_ascii=False)


def signature(*, secrets: list[str], msg_id: str, at: dt.datetime, body: str) -> str:
    """``v1,<base64>`` per secret, space-separated (two while a secret is rotated)."""
    return " ".join(Webhook(secret).sign(msg_id, at, body) for secret in secrets)


def headers(*, secrets: list[str], msg_id: str, at: dt.datetime, body: str) -> dict[str, str]:
    """The three Standard Webhooks headers for one attempt: ``webhook-timestamp`` is the
    attempt's time (receivers refuse stale ones), ``webhook-id`` the event's, the same on
    every attempt so receivers can drop duplicates."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature(secrets=secrets, msg_id=msg_id, at=at, body=body),
        "content-type": "application/json",
        "user-agent": "Hirebar-Webhooks/1.0",
    }
