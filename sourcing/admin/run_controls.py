"""Resume and Cancel on a run's own page. A failed run's error says "resume the run to
continue"; the changelist's bulk actions did that, but a recruiter reading the error on the run's
page found no way to do it there, and a Save button that saved nothing (every field is the
run's own record)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST


class RunControlsMixin(admin.ModelAdmin):
    """For a run model's admin: the page shows what can be done with the run now (resume a
    failed or cancelled one, cancel a queued or running one, where the admin defines how), and
    no Save button. Subclasses define ``resume`` and, if runs can be cancelled, ``cancel``;
    ``may_control`` says who may."""

    run_cancellable = False

    def resume(self, request: HttpRequest, run: Any) -> None:
        raise NotImplementedError

    def cancel(self, request: HttpRequest, run: Any) -> None:
        raise NotImplementedError

    def may_control(self, request: HttpRequest, run: Any) -> bool:
        return self.has_change_permission(request, run)

    def get_urls(self) -> list[URLPattern]:
        meta = self.model._meta
        control = path(
            "<path:object_id>/control/",
            self.admin_site.admin_view(require_POST(self.control_view)),
            name=f"{meta.app_label}_{meta.model_name}_control",
        )
        return [control, *super().get_urls()]

    def control_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        run = self.get_object(request, object_id)
        if run is None:
            raise Http404
        if not self.may_control(request, run):
            raise PermissionDenied
        action = request.POST.get("do")
        try:
            if action == "resume":
                self.resume(request, run)
                self.message_user(request, "Resumed: it continues from its checkpoint.")
            elif action == "cancel" and self.run_cancellable:
                self.cancel(request, run)
                self.message_user(request, "Cancelled: the worker stops at its next batch.")
            else:
                self.message_user(request, "Nothing was done.", messages.ERROR)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
            self.message_user(request, f"Nothing was done: {problem}", messages.ERROR)
        meta = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[run.pk])
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        run = self.get_object(request, object_id)
        controls: dict[str, bool] = {}
        if run is not None and self.may_control(request, run):
            controls = {
                "resume": run.status in run.RESUMABLE,
                "cancel": self.run_cancellable and run.status in run.ACTIVE,
            }
        meta = self.model._meta
        extra = {
            # The page refreshes itself while the run is queued or running.
            "run_is_active": run is not None and run.is_active,
            "run_controls": controls,
            "run_control_url": reverse(
                f"admin:{meta.app_label}_{meta.model_name}_control", args=[object_id]
            )
            if run is not None
            else "",
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})
