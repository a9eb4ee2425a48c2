"""Admin for webhooks: endpoints (the secret shown once, as a message, when created or rotated;
why an endpoint was disabled), and deliveries with their attempts, read-only but redeliverable.
Every write goes through ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyModelAdmin
from core.events.types import EVENT_TYPES
from core.webhooks import selectors, services
from core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        choices=[(name, name) for name in EVENT_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every type.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "event_types", "is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        url = cleaned.get("url")
        try:
            services.webhook_endpoint_check(
                url=url if url and url != self.instance.url else None,
                event_types=cleaned.get("event_types"),
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


def _show_secret(request: HttpRequest, endpoint: WebhookEndpoint, what: str) -> None:
    messages.warning(
        request,
        f"{what} signing secret of {endpoint.url}, shown this once, copy it now: {endpoint.secret}",
    )


@admin.action(description="Rotate the signing secret (the old one signs for a day more)")
def rotate_secret(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    for endpoint in queryset:
        rotated = services.webhook_endpoint_rotate_secret(endpoint=endpoint)
        _show_secret(request, rotated, "New")


@admin.action(description="Send a webhook.ping")
def send_ping(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    for endpoint in queryset:
        try:
            delivery = services.webhook_endpoint_ping(endpoint=endpoint)
        except ValidationError:
            messages.error(request, f"{endpoint.url} is disabled: not pinged.")
            continue
        delivery.refresh_from_db()
        messages.info(request, f"Ping to {endpoint.url}: {_outcome(delivery)}.")


def _outcome(delivery: WebhookDelivery) -> str:
    if delivery.last_status_code is not None or delivery.last_error:
        got = delivery.last_status_code or delivery.last_error
        return f"{delivery.status} ({got})"
    return delivery.status


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "description", "is_active", "state", "last_ping", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    actions = [rotate_secret, send_ping]
    readonly_fields = [
        "state",
        "last_ping",
        "deliveries_link",
        "failing_since",
        "previous_secret_expires_at",
        "created_by",
        "created_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookEndpoint]:
        return selectors.webhook_endpoints()

    @admin.display(description="state")
    def state(self, endpoint: WebhookEndpoint) -> str:
        if endpoint.is_active:
            if endpoint.failing_since is None:
                return "OK"
            return f"Every attempt has failed since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC."
        return endpoint.disabled_reason or "Disabled by hand."

    @admin.display(description="last ping")
    def last_ping(self, endpoint: WebhookEndpoint) -> str:
        pings = getattr(endpoint, "pings", None)
        if pings is None:
            pings = list(endpoint.deliveries.filter(event__type="webhook.ping").order_by("-id"))
        return _outcome(pings[0]) if pings else "—"

    @admin.display(description="deliveries")
    def deliveries_link(self, endpoint: WebhookEndpoint) -> str:
        if endpoint.pk is None:
            return "—"
        url = (
            reverse("admin:core_webhookdelivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
        )
        return format_html('<a href="{}">Deliveries and attempts</a>', url)

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            # The form has already set its values on ``obj``; the service compares with the
            # stored row (re-enabling forgets why it was disabled).
            services.webhook_endpoint_update(
                endpoint=WebhookEndpoint.objects.get(pk=obj.pk),
                url=data["url"],
                event_types=data["event_types"],
                description=data["description"],
                is_active=data["is_active"],
            )
            return
        created = services.webhook_endpoint_create(
            url=data["url"],
            event_types=data["event_types"],
            description=data["description"],
            is_active=data["is_active"],
            by=request.user,
        )
        # The admin goes on with the form's instance (its history entry, the redirect).
        obj.pk = created.pk
        obj.secret = created.secret
        obj._state.adding = False
        _show_secret(request, created, "The")


ATTEMPT_FIELDS = (
    "number",
    "attempted_at",
    "status_code",
    "succeeded",
    "duration_ms",
    "error",
    "response_excerpt",
    "retry_at",
)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ATTEMPT_FIELDS
    readonly_fields = ATTEMPT_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.action(
    description="Redeliver (same webhook-id, a full retry schedule)", permissions=["redeliver"]
)
def redeliver(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    for delivery in queryset:
        try:
            services.webhook_delivery_redeliver(delivery=delivery)
        except ValidationError as exc:
            messages.error(request, f"Delivery {delivery.pk}: {' '.join(exc.messages)}")
            continue
        delivery.refresh_from_db()
        messages.info(request, f"Delivery {delivery.pk} sent again: {_outcome(delivery)}.")


DELIVERY_FIELDS = (
    "event",
    "webhook_id",
    "endpoint",
    "status",
    "attempts",
    "next_attempt_at",
    "last_status_code",
    "last_error",
    "delivered_at",
    "created_at",
)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyModelAdmin):
    list_display = [
        "id",
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "endpoint"]
    list_select_related = ["event", "endpoint"]
    search_fields = ["event__uid", "event__type"]
    inlines = [WebhookAttemptInline]
    actions = [redeliver]
    fields = DELIVERY_FIELDS
    readonly_fields = DELIVERY_FIELDS

    @admin.display(description="event type", ordering="event__type")
    def event_type(self, delivery: WebhookDelivery) -> str:
        return delivery.event.type

    @admin.display(description="webhook-id")
    def webhook_id(self, delivery: WebhookDelivery) -> str:
        return delivery.event.uid

    def has_redeliver_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.change_webhookdelivery")
