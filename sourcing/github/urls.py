"""Routes of the re-implementation API, mounted under ``/api/v1/`` by ``config.urls``."""

from django.urls import path

from sourcing.github.apis import (
    OpeningReimplementersApi,
    PaperImplementationsApi,
    RunDetailApi,
    RunListCreateApi,
)

urlpatterns = [
    path("reimplementation-runs/", RunListCreateApi.as_view(), name="reimplementation-run-list"),
    path(
        "reimplementation-runs/<int:pk>/",
        RunDetailApi.as_view(),
        name="reimplementation-run-detail",
    ),
    path(
        "papers/<str:arxiv_id>/implementations/",
        PaperImplementationsApi.as_view(),
        name="paper-implementations",
    ),
    path(
        "openings/<int:pk>/reimplementers/",
        OpeningReimplementersApi.as_view(),
        name="opening-reimplementers",
    ),
]
