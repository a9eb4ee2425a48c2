"""E-mail to candidates, and to interviewers about a candidate's interview: queued with the
text rendered at that moment, sent by a Celery task, logged on the candidate.

Delivery is at least once and, short of a worker dying between the SMTP server's acceptance and
the row's update, exactly once: each attempt first takes the message by compare-and-set (a lease),
so a redelivered task or a second worker finds it taken or already sent and sends nothing. A
message is marked sent only once the mail backend returned without error. Failures (the server
refusing, a timeout, no connection) leave it ``failed`` with the attempt counted and the error,
and the task retries it with backoff up to ``max_attempts``; the sweeper resends messages a dead
worker left behind. The stable ``Message-ID`` lets mail clients drop the duplicate in that one
case where an accepted message is sent again."""

from __future__ import annotations

import logging
import random
import smtplib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from hiring.models import Candidate, Message, MessageTemplate
from hiring.services._actors import User, _actor
from hiring.services.message_templates import render, variable_names

logger = logging.getLogger(__name__)

# Sent once a message is marked sent (the mail server took it), with ``message`` and
# ``sent_at``: the Art. 14 notice clock stops on it (``notices``).
message_sent = Signal()

Status = Message.Status
UNSENT = (Status.QUEUED, Status.FAILED)
# What can heal by trying again: the server refusing (it may be a greylist, a full mailbox or a
# passing policy), and the network (timeouts are OSError too).
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (smtplib.SMTPException, OSError)


class Attachment(TypedDict):
    filename: str
    content_type: str
    content: str


class _Deliverable:
    """What ``message_queue`` hands each new message to (the task's ``delay``), once connected
    by ``hiring.apps`` (hiring's tasks import this module, so it cannot import them)."""

    task: Any = None


deliverable = _Deliverable()


def connect(*, task: Any) -> None:
    deliverable.task = task


def _enqueue_on_commit(message_id: int) -> None:
    task = deliverable.task
    if task is None:  # the app is not ready; the sweeper sends it
        return
    transaction.on_commit(lambda: task.delay(message_id))


def candidate_primary_email(*, candidate: Candidate) -> str | None:
    """The address messages to ``candidate`` go to: the primary one, else the first."""
    return candidate.emails.order_by("-is_primary", "id").values_list("email", flat=True).first()


def message_queue(
    *,
    candidate: Candidate,
    template_key: str,
    to: str | None = None,
    recipient_kind: str = Message.RecipientKind.CANDIDATE,
    context: Mapping[str, Any],
    attachments: Iterable[Attachment] = (),
    concerns: str = "",
    by: User = None,
) -> Message:
    """Render ``template_key`` with ``context`` now, store the message as queued and send it
    once the caller's transaction commits (at once outside one). ``to`` is the address; for a
    message to the candidate it defaults to their primary one (``candidate_primary_email``).
    Without an address this raises a ``ValidationError`` and stores nothing: the caller decides
    whether that stops it. ``context`` must give exactly the variables of the
    key (``hiring.services.message_templates.VARIABLES``), so no template can miss one."""
    if to is None and recipient_kind == Message.RecipientKind.CANDIDATE:
        to = candidate_primary_email(candidate=candidate)
    address = (to or "").strip()
    if not address:
        who = "This candidate" if recipient_kind == Message.RecipientKind.CANDIDATE else "They"
        raise ValidationError(
            {"to": [f"{who} has no e-mail address; add one before sending e-mail."]}
        )
    if template_key not in MessageTemplate.Key.values:
        raise ValidationError({"template_key": [f"No such message template: {template_key}."]})
    missing = variable_names(template_key) - set(context)
    if missing:
        # A programming error, not input: fail loudly rather than send half a message.
        raise ValueError(f"{template_key} needs {', '.join(sorted(missing))} in its context")
    template = MessageTemplate.objects.filter(key=template_key).first()
    if template is None:
        raise ValidationError({"template_key": [f"The {template_key} template is missing."]})
    rendered = render(template=template, context=context)
    now = timezone.now()
    message = Message.objects.create(
        candidate=candidate,
        template_key=template_key,
        recipient_kind=recipient_kind,
        to_address=address,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        attachments=list(attachments),
        concerns=concerns,
        status=Status.QUEUED,
        max_attempts=settings.MAIL_MAX_ATTEMPTS,
        queued_at=now,
        next_attempt_at=now,
        created_by=_actor(by),
    )
    _enqueue_on_commit(message.pk)
    return message


def backoff_seconds(attempts: int) -> float:
    """The wait after the ``attempts``-th failed attempt: ``base * 4^(n-1)``, capped, ±20%
    jitter so messages that failed together do not retry together. Defaults (60 s, cap 1 h, five
    attempts): ~1 min, 4 min, 16 min, 1 h."""
    base = float(settings.MAIL_RETRY_BASE_SECONDS) * 4.0 ** (attempts - 1)
    return min(float(settings.MAIL_RETRY_CAP_SECONDS), base) * random.uniform(0.8, 1.2)


