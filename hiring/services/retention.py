"""Retention: how long people are kept once Hirebar has no use for them (docs/privacy.md).

A person is kept while any application of theirs is open, and for good once hired (they are
colleagues; HR's own records take over). Otherwise they are erased (``candidate_erase``, with
suppression, so sourcing does not find them again either):

- ``HIREBAR_RETENTION_CLOSED_MONTHS`` after their last application closed (rejected or
  withdrawn), unless they consented to stay in the talent pool;
- ``HIREBAR_RETENTION_SOURCED_MONTHS`` after they were sourced, if no application of theirs got
  past "sourced" (nobody acted on the lead), unless they consented.

The daily beat task runs ``retention_apply``; each erasure is an event (``candidate.erased``,
channel "task", with the rule as its reason) and a log line."""

from __future__ import annotations

import calendar
import datetime as dt
import logging

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from hiring.models import Application, Candidate, Stage
from hiring.services.erasure import candidate_erase

logger = logging.getLogger(__name__)
_CLOSED = [Stage.REJECTED, Stage.WITHDRAWN]


def months_before(now: dt.datetime, months: int) -> dt.datetime:
    """``months`` calendar months earlier, on the last day of a shorter month."""
    index = now.year * 12 + now.month - 1 - months
    year, month = divmod(index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def _keepable() -> QuerySet[Candidate]:
    return Candidate.objects.filter(erased_at__isnull=True, merged_into__isnull=True).exclude(
        consent_state=Candidate.ConsentState.GIVEN
    )


def retention_due(*, now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Candidate ids due for erasure, by rule."""
    now = now or timezone.now()
    open_or_hired = Application.objects.filter(candidate=OuterRef("pk")).exclude(stage__in=_CLOSED)
    past_sourced = Application.objects.filter(candidate=OuterRef("pk")).exclude(stage=Stage.SOURCED)
    any_application = Application.objects.filter(candidate=OuterRef("pk"))
    base = _keepable().exclude(Exists(open_or_hired))
    closed_before = months_before(now, settings.HIREBAR_RETENTION_CLOSED_MONTHS)
    closed = (
        base.filter(Exists(any_application))
        .annotate(last_closed=Max("applications__stage_changed_at"))
        .filter(last_closed__lt=closed_before)
    )
    sourced_before = months_before(now, settings.HIREBAR_RETENTION_SOURCED_MONTHS)
    never_contacted = (
        _keepable().filter(sourced_at__lt=sourced_before).exclude(Exists(past_sourced))
    )
    return {
        "closed": sorted(closed.values_list("pk", flat=True)),
        "never_contacted": sorted(
            set(never_contacted.values_list("pk", flat=True))
            - set(closed.values_list("pk", flat=True))
        ),
    }


def retention_apply(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Erase everyone retention no longer allows; returns how many per rule."""
    due = retention_due(now=now)
    reasons = {
        "closed": f"retention: {settings.HIREBAR_RETENTION_CLOSED_MONTHS} months after the last "
        "application closed",
        "never_contacted": f"retention: sourced {settings.HIREBAR_RETENTION_SOURCED_MONTHS} "
        "months ago and never contacted",
    }
    done = {}
    for rule, ids in due.items():
        for candidate in Candidate.objects.filter(pk__in=ids).order_by("pk"):
            erasure = candidate_erase(candidate=candidate, reason=reasons[rule])
            if not erasure.already:
                logger.info("retention erased candidate %s (%s)", candidate.pk, rule)
        done[rule] = len(ids)
    return done
