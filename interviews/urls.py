"""API routes of the interviews app, mounted under ``/api/v1/`` (``config.urls`` api_v1)."""

from django.urls import path

from interviews.apis.debugging import DebuggingSessionDetailApi, DebuggingSessionListApi
from interviews.apis.kits import (
    InterviewCancelApi,
    InterviewDetailApi,
    InterviewListApi,
    InterviewRescheduleApi,
    KitDetailApi,
    KitListApi,
)
from interviews.apis.scorecards import (
    ScorecardAmendApi,
    ScorecardDetailApi,
    ScorecardListCreateApi,
    ScorecardSubmitApi,
)
from interviews.apis.takehomes import TakeHomeAssignmentDetailApi, TakeHomeAssignmentListCreateApi
from interviews.apis.verdict import ApplicationVerdictApi

urlpatterns = [
    path("kits/", KitListApi.as_view(), name="kit-list"),
    path("kits/<int:pk>/", KitDetailApi.as_view(), name="kit-detail"),
    path("interviews/", InterviewListApi.as_view(), name="interview-list"),
    path("interviews/<int:pk>/", InterviewDetailApi.as_view(), name="interview-detail"),
    path("interviews/<int:pk>/cancel/", InterviewCancelApi.as_view(), name="interview-cancel"),
    path(
        "interviews/<int:pk>/reschedule/",
        InterviewRescheduleApi.as_view(),
        name="interview-reschedule",
    ),
    path("scorecards/", ScorecardListCreateApi.as_view(), name="scorecard-list"),
    path("scorecards/<int:pk>/", ScorecardDetailApi.as_view(), name="scorecard-detail"),
    path("scorecards/<int:pk>/submit/", ScorecardSubmitApi.as_view(), name="scorecard-submit"),
    path("scorecards/<int:pk>/amendments/", ScorecardAmendApi.as_view(), name="scorecard-amend"),
    path(
        "takehome-assignments/",
        TakeHomeAssignmentListCreateApi.as_view(),
        name="takehome-assignment-list",
    ),
    path(
        "takehome-assignments/<int:pk>/",
        TakeHomeAssignmentDetailApi.as_view(),
        name="takehome-assignment-detail",
    ),
    path("debugging-sessions/", DebuggingSessionListApi.as_view(), name="debugging-session-list"),
    path(
        "debugging-sessions/<int:pk>/",
        DebuggingSessionDetailApi.as_view(),
        name="debugging-session-detail",
    ),
    path(
        "applications/<int:pk>/verdict/",
        ApplicationVerdictApi.as_view(),
        name="application-verdict",
    ),
]
