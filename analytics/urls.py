"""Routes of the analytics API, mounted under ``/api/v1/`` by ``config.urls``. The forecast sits
below an opening (``openings/<id>/forecast/``): explicit, so it never shadows hiring's opening
routes, which end at ``openings/<id>/``."""

from django.urls import path

from analytics.apis import CalibrationApi, FunnelApi, OpeningForecastApi

urlpatterns = [
    path("openings/<int:pk>/forecast/", OpeningForecastApi.as_view(), name="opening-forecast"),
    path("analytics/funnel/", FunnelApi.as_view(), name="analytics-funnel"),
    path("analytics/calibration/", CalibrationApi.as_view(), name="analytics-calibration"),
]
