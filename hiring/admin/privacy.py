"""The candidate admin's data-protection tools: the notice clock's filters, and the pages that
send the Art. 14 notice, record an objection, export everything held (Art. 15) and erase the
person (Art. 17). Each asks for confirmation on its own page and goes through the services, like
the API; the list's actions lead to the same pages."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from hiring import services
from hiring.models import Candidate


class NoticeListFilter(admin.SimpleListFilter):
    title = "Art. 14 notice"
    parameter_name = "notice"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(services.NOTICE_FILTERS.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> QuerySet[Candidate]:
        value = self.value()
        return services.candidates_by_notice(queryset, value) if value else queryset


class ErasedListFilter(admin.SimpleListFilter):
    title = "erased"
    parameter_name = "erased"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "Not erased"), ("yes", "Erased")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> QuerySet[Candidate]:
        if self.value() == "yes":
            return queryset.filter(erased_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(erased_at__isnull=True)
        return queryset


class ReasonForm(forms.Form):
    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )


# action: (title, what happens, permission, needs a reason)
_TOOLS = {
    "notice": (
        "Send the Art. 14 notice",
        "An e-mail tells this person who we are, what we hold about them, where it came from "
        "(the papers or repositories we found them through), their rights and how to object.",
        "hiring.change_candidate",
    ),
    "objection": (
        "Record an objection",
        "The person objected to our processing their data. Their open applications are "
        "withdrawn, they cannot be contacted, and sourcing skips them from now on.",
        "hiring.change_candidate",
    ),
    "erase": (
        "Erase this person",
        "Everything personal is removed for good, from every part of Hirebar: names, addresses, "
        "identifiers, sourcing records, take-home files, interview evidence, messages, and the "
        "personal values of the audit trail and webhook payloads. Stages, dates, ratings and "
        "verdicts stay, pseudonymous. Sourcing will never bring this person back. This cannot "
        "be undone.",
        "hiring.erase_candidate",
    ),
}


class CandidatePrivacyAdmin(admin.ModelAdmin):
    """Mixed into ``CandidateAdmin``."""

    def get_urls(self) -> list[URLPattern]:
        tools = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(self.privacy_view),
                {"tool": name},
                name=f"hiring_candidate_{name}",
            )
            for name in _TOOLS
        ]
        export = path(
            "<path:object_id>/export/",
            self.admin_site.admin_view(self.export_view),
            name="hiring_candidate_export",
        )
        return [*tools, export, *super().get_urls()]

    def _candidate(self, request: HttpRequest, object_id: str) -> Candidate:
        candidate: Candidate | None = self.get_object(request, object_id)
        if candidate is None:
            raise PermissionDenied  # not visible to this user (or no such candidate)
        return candidate

    def privacy_view(self, request: HttpRequest, object_id: str, tool: str) -> HttpResponse:
        title, explanation, permission = _TOOLS[tool]
        if not request.user.has_perm(permission):
            raise PermissionDenied
        candidate = self._candidate(request, object_id)
        change_url = reverse("admin:hiring_candidate_change", args=[candidate.pk])
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                done = self._apply(request, tool, candidate, form.cleaned_data["reason"])
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{title}: {candidate}",
            "tool": tool,
            "explanation": explanation,
            "candidate": candidate,
            "form": form,
            "asks_reason": tool != "notice",
            "change_url": change_url,
            "blocked": self._blocked(tool, candidate),
        }
        return TemplateResponse(request, "admin/hiring/candidate/privacy_confirm.html", context)

    @staticmethod
    def _blocked(tool: str, candidate: Candidate) -> str:
        """Why the tool cannot run for this person (shown instead of the button)."""
        if tool == "notice":
            return " ".join(services.notice_errors(candidate))
        if candidate.erased_at is not None:
            return f"This person was erased on {candidate.erased_at:%Y-%m-%d}; nothing is left."
        if tool == "objection" and candidate.objected_at is not None:
            return f"This person objected on {candidate.objected_at:%Y-%m-%d}."
        return ""

    def _apply(self, request: HttpRequest, tool: str, candidate: Candidate, reason: str) -> str:
        if tool == "notice":
            message = services.notice_send(candidate=candidate, by=request.user)
            return (
                f"The notice to {message.to_address} is queued; it is marked sent once the mail "
                "server takes it."
            )
        if tool == "objection":
            services.candidate_object(candidate=candidate, reason=reason, by=request.user)
            return f"Objection recorded for {candidate}: not contacted, not sourced again."
        erasure = services.candidate_erase(candidate=candidate, by=request.user, reason=reason)
        if erasure.already:
            return f"Candidate {erasure.candidate.pk} had already been erased."
        counts = ", ".join(f"{n} {what}" for what, n in sorted(erasure.counts.items()))
        return f"Erased candidate {erasure.candidate.pk}" + (f" ({counts})." if counts else ".")

    def export_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not request.user.has_perm("hiring.export_candidate"):
            raise PermissionDenied
        candidate = self._candidate(request, object_id)
        try:
            document = services.candidate_export(candidate=candidate)
        except services.ErasedError as exc:
            self.message_user(request, str(exc), messages.WARNING)
            return HttpResponseRedirect(
                reverse("admin:hiring_candidate_change", args=[candidate.pk])
            )
        response = HttpResponse(
            json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = (
            f'attachment; filename="candidate-{candidate.pk}-{stamp}.json"'
        )
        return response

    def _one(
        self, request: HttpRequest, queryset: QuerySet[Candidate], tool: str
    ) -> HttpResponse | None:
        chosen = list(queryset[:2])
        if len(chosen) != 1:
            self.message_user(request, "Select exactly one candidate.", messages.WARNING)
            return None
        return HttpResponseRedirect(reverse(f"admin:hiring_candidate_{tool}", args=[chosen[0].pk]))

    @admin.action(description="Erase the selected person (asks to confirm)")
    def erase_person(
        self, request: HttpRequest, queryset: QuerySet[Candidate]
    ) -> HttpResponse | None:
        return self._one(request, queryset, "erase")

    @admin.action(description="Export everything held about the selected person (JSON)")
    def export_person(
        self, request: HttpRequest, queryset: QuerySet[Candidate]
    ) -> HttpResponse | None:
        return self._one(request, queryset, "export")

    @admin.action(
        description="Send the Art. 14 notice to the selected people", permissions=["change"]
    )
    def send_notices(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        sent, refused = 0, []
        for candidate in queryset.order_by("pk"):
            try:
                services.notice_send(candidate=candidate, by=request.user)
                sent += 1
            except ValidationError as exc:
                refused.append(f"{candidate} (#{candidate.pk}): {' '.join(exc.messages)}")
        if sent:
            self.message_user(request, f"Queued {sent} notice(s).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)
