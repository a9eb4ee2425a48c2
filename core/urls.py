"""Routes of core's API (webhooks), mounted under ``/api/v1/`` by ``config.urls``."""

from django.urls import path

from core.webhooks.apis import (
    WebhookDeliveryDetailApi,
    WebhookDeliveryRedeliverApi,
    WebhookEndpointDeliveriesApi,
    WebhookEndpointDetailApi,
    WebhookEndpointListCreateApi,
    WebhookEndpointPingApi,
    WebhookEndpointRotateSecretApi,
)

urlpatterns = [
    path(
        "webhook-endpoints/",
        WebhookEndpointListCreateApi.as_view(),
        name="webhook-endpoint-list",
    ),
    path(
        "webhook-endpoints/<int:pk>/",
        WebhookEndpointDetailApi.as_view(),
        name="webhook-endpoint-detail",
    ),
    path(
        "webhook-endpoints/<int:pk>/rotate-secret/",
        WebhookEndpointRotateSecretApi.as_view(),
        name="webhook-endpoint-rotate-secret",
    ),
    path(
        "webhook-endpoints/<int:pk>/ping/",
        WebhookEndpointPingApi.as_view(),
        name="webhook-endpoint-ping",
    ),
    path(
        "webhook-endpoints/<int:pk>/deliveries/",
        WebhookEndpointDeliveriesApi.as_view(),
        name="webhook-endpoint-deliveries",
    ),
    path(
        "webhook-deliveries/<int:pk>/",
        WebhookDeliveryDetailApi.as_view(),
        name="webhook-delivery-detail",
    ),
    path(
        "webhook-deliveries/<int:pk>/redeliver/",
        WebhookDeliveryRedeliverApi.as_view(),
        name="webhook-delivery-redeliver",
    ),
]
