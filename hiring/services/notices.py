"""The GDPR Art. 14 notice clock for people Hirebar found in public data (arXiv, GitHub) rather
than who applied: they must be told who holds their data, what and where it came from, within
one month of being sourced at the latest, or with the first contact if that comes sooner.

``sourced_at`` starts the clock and ``notice_due_at`` is one calendar month later. The notice is
an e-mail (template ``privacy_notice``); it counts as sent when the mail server took it
(``notice_delivered``), not when it was queued. An objection stops everything: no contact, no
notice, and the person's identifiers go on the suppression list so sourcing skips them."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from core.events.recording import event_record
from hiring.models import Application, Candidate, Message, Stage
from hiring.services._actors import User
from hiring.services.messages import message_queue

# Sent with ``candidate``; receivers return a list of ``{"kind", "title", "url"}``: where the
# person was found (sourcing: the arXiv papers, the GitHub repositories), for the notice.
candidate_sources = Signal()

NOTICE_TEMPLATE = "privacy_notice"
OBJECTION_SALT = "hirebar.privacy.objection"
DUE_SOON = dt.timedelta(days=7)


def add_month(when: dt.datetime) -> dt.datetime:
    """One calendar month later, on the last day of a shorter month (31 Jan -> 28/29 Feb)."""
    year, month = divmod(when.year * 12 + when.month, 12)  # the next month, 0-based
    month += 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def notice_clock_start(candidate: Candidate, *, at: dt.datetime | None = None) -> None:
    """Start the clock on an unsaved or unsaved-yet sourced candidate (the caller saves)."""
    candidate.sourced_at = at or timezone.now()
    candidate.notice_due_at = add_month(candidate.sourced_at)


def is_sourced(candidate: Candidate) -> bool:
    return candidate.sourced_at is not None or candidate.notice_state != (
        Candidate.NoticeState.NOT_REQUIRED
    )


def candidates_by_notice(
    queryset: QuerySet[Candidate], state: str, *, now: dt.datetime | None = None
) -> QuerySet[Candidate]:
    """``overdue`` (pending past its due time), ``due`` (pending, due within a week), or one of
    the notice states. Erased people owe no notice."""
    now = now or timezone.now()
    queryset = queryset.filter(erased_at__isnull=True)
    pending = Q(notice_state=Candidate.NoticeState.PENDING)
    if state == "overdue":
        return queryset.filter(pending, notice_due_at__lt=now)
    if state == "due":
        return queryset.filter(pending, notice_due_at__gte=now, notice_due_at__lt=now + DUE_SOON)
    return queryset.filter(notice_state=state)


NOTICE_FILTERS = {
    "overdue": "Overdue (pending past its due date)",
    "due": "Due within a week",
    **dict(Candidate.NoticeState.choices),
}


def objection_url(candidate: Candidate) -> str:
    token = signing.dumps({"candidate": candidate.pk}, salt=OBJECTION_SALT)
    site: str = settings.SITE_URL
    return site.rstrip("/") + reverse("privacy-object", args=[token])


def candidate_by_objection_token(token: str) -> Candidate | None:
    try:
        payload = signing.loads(token, salt=OBJECTION_SALT)
    except signing.BadSignature:
        return None
    pk = payload.get("candidate") if isinstance(payload, dict) else None
    return Candidate.objects.filter(pk=pk, erased_at__isnull=True).first() if pk else None


def _held(candidate: Candidate) -> list[str]:
    held = ["your name as it appears in your public work"]
    if candidate.emails.exists():
        held.append("your e-mail address")
    if candidate.github_login:
        held.append("your public GitHub profile (login, name, company, location, repositories)")
    if candidate.arxiv_name_forms:
        held.append("the arXiv papers you authored, with your affiliation as printed on them")
    held.append("our notes on how your public work matches the role we are hiring for")
    return held


def notice_context(candidate: Candidate) -> dict[str, Any]:
    sources: list[dict[str, str]] = []
    for _receiver, found in candidate_sources.send(sender=Candidate, candidate=candidate):
        if isinstance(found, list):
            sources.extend(found)
    return {
        "candidate_name": candidate.full_name,
        "controller_name": settings.HIREBAR_CONTROLLER_NAME,
        "controller_contact": settings.HIREBAR_PRIVACY_CONTACT,
        "sources": sources,
        "held": _held(candidate),
        "objection_url": objection_url(candidate),
        "retention": (
            f"We keep it for at most {settings.HIREBAR_RETENTION_SOURCED_MONTHS} months if we do "
            f"not contact you, and {settings.HIREBAR_RETENTION_CLOSED_MONTHS} months after an "
            "application closes, unless you ask us to keep you in our talent pool"
        ),
    }


def notice_errors(candidate: Candidate) -> list[str]:
    """Why a notice cannot go to ``candidate`` now (empty: it can)."""
    if candidate.erased_at is not None:
        return ["This person was erased; there is no one to notify."]
    if not is_sourced(candidate):
        return [
            "This candidate was not sourced (they applied or were entered by hand): no Art. 14 "
            "notice is owed."
        ]
    if candidate.objected_at is not None:
        return ["This person objected; they are not contacted again."]
    if candidate.notice_sent_at is not None:
        return [f"The notice was already sent on {candidate.notice_sent_at:%Y-%m-%d %H:%M} UTC."]
    if not candidate.emails.exists():
        return ["No e-mail address: add one so the notice can be sent."]
    return []


def _notice_queued(candidate: Candidate) -> bool:
    """A notice on its way: queued, or failed with attempts left (the task or the sweeper
    tries again)."""
    on_its_way = Q(status=Message.Status.QUEUED) | Q(
        status=Message.Status.FAILED, attempts__lt=F("max_attempts")
    )
    return Message.objects.filter(
        on_its_way, candidate=candidate, template_key=NOTICE_TEMPLATE
    ).exists()


@transaction.atomic
def notice_send(*, candidate: Candidate, by: User = None) -> Any:
    """Queue the Art. 14 notice to the candidate's primary address; returns the message. Refused
    (``ValidationError``) when nothing is owed or it cannot go; a notice already on its way is
    returned as it is rather than sent twice."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if errors := notice_errors(candidate):
        raise ValidationError({"notice": errors})
    if _notice_queued(candidate):
        return Message.objects.filter(candidate=candidate, template_key=NOTICE_TEMPLATE).latest(
            "pk"
        )
    address = candidate.emails.order_by("-is_primary", "id").first()
    assert address is not None  # checked in notice_errors
    return message_queue(
        candidate=candidate,
        template_key=NOTICE_TEMPLATE,
        to=address.email,
        recipient_kind="candidate",
        context=notice_context(candidate),
        concerns=f"candidate:{candidate.pk}",
        by=by,
    )


