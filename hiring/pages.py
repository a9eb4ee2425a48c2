"""The one page Hirebar shows to a person it sourced: the link in the Art. 14 notice, where they
object (GDPR Art. 21) without an account. The link is signed (``notices.objection_url``), so it
names one person and cannot be guessed; an unknown or tampered link is a plain 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.events.acting import acting, current
from core.events.models import Channel
from hiring.services.notices import candidate_by_objection_token
from hiring.services.objections import candidate_object


@require_http_methods(["GET", "POST"])
def objection(request: HttpRequest, token: str) -> HttpResponse:
    candidate = candidate_by_objection_token(token)
    if candidate is None:
        raise Http404
    if candidate.objected_at is None and request.method == "POST":
        reason = (request.POST.get("reason") or "").strip()[:2000]
        with acting(
            channel=Channel.WEB,
            label="the person, through their objection link",
            request_id=current().request_id,
        ):
            candidate = candidate_object(candidate=candidate, reason=reason)
    context = {"done": candidate.objected_at is not None, "objected_at": candidate.objected_at}
    return render(request, "hiring/privacy_objection.html", context)
