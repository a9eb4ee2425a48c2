"""Erasure's part in the webhook log: a receiver's stored answer (``response_excerpt``) may echo
the payload it got, so the answers to redacted events, and any answer naming the person, are
scrubbed. The payloads themselves are built from the events when sent (``core.events``), so
redacting the events is enough for every later delivery."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from django.db.models import Q

from core.webhooks.models import WebhookAttempt


def webhook_answers_scrub(
    *, event_ids: Iterable[int], terms: Collection[str], scrub: Callable[[str], str]
) -> int:
    match = Q(delivery__event__in=list(event_ids))
    for term in terms:
        if term:
            match |= Q(response_excerpt__icontains=term)
    changed = []
    attempts = WebhookAttempt.objects.filter(match).exclude(response_excerpt="")
    for attempt in attempts.only("pk", "response_excerpt").iterator(chunk_size=500):
        text = scrub(attempt.response_excerpt)
        if text != attempt.response_excerpt:
            attempt.response_excerpt = text
            changed.append(attempt)
    WebhookAttempt.objects.bulk_update(changed, ["response_excerpt"], batch_size=500)
    return len(changed)
