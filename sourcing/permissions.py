"""Access to sourcing through the API, in one place: model permissions (Recruiters hold them,
see ``sourcing.apps``), and ``access_run_by_id`` so an invisible run is a 404."""

from __future__ import annotations

from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from core.requester import User
from sourcing import selectors
from sourcing.models import SourcingRun


class SourcingAccess(BasePermission):
    message = "Your account may not use sourcing."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return user.has_perm("sourcing.view_sourcingrun")
        return user.has_perm("sourcing.add_sourcingrun")


def access_run_by_id(user: User, run_id: int) -> SourcingRun:
    try:
        return selectors.runs_visible_to(user=user).get(pk=run_id)
    except (SourcingRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
