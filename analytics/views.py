"""The analytics pages inside the admin (staff only, through ``admin.site.admin_view``): parse
the query string, call a selector, render. Numbers are the API's; charts are drawn in the
browser by the vendored Chart.js from the same data (``json_script``), so nothing is fetched
from outside."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from analytics import filters, selectors, services
from analytics.forecast.selectors import forecast_payload, opening_forecast
from analytics.history import SOURCES
from hiring.models import RoleProfile, Stage
from hiring.permissions import access_opening_by_id
from hiring.selectors import openings_visible_to


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
    # The page says "Take-home", not the API's ``take_home``.
    labels = {stage.value: stage.label for stage in Stage}
    data["stages"] = [
        {**row, "label": labels.get(row["stage"], row["stage"])} for row in data["stages"]
    ]
    return _page(
        request,
        "analytics/funnel.html",
        {
            "title": "Funnel",
            "funnel": data,
            "errors": errors,
            "roles": RoleProfile.objects.filter(is_active=True).order_by("title"),
            # Chosen by title: nobody knows an opening's id.
            "openings": openings_visible_to(user=request.user)
            .select_related(None)
            .order_by("title")
            .only("pk", "title"),
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


class OpeningDatesForm(forms.Form):
    opened_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    target_fill_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closed_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


def opening_dates_page(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("hiring.change_opening"):
        raise PermissionDenied
    opening = access_opening_by_id(request.user, pk)
    form = OpeningDatesForm(
        request.POST or None,
        initial={
            "opened_on": opening.opened_on,
            "target_fill_date": opening.target_fill_date,
            "closed_on": opening.closed_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.opening_dates_set(opening=opening, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field, messages)
        else:
            return redirect("analytics:forecast", pk=opening.pk)
    return _page(
        request,
        "analytics/opening_dates.html",
        {"title": f"Planning dates: {opening.title}", "opening": opening, "form": form},
    )
