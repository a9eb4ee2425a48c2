"""Access checks for the hiring API, in one place. Object access goes through ``access_*_by_id``
so a record the requester may not see is a 404, exactly like one that does not exist."""

from __future__ import annotations

from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from core.requester import User
from hiring import selectors
from hiring.models import Application, Candidate, Opening


class HiringWriteAccess(BasePermission):
    """Reads are scoped by the selectors; writes need the model's add/change permission
    (recruiters and ATS integrations have them, hiring managers do not)."""

    message = "Your account may read but not change hiring records."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        model = getattr(view, "write_model", None)
        if model is None:
            return False
        meta = model._meta
        action = "add" if request.method == "POST" else "change"
        return request.user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")


def access_candidate_by_id(user: User, candidate_id: int) -> Candidate:
    try:
        return selectors.candidates_visible_to(user=user).get(pk=candidate_id)
    except (Candidate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def access_candidate_by_external_id(user: User, external_id: str) -> Candidate:
    try:
        return selectors.candidates_visible_to(user=user).get(external_id=external_id)
    except Candidate.DoesNotExist as exc:
        raise Http404 from exc


def access_opening_by_id(user: User, opening_id: int) -> Opening:
    try:
        return selectors.openings_visible_to(user=user).get(pk=opening_id)
    except (Opening.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def access_application_by_id(user: User, application_id: int) -> Application:
    try:
        return selectors.applications_visible_to(user=user).get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
