"""The analytics pages inside the admin (staff only, through ``admin.site.admin_view``): parse
the query string, call a selector, render. Numbers are the API's; charts are drawn in the
browser by the vendored Chart.js from the same data (``json_script``), so nothing is fetched
from outside."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from analytics import filters, selectors
from analytics.forecast.selectors import forecast_payload, opening_forecast
from analytics.history import SOURCES
from hiring.models import RoleProfile
from hiring.permissions import access_opening_by_id


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**admin.site.each_context(request), **context})


def funnel_page(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    try:
        funnel_filters = filters.funnel_filters(query=request.GET, user=request.user)
    except ValidationError as exc:
        errors = exc.message_dict
        funnel_filters = selectors.FunnelFilters()
    data = selectors.funnel(user=request.user, filters=funnel_filters)
    return _page(
        request,
        "analytics/funnel.html",
        {
            "title": "Funnel",
            "funnel": data,
            "errors": errors,
            "roles": RoleProfile.objects.filter(is_active=True).order_by("title"),
            "sources": SOURCES,
            "query": request.GET,
        },
    )


def calibration_page(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_calibration(request.user):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    try:
        role = filters.calibration_role(query=request.GET)
    except ValidationError as exc:
        errors, role = exc.message_dict, None
    return _page(
        request,
        "analytics/calibration.html",
        {
            "title": "Interviewer calibration",
            "calibration": selectors.calibration(role=role),
            "errors": errors,
        },
    )


def forecast_page(request: HttpRequest, pk: int) -> HttpResponse:
    opening = access_opening_by_id(request.user, pk)
    payload = forecast_payload(opening_forecast(opening=opening))
    return _page(
        request,
        "analytics/forecast.html",
        {"title": f"Forecast: {opening.title}", "opening": opening, "forecast": payload},
    )


def awaiting_scorecards_page(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "analytics/awaiting_scorecards.html",
        {
            "title": "Interviews waiting for scorecards",
            "rows": selectors.awaiting_scorecards(user=request.user),
        },
    )
