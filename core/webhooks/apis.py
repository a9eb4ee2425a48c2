"""Webhooks API: manage endpoints (the secret is in the create and rotate responses only), ping
them, read their deliveries with every attempt, redeliver one."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import IdCursorPagination, NewestFirstCursorPagination
from core.requester import requester
from core.webhooks import selectors, services
from core.webhooks.models import WebhookDelivery, WebhookEndpoint
from core.webhooks.permissions import (
    ManagesWebhooks,
    access_delivery_by_id,
    access_endpoint_by_id,
)
from core.webhooks.serializers import (
    WebhookDeliveryOutput,
    WebhookEndpointInput,
    WebhookEndpointOutput,
    WebhookEndpointWithSecretOutput,
)

TAGS = ["webhooks"]
VIEW = "core.view_webhookendpoint"
CHANGE = "core.change_webhookendpoint"


@extend_schema_view(get=extend_schema(tags=TAGS, responses=WebhookEndpointOutput(many=True)))
class WebhookEndpointListCreateApi(ListAPIView[WebhookEndpoint]):
    permission_classes = [ManagesWebhooks]
    required_permissions = {"GET": VIEW, "POST": "core.add_webhookendpoint"}
    serializer_class = WebhookEndpointOutput
    pagination_class = IdCursorPagination
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return selectors.webhook_endpoints()

    @extend_schema(
        tags=TAGS,
        request=WebhookEndpointInput,
        responses={201: WebhookEndpointWithSecretOutput},
        description="Creates the endpoint and sends it a `webhook.ping`. The response holds "
        "the signing secret; it is never shown again.",
    )
    def post(self, request: Request) -> Response:
        serializer = WebhookEndpointInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.webhook_endpoint_create(
            **serializer.validated_data, by=requester(request)
        )
        endpoint = access_endpoint_by_id(endpoint.pk)
        return Response(
            WebhookEndpointWithSecretOutput(endpoint).data, status=status.HTTP_201_CREATED
        )


class WebhookEndpointDetailApi(APIView):
    permission_classes = [ManagesWebhooks]
    required_permissions = {
        "GET": VIEW,
        "PATCH": CHANGE,
        "DELETE": "core.delete_webhookendpoint",
    }

    @extend_schema(tags=TAGS, responses=WebhookEndpointOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(WebhookEndpointOutput(access_endpoint_by_id(pk)).data)

    @extend_schema(
        tags=TAGS, request=WebhookEndpointInput(partial=True), responses=WebhookEndpointOutput
    )
    def patch(self, request: Request, pk: int) -> Response:
        endpoint = access_endpoint_by_id(pk)
        serializer = WebhookEndpointInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.webhook_endpoint_update(endpoint=endpoint, **serializer.validated_data)
        return Response(WebhookEndpointOutput(access_endpoint_by_id(pk)).data)

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.webhook_endpoint_delete(endpoint=access_endpoint_by_id(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookEndpointRotateSecretApi(APIView):
    permission_classes = [ManagesWebhooks]
    required_permissions = {"POST": CHANGE}

    @extend_schema(
        tags=TAGS,
        request=None,
        responses=WebhookEndpointWithSecretOutput,
        description="A new secret signs from now on; the previous one keeps signing beside it "
        "(two signatures per delivery) until `previous_secret_valid_until`.",
    )
    def post(self, request: Request, pk: int) -> Response:
        endpoint = services.webhook_endpoint_rotate_secret(endpoint=access_endpoint_by_id(pk))
        return Response(WebhookEndpointWithSecretOutput(access_endpoint_by_id(endpoint.pk)).data)


class WebhookEndpointPingApi(APIView):
    permission_classes = [ManagesWebhooks]
    required_permissions = {"POST": CHANGE}

    @extend_schema(tags=TAGS, request=None, responses={201: WebhookDeliveryOutput})
    def post(self, request: Request, pk: int) -> Response:
        delivery = services.webhook_endpoint_ping(endpoint=access_endpoint_by_id(pk))
        return Response(
            WebhookDeliveryOutput(access_delivery_by_id(delivery.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(get=extend_schema(tags=TAGS, responses=WebhookDeliveryOutput(many=True)))
class WebhookEndpointDeliveriesApi(ListAPIView[WebhookDelivery]):
    """The endpoint's deliveries, newest first, each with every attempt."""

    permission_classes = [ManagesWebhooks]
    required_permissions = {"GET": "core.view_webhookdelivery"}
    serializer_class = WebhookDeliveryOutput
    pagination_class = NewestFirstCursorPagination
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        return selectors.webhook_deliveries_of(endpoint=access_endpoint_by_id(self.kwargs["pk"]))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A page size or cursor that is not one answers as on every list (a 400, an "Invalid
        # cursor" 404), whichever endpoint the path names.
        paginator = self.paginator
        assert isinstance(paginator, NewestFirstCursorPagination)
        paginator.get_page_size(request)
        paginator.decode_cursor(request)
        return super().list(request, *args, **kwargs)


class WebhookDeliveryDetailApi(APIView):
    permission_classes = [ManagesWebhooks]
    required_permissions = {"GET": "core.view_webhookdelivery"}

    @extend_schema(tags=TAGS, responses=WebhookDeliveryOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(WebhookDeliveryOutput(access_delivery_by_id(pk)).data)


class WebhookDeliveryRedeliverApi(APIView):
    permission_classes = [ManagesWebhooks]
    required_permissions = {"POST": "core.change_webhookdelivery"}

    @extend_schema(
        tags=TAGS,
        request=None,
        responses=WebhookDeliveryOutput,
        description="Send the delivery again (same `webhook-id`), with a full retry schedule.",
    )
    def post(self, request: Request, pk: int) -> Response:
        services.webhook_delivery_redeliver(delivery=access_delivery_by_id(pk))
        return Response(WebhookDeliveryOutput(access_delivery_by_id(pk)).data)
