"""``{% analytics_dashboard %}``: the dashboard on the admin index, for the signed-in user. A tag
rather than a custom AdminSite so the project keeps Django's default site, which every app
registers with."""

from __future__ import annotations

from typing import Any

from django import template

from analytics import selectors
from analytics.history import PIPELINE
from hiring.models import Stage

register = template.Library()


@register.inclusion_tag("analytics/dashboard.html", takes_context=True)
def analytics_dashboard(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {
        "dashboard": selectors.dashboard(user=request.user),
        "stages": [s for s in PIPELINE if s != Stage.HIRED],
        "stage_labels": {s.value: s.label for s in Stage},
        "can_see_calibration": selectors.can_see_calibration(request.user),
    }


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


@register.filter
def thousands(value: int) -> str:
    return f"{value:,}"
