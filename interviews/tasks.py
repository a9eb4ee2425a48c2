"""Thin Celery tasks; each calls one service and is safe to run twice."""

from celery import shared_task

from interviews.services.takehomes import takehome_expire_overdue


@shared_task(time_limit=120, soft_time_limit=100)
def expire_takehomes() -> int:
    # A status-guarded UPDATE: a second run (or two beats overlapping) changes nothing more.
    return takehome_expire_overdue()
