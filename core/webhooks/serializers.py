"""API shapes: small input and output serializers, no logic."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.events.types import EVENT_TYPES
from core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class WebhookEndpointInput(serializers.Serializer[Any]):
    url = serializers.URLField(max_length=2000)
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        help_text="Event types to receive (`*` or none: every type). Known types: "
        + ", ".join(f"`{t}`" for t in EVENT_TYPES)
        + ".",
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class PingOutput(serializers.Serializer[Any]):
    delivery = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    status_code = serializers.IntegerField(source="last_status_code", allow_null=True)
    error = serializers.CharField(source="last_error")
    sent_at = serializers.DateTimeField(source="event.created_at")


class WebhookEndpointOutput(serializers.ModelSerializer[WebhookEndpoint]):
    last_ping = serializers.SerializerMethodField(
        help_text="The newest webhook.ping delivery and how it went."
    )
    previous_secret_valid_until = serializers.SerializerMethodField(
        help_text="While a secret is rotated: until when the previous one still signs."
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "is_active",
            "disabled_at",
            "disabled_reason",
            "failing_since",
            "previous_secret_valid_until",
            "last_ping",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PingOutput(allow_null=True))
    def get_last_ping(self, endpoint: WebhookEndpoint) -> dict[str, Any] | None:
        pings = getattr(endpoint, "pings", None)
        if pings is None:  # not from the selector: one query
            pings = list(endpoint.deliveries.filter(event__type="webhook.ping").order_by("-id")[:1])
        return dict(PingOutput(pings[0]).data) if pings else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_previous_secret_valid_until(self, endpoint: WebhookEndpoint) -> str | None:
        if len(endpoint.signing_secrets()) == 1 or endpoint.previous_secret_expires_at is None:
            return None
        return serializers.DateTimeField().to_representation(endpoint.previous_secret_expires_at)


class WebhookEndpointWithSecretOutput(WebhookEndpointOutput):
    secret = serializers.CharField(
        help_text="The signing secret (`whsec_...`). Shown in this response only: store it now."
    )

    class Meta(WebhookEndpointOutput.Meta):
        fields = [*WebhookEndpointOutput.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookAttemptOutput(serializers.ModelSerializer[WebhookAttempt]):
    class Meta:
        model = WebhookAttempt
        fields = [
            "number",
            "url",
            "attempted_at",
            "duration_ms",
            "status_code",
            "succeeded",
            "error",
            "response_excerpt",
            "retry_at",
        ]
        read_only_fields = fields


class WebhookDeliveryOutput(serializers.ModelSerializer[WebhookDelivery]):
    webhook_id = serializers.CharField(source="event.uid", help_text="The `webhook-id` header.")
    event_type = serializers.CharField(source="event.type")
    attempt_log = WebhookAttemptOutput(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "webhook_id",
            "event_type",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "attempt_log",
        ]
        read_only_fields = fields


def ping_representation(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """A ``webhook.ping``'s object: the endpoint as its owner set it up, never its secret."""
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
    }
