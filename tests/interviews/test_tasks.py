"""The expiry job, through its Celery task and its management command."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from interviews.models import TakeHomeAssignment
from interviews.services.takehomes import takehome_assign
from interviews.tasks import expire_takehomes
from tests.interviews.factories import application_for, seeded_template

pytestmark = pytest.mark.django_db


def overdue_assignment(*, submitted: bool = False) -> TakeHomeAssignment:
    created = takehome_assign(
        application=application_for(),
        template=seeded_template(),
        due_at=timezone.now() + timedelta(days=1),
    )
    past = timezone.now()
    TakeHomeAssignment.objects.filter(pk=created.assignment.pk).update(
        sent_at=past - timedelta(days=9),
        due_at=past - timedelta(days=5),
        link_expires_at=past - timedelta(days=3),
        status="submitted" if submitted else "sent",
        submitted_at=past - timedelta(days=6) if submitted else None,
    )
    return created.assignment


def test_task_expires_only_unsubmitted_overdue_links_and_is_idempotent():
    open_one, done = overdue_assignment(), overdue_assignment(submitted=True)
    assert expire_takehomes.delay().get() == 1
    assert expire_takehomes.delay().get() == 0
    open_one.refresh_from_db()
    done.refresh_from_db()
    assert (open_one.status, done.status) == ("expired", "submitted")


def test_command_reports_what_it_did():
    overdue_assignment()
    out = StringIO()
    call_command("expire_takehomes", stdout=out)
    assert "1 take-home(s) expired." in out.getvalue()
