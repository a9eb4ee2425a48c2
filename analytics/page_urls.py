"""The analytics pages, mounted under ``/admin/analytics/`` by ``config.urls``; every view is
wrapped by the admin site (staff sign-in, the admin's look)."""

from django.contrib import admin
from django.urls import path

from analytics import views

app_name = "analytics"

urlpatterns = [
    path("funnel/", admin.site.admin_view(views.funnel_page), name="funnel"),
    path("calibration/", admin.site.admin_view(views.calibration_page), name="calibration"),
    path(
        "openings/<int:pk>/forecast/",
        admin.site.admin_view(views.forecast_page),
        name="forecast",
    ),
    path(
        "openings/<int:pk>/dates/",
        admin.site.admin_view(views.opening_dates_page),
        name="opening-dates",
    ),
    path(
        "awaiting-scorecards/",
        admin.site.admin_view(views.awaiting_scorecards_page),
        name="awaiting-scorecards",
    ),
]