@dataclass(frozen=True)
class Outcome:
    status: str  # the message's status after the attempt
    retry_in: float | None = None  # seconds until the next attempt, when one is due


def _claim(message_id: int) -> str | None:
    """Compare-and-set: lease an unsent message with attempts left that no live attempt holds;
    counts the attempt. The lease token, or ``None`` when there is nothing to send."""
    now = timezone.now()
    token = uuid.uuid4().hex
    claimed = Message.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now),
        pk=message_id,
        status__in=UNSENT,
        attempts__lt=F("max_attempts"),
    ).update(
        leased_until=now + timedelta(seconds=settings.MAIL_LEASE_SECONDS),
        lease_token=token,
        attempts=F("attempts") + 1,
    )
    return token if claimed else None


def _email(message: Message) -> EmailMultiAlternatives:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "hirebar.invalid"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.to_address],
        # Stable across attempts: a copy sent again after a lost acknowledgement is recognised
        # as the same message.
        headers={"Message-ID": f"<hirebar-message-{message.pk}@{domain}>"},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    return email


def message_send_attempt(*, message_id: int) -> Outcome | None:
    """Make one attempt at sending the message if it is unsent and nobody else is sending it;
    ``None`` when there was nothing to do (already sent, taken, or out of attempts). Talks to
    the mail server outside any transaction. ``Outcome.retry_in``: when the caller should try
    again, ``None`` when it should not."""
    token = _claim(message_id)
    if token is None:
        return None
    message = Message.objects.get(pk=message_id)
    try:
        delivered = _email(message).send(fail_silently=False)
        error = "" if delivered else "The mail backend accepted nothing."
    except TRANSIENT_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"
    except Exception as exc:
        # A bug or a broken message: record it, do not retry, and let the worker log it.
        _record_failure(message, token, f"{type(exc).__name__}: {exc}", retry=False)
        raise
    if not error:
        sent_at = timezone.now()
        marked = Message.objects.filter(pk=message.pk, lease_token=token).update(
            status=Status.SENT,
            sent_at=sent_at,
            leased_until=None,
            lease_token="",
            last_error="",
        )
        if marked:
            message_sent.send(sender=Message, message=message, sent_at=sent_at)
        return Outcome(Status.SENT)
    return _record_failure(message, token, error, retry=True)


def _record_failure(message: Message, token: str, error: str, *, retry: bool) -> Outcome:
    """Mark the attempt failed. ``retry=False`` (not a mail error: a bug, a time limit) uses up
    the message's attempts, so only a recruiter's retry sends it again."""
    attempts = message.attempts  # already counted by the claim
    retry_in = backoff_seconds(attempts) if retry and attempts < message.max_attempts else None
    now = timezone.now()
    # Servers quote the recipient in refusals; the address stays in its own column only, which
    # an erasure blanks.
    error = error.replace(message.to_address, "<recipient>")[:2000]
    Message.objects.filter(pk=message.pk, lease_token=token).update(
        status=Status.FAILED,
        last_error=error,
        leased_until=None,
        lease_token="",
        next_attempt_at=now + timedelta(seconds=retry_in or 0),
        **({} if retry else {"max_attempts": F("attempts")}),
    )
    logger.warning(
        "message %s attempt %s failed: %s", message.pk, attempts, error.splitlines()[0][:200]
    )
    return Outcome(Status.FAILED, retry_in=retry_in)


def messages_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Unsent messages with attempts left whose task went missing: queued or failed, due for
    longer than ``MAIL_REQUEUE_AFTER_SECONDS`` (a live task would have taken them by then), and
    not held by a live attempt. For the sweeper."""
    now = now or timezone.now()
    overdue = now - timedelta(seconds=settings.MAIL_REQUEUE_AFTER_SECONDS)
    due: QuerySet[Message] = Message.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now),
        status__in=UNSENT,
        attempts__lt=F("max_attempts"),
        next_attempt_at__lte=overdue,
    ).order_by("next_attempt_at")
    return list(due.values_list("pk", flat=True)[:limit])


def message_retry(*, message: Message, by: User = None) -> bool:
    """Send a failed message again (a recruiter's retry): it gets a new round of
    ``MAIL_MAX_ATTEMPTS`` attempts, ``attempts`` keeps counting. ``False`` when it is not
    failed (sent meanwhile, or still queued)."""
    now = timezone.now()
    with transaction.atomic():
        retried = Message.objects.filter(pk=message.pk, status=Status.FAILED).update(
            status=Status.QUEUED,
            max_attempts=F("attempts") + settings.MAIL_MAX_ATTEMPTS,
            next_attempt_at=now,
        )
        if retried:
            logger.info("message %s retried by %s", message.pk, getattr(_actor(by), "pk", None))
            _enqueue_on_commit(message.pk)
    return bool(retried)
