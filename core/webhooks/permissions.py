"""Access to webhooks through the API, in one place: Django model permissions by method (the
Recruiters group holds them, see ``roles``), and ``access_<thing>_by_id`` so an unknown id is a
404 whatever the view."""

from __future__ import annotations

from django.http import Http404
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from core.webhooks import selectors
from core.webhooks.models import WebhookDelivery, WebhookEndpoint


class ManagesWebhooks(BasePermission):
    """The view's ``required_permissions[method]`` (a Django permission); signed in, always."""

    message = "Your account may not manage webhooks."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        required: dict[str, str] = getattr(view, "required_permissions", {})
        needed = required.get(request.method or "", required.get("*"))
        return needed is not None and user.has_perm(needed)


def access_endpoint_by_id(endpoint_id: int) -> WebhookEndpoint:
    try:
        return selectors.webhook_endpoints().get(pk=endpoint_id)
    except WebhookEndpoint.DoesNotExist as exc:
        raise Http404 from exc


def access_delivery_by_id(delivery_id: int) -> WebhookDelivery:
    try:
        return selectors.webhook_deliveries().get(pk=delivery_id)
    except WebhookDelivery.DoesNotExist as exc:
        raise Http404 from exc
