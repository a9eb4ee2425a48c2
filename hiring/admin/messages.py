"""E-mail in the admin: the templates recruiters edit (checked, with their variables and a
preview), the message log (read-only, with a retry of failed messages through the service) and
the "Messages" inline on the candidate page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.admin import ReadOnlyModelAdmin
from hiring.admin.forms import add_service_errors
from hiring.models import Message, MessageTemplate
from hiring.services.message_templates import (
    TEMPLATE_FIELDS,
    VARIABLES,
    message_template_preview,
    message_template_update,
    template_errors,
)
from hiring.services.messages import message_retry


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = list(TEMPLATE_FIELDS)
        widgets = {
            "subject": forms.TextInput(attrs={"size": 100}),
            "body_text": forms.Textarea(attrs={"rows": 24, "cols": 100}),
            "body_html": forms.Textarea(attrs={"rows": 24, "cols": 100}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        texts = {name: cleaned.get(name) or "" for name in TEMPLATE_FIELDS}
        errors = template_errors(key=self.instance.key, fields=texts)
        if errors:
            add_service_errors(self, ValidationError(errors))
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """One row per key, made by the migration: recruiters change the wording, never the keys."""

    form = MessageTemplateForm
    list_display = ["__str__", "subject", "updated_at", "updated_by"]
    list_select_related = ["updated_by"]
    readonly_fields = ["key", "variables", "preview", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["key", "subject", "body_text", "body_html"]}),
        ("Variables this template may use", {"fields": ["variables"]}),
        ("Preview (saved text, with made-up values)", {"fields": ["preview"]}),
        ("Record", {"fields": ["updated_at", "updated_by"], "classes": ["collapse"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="variables")
    def variables(self, obj: MessageTemplate) -> str:
        rows = format_html_join(
            "",
            "<li><code>{{{{ {} }}}}</code>: {}</li>",
            ((v.name, v.help) for v in VARIABLES[obj.key]),
        )
        return format_html(
            "<ul>{}</ul><p>Django template syntax: <code>{{% if %}}</code>, "
            "<code>{{% for %}}</code> and filters such as <code>|date</code> work; other names "
            "are refused.</p>",
            rows,
        )

    @admin.display(description="preview")
    def preview(self, obj: MessageTemplate) -> str:
        fields = {name: getattr(obj, name) for name in TEMPLATE_FIELDS}
        try:
            rendered = message_template_preview(key=obj.key, fields=fields)
        except Exception as exc:  # a template saved before a check existed; show, not crash
            return f"Does not render: {exc}"
        html = (
            format_html(
                '<iframe sandbox="" srcdoc="{}" style="width:100%;height:28em;'
                'border:1px solid #ccc;background:#fff"></iframe>',
                rendered.body_html,
            )
            if rendered.body_html
            else ""
        )
        return format_html(
            "<p><strong>Subject:</strong> {}</p><pre style='white-space:pre-wrap'>{}</pre>{}",
            rendered.subject,
            rendered.body_text,
            html,
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] or "" for name in TEMPLATE_FIELDS}
        stored = MessageTemplate.objects.get(pk=obj.pk)
        message_template_update(template=stored, fields=fields, by=request.user)


@admin.register(Message)
class MessageAdmin(ReadOnlyModelAdmin):
    list_display = [
        "id",
        "candidate",
        "template_key",
        "recipient_kind",
        "to_address",
        "status",
        "attempts",
        "queued_at",
        "sent_at",
    ]
    list_filter = ["status", "template_key", "recipient_kind", "queued_at"]
    list_select_related = ["candidate"]
    search_fields = ["to_address", "candidate__full_name", "concerns", "subject"]
    date_hierarchy = "queued_at"
    actions = ["retry_failed"]
    fields = [
        "candidate",
        "template_key",
        "recipient_kind",
        "to_address",
        "concerns",
        "status",
        "attempts",
        "max_attempts",
        "last_error",
        "queued_at",
        "next_attempt_at",
        "sent_at",
        "created_by",
        "subject",
        "body_text",
        "body_html",
        "attachment_names",
    ]

    @admin.display(description="attachments")
    def attachment_names(self, obj: Message) -> str:
        return ", ".join(a["filename"] for a in obj.attachments) or "—"

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("hiring.view_message"))

    @admin.action(description="Retry the selected failed messages", permissions=["retry"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        retried = sum(
            message_retry(message=message, by=request.user)
            for message in queryset.filter(status=Message.Status.FAILED)
        )
        skipped = queryset.count() - retried
        text = f"{retried} message{'s' if retried != 1 else ''} queued again."
        if skipped:
            text += f" {skipped} not failed, left alone."
        self.message_user(request, text, messages.SUCCESS if retried else messages.WARNING)


_INLINE_COLUMNS: list[Any] = [
    "link",
    "template_key",
    "recipient_kind",
    "to_address",
    "status",
    "attempts",
    "queued_at",
    "sent_at",
]


class MessageInline(admin.TabularInline):
    """The candidate's e-mail log, newest first, read-only: messages are written by services."""

    model = Message
    fields = readonly_fields = _INLINE_COLUMNS
    extra = 0
    can_delete = False
    verbose_name_plural = "messages"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="message")
    def link(self, obj: Message) -> str:
        url = reverse("admin:hiring_message_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.subject or f"#{obj.pk}")
