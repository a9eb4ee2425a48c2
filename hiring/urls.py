"""Routes of the hiring API, mounted under ``/api/v1/`` by ``config.urls``. Every route is
explicit and ends in ``/``: the interviews app adds ``applications/<id>/verdict/`` through its own
include, so nothing here may be a catch-all below ``applications/<id>/``."""

from django.urls import path

from hiring.apis.applications import (
    ApplicationDetailApi,
    ApplicationHistoryApi,
    ApplicationListCreateApi,
    ApplicationTransitionApi,
)
from hiring.apis.audit import AuditEventListApi
from hiring.apis.candidates import (
    CandidateByExternalIdApi,
    CandidateDetailApi,
    CandidateListCreateApi,
    CandidateMergeApi,
)
from hiring.apis.messages import CandidateMessageListApi
from hiring.apis.openings import OpeningDetailApi, OpeningListCreateApi
from hiring.apis.privacy import (
    CandidateErasureApi,
    CandidateExportApi,
    CandidateNoticeApi,
    CandidateObjectionApi,
)
from hiring.apis.roles import RoleDetailApi, RoleListApi

urlpatterns = [
    path("audit-events/", AuditEventListApi.as_view(), name="audit-event-list"),
    path("roles/", RoleListApi.as_view(), name="role-list"),
    path("roles/<slug:slug>/", RoleDetailApi.as_view(), name="role-detail"),
    path("openings/", OpeningListCreateApi.as_view(), name="opening-list"),
    path("openings/<int:pk>/", OpeningDetailApi.as_view(), name="opening-detail"),
    path("candidates/", CandidateListCreateApi.as_view(), name="candidate-list"),
    path("candidates/<int:pk>/", CandidateDetailApi.as_view(), name="candidate-detail"),
    path("candidates/<int:pk>/merge/", CandidateMergeApi.as_view(), name="candidate-merge"),
    path("candidates/<int:pk>/erasure/", CandidateErasureApi.as_view(), name="candidate-erasure"),
    path("candidates/<int:pk>/export/", CandidateExportApi.as_view(), name="candidate-export"),
    path(
        "candidates/<int:pk>/objection/",
        CandidateObjectionApi.as_view(),
        name="candidate-objection",
    ),
    path("candidates/<int:pk>/notice/", CandidateNoticeApi.as_view(), name="candidate-notice"),
    path(
        "candidates/<int:pk>/messages/",
        CandidateMessageListApi.as_view(),
        name="candidate-messages",
    ),
    path(
        "candidates/by-external-id/<str:external_id>/",
        CandidateByExternalIdApi.as_view(),
        name="candidate-by-external-id",
    ),
    path("applications/", ApplicationListCreateApi.as_view(), name="application-list"),
    path("applications/<int:pk>/", ApplicationDetailApi.as_view(), name="application-detail"),
    path(
        "applications/<int:pk>/history/",
        ApplicationHistoryApi.as_view(),
        name="application-history",
    ),
    path(
        "applications/<int:pk>/transitions/",
        ApplicationTransitionApi.as_view(),
        name="application-transitions",
    ),
]
