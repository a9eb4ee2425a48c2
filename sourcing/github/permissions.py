"""Who may read implementations (they name candidates) and start runs, in one place."""

from __future__ import annotations

from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from core.requester import User
from sourcing.github import selectors
from sourcing.github.models import ImplementationRun
from sourcing.models import Paper
from sourcing.records import split_version


class ImplementationAccess(BasePermission):
    message = "Your account may not see or start re-implementation sourcing."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return user.has_perm("sourcing_github.view_implementation")
        return user.has_perm("sourcing_github.add_implementationrun")


def access_paper_by_arxiv_id(user: User, arxiv_id: str) -> Paper:
    """The paper by id (``arXiv:`` prefix and version ignored), or a 404."""
    if not selectors.can_see_implementations(user):
        raise Http404
    bare = arxiv_id.strip().removeprefix("arXiv:").removeprefix("arxiv:")
    paper = Paper.objects.filter(arxiv_id=split_version(bare)[0]).first()
    if paper is None:
        raise Http404
    return paper


def access_run_by_id(user: User, run_id: int) -> ImplementationRun:
    try:
        return selectors.runs_visible_to(user=user).get(pk=run_id)
    except (ImplementationRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