def on_message_sent(sender: Any, *, message: Message, sent_at: dt.datetime, **kwargs: Any) -> None:
    if message.template_key == NOTICE_TEMPLATE:
        notice_delivered(candidate_id=message.candidate_id, sent_at=sent_at)


@transaction.atomic
def notice_delivered(*, candidate_id: int, sent_at: dt.datetime) -> None:
    """The mail server took the notice: the clock stops. Records ``candidate.notice_sent``."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
    if candidate.notice_sent_at is not None or candidate.erased_at is not None:
        return
    candidate.notice_sent_at = sent_at
    if candidate.notice_state == Candidate.NoticeState.PENDING:
        candidate.notice_state = Candidate.NoticeState.SENT
    candidate.save(update_fields=["notice_sent_at", "notice_state", "updated_at"])
    event_record(
        type="candidate.notice_sent",
        obj=candidate,
        changes={"notice_sent_at": [None, sent_at.isoformat()]},
        opening_ids=list(candidate.applications.values_list("opening_id", flat=True)),
    )


def first_contact_errors(application: Application, to_stage: str) -> list[str]:
    """Rules of the first contact (``sourced`` -> ``contacted``/``screen``): nobody who objected
    is contacted; a sourced person gets their notice with it (``first_contact``)."""
    if application.stage != Stage.SOURCED or to_stage not in {Stage.CONTACTED, Stage.SCREEN}:
        return []
    candidate = application.candidate
    if candidate.erased_at is not None:
        return ["This person was erased."]
    if candidate.objected_at is not None:
        return [
            f"{candidate.full_name} objected on {candidate.objected_at:%Y-%m-%d}: they are not "
            "contacted."
        ]
    if _notice_owed(candidate) and not candidate.emails.exists():
        return [
            f"{candidate.full_name} was sourced and has not had the Art. 14 notice, which goes "
            "with the first contact: add their e-mail address first."
        ]
    return []


def _notice_owed(candidate: Candidate) -> bool:
    return (
        candidate.notice_state == Candidate.NoticeState.PENDING and candidate.notice_sent_at is None
    )


def first_contact(application: Application, *, by: User = None) -> None:
    """Send the notice with the first contact if it has not gone yet (in the move's
    transaction, so the message is queued only if the move commits)."""
    if _notice_owed(application.candidate):
        notice_send(candidate=application.candidate, by=by)


def notices_send_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily pass: queue every pending notice due within ``HIREBAR_NOTICE_SEND_AHEAD_DAYS``
    (or overdue) whose person has an address; count those that cannot go (no address), which
    the admin lists as due or overdue."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=settings.HIREBAR_NOTICE_SEND_AHEAD_DAYS)
    due = Candidate.objects.filter(
        notice_state=Candidate.NoticeState.PENDING,
        notice_sent_at__isnull=True,
        objected_at__isnull=True,
        erased_at__isnull=True,
        merged_into__isnull=True,
        notice_due_at__lte=horizon,
    ).order_by("notice_due_at", "pk")
    counts = {"queued": 0, "no_address": 0, "on_its_way": 0}
    for candidate in due.iterator(chunk_size=200):
        if not candidate.emails.exists():
            counts["no_address"] += 1
        elif _notice_queued(candidate):
            counts["on_its_way"] += 1
        else:
            notice_send(candidate=candidate)
            counts["queued"] += 1
    return counts
