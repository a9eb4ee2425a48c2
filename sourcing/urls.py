"""Routes of the sourcing API, mounted under ``/api/v1/`` by ``config.urls``."""

from django.urls import path

from sourcing.apis import (
    ProspectListApi,
    SourcingRunCancelApi,
    SourcingRunDetailApi,
    SourcingRunListCreateApi,
    SourcingRunProspectsApi,
    SourcingRunResumeApi,
)

urlpatterns = [
    path("sourcing-runs/", SourcingRunListCreateApi.as_view(), name="sourcing-run-list"),
    path("sourcing-runs/<int:pk>/", SourcingRunDetailApi.as_view(), name="sourcing-run-detail"),
    path(
        "sourcing-runs/<int:pk>/cancel/",
        SourcingRunCancelApi.as_view(),
        name="sourcing-run-cancel",
    ),
    path(
        "sourcing-runs/<int:pk>/resume/",
        SourcingRunResumeApi.as_view(),
        name="sourcing-run-resume",
    ),
    path(
        "sourcing-runs/<int:pk>/prospects/",
        SourcingRunProspectsApi.as_view(),
        name="sourcing-run-prospects",
    ),
    path("sourcing-prospects/", ProspectListApi.as_view(), name="sourcing-prospect-list"),
]
