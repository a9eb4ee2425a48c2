"""What beat starts for analytics: the pooled role and global rates, recomputed in the
background before they expire, so a forecast never pays for reading the whole stage history in
a request (about a second on 100k applications; the forecast itself takes under 200 ms)."""

from __future__ import annotations

from celery import shared_task

from analytics.forecast.selectors import pooled


@shared_task(name="analytics.schedules.refresh_pooled_rates", ignore_result=True)
def refresh_pooled_rates() -> int:
    rates = pooled(fresh=True)
    return len(rates.by_role)
