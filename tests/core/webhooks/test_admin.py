"""The webhook admin: endpoints (the secret shown once when created or rotated, why one was
disabled, a ping on demand) and deliveries with their attempts, redeliverable."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from core.webhooks.models import WebhookDelivery, WebhookEndpoint
from core.webhooks.services import webhook_endpoint_create
from tests.core.webhooks.receiver import Answer, Receiver
from tests.hiring.factories import recruiter

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_adding_an_endpoint_shows_its_secret_once_and_pings_it(
    admin_client, receiver, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_webhookendpoint_add"),
            {
                "url": receiver.url(),
                "description": "ATS",
                "event_types": ["candidate.created"],
                "is_active": "on",
            },
            follow=True,
        )

    # then the secret is in a message, and it verifies the ping
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.event_types == ["candidate.created"]
    shown = [m for m in _messages(response) if endpoint.secret in m]
    assert len(shown) == 1
    (ping,) = receiver.wait_for(1)
    Webhook(endpoint.secret).verify(ping.body, ping.headers)
    # the change page does not show it again, but does show the ping went through
    page = admin_client.get(reverse("admin:core_webhookendpoint_change", args=[endpoint.pk]))
    assert endpoint.secret not in page.content.decode()
    assert "delivered (200)" in page.content.decode()


def test_the_admin_refuses_what_the_api_refuses(admin_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    response = admin_client.post(
        reverse("admin:core_webhookendpoint_add"),
        {"url": "http://169.254.169.254/", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "metadata" in str(response.context["adminform"].form.errors["url"])
    assert not WebhookEndpoint.objects.exists()


def test_rotate_and_ping_actions(admin_client, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        endpoint = webhook_endpoint_create(url=receiver.url())
    old = endpoint.secret
    changelist = reverse("admin:core_webhookendpoint_changelist")

    rotated = admin_client.post(
        changelist, {"action": "rotate_secret", "_selected_action": [endpoint.pk]}, follow=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        pinged = admin_client.post(
            changelist, {"action": "send_ping", "_selected_action": [endpoint.pk]}, follow=True
        )

    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert any(endpoint.secret in m for m in _messages(rotated))
    request = receiver.wait_for(2)[1]
    Webhook(old).verify(request.body, request.headers)
    Webhook(endpoint.secret).verify(request.body, request.headers)
    assert any("Ping to" in m for m in _messages(pinged))


def test_a_disabled_endpoint_says_why(admin_client, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        endpoint = webhook_endpoint_create(url=receiver.url())
    reason = "Disabled automatically on 2026-12-03 10:00 UTC: every delivery attempt failed"
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False, disabled_reason=reason)

    listing = admin_client.get(reverse("admin:core_webhookendpoint_changelist"))
    page = admin_client.get(reverse("admin:core_webhookendpoint_change", args=[endpoint.pk]))

    assert reason in listing.content.decode()
    assert reason in page.content.decode()


def test_editing_an_endpoint_changes_it_and_re_enabling_forgets_why_it_was_off(
    admin_client, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        endpoint = webhook_endpoint_create(url=receiver.url())
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, disabled_reason="Disabled automatically", failing_since=timezone.now()
    )

    response = admin_client.post(
        reverse("admin:core_webhookendpoint_change", args=[endpoint.pk]),
        {
            "url": receiver.url("/v2"),
            "description": "moved",
            "event_types": ["opening.updated"],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.description) == (receiver.url("/v2"), "moved")
    assert endpoint.event_types == ["opening.updated"]
    assert (endpoint.is_active, endpoint.disabled_reason, endpoint.failing_since) == (
        True,
        "",
        None,
    )


def test_a_delivery_shows_its_attempts_and_can_be_redelivered(
    admin_client, django_capture_on_commit_callbacks
):
    with Receiver(Answer(410, body=b"gone for now"), Answer(200)) as receiver:
        with django_capture_on_commit_callbacks(execute=True):
            webhook_endpoint_create(url=receiver.url())
        delivery = WebhookDelivery.objects.get()
        page = admin_client.get(reverse("admin:core_webhookdelivery_change", args=[delivery.pk]))
        assert "gone for now" in page.content.decode()
        assert delivery.event.uid in page.content.decode()

        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(
                reverse("admin:core_webhookdelivery_changelist"),
                {"action": "redeliver", "_selected_action": [delivery.pk]},
            )
        first, second = receiver.wait_for(2)

    assert first.webhook_id == second.webhook_id
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_a_recruiter_manages_webhooks_in_the_admin(client, receiver):
    user = recruiter(is_staff=True)
    client.force_login(user)

    assert client.get(reverse("admin:core_webhookendpoint_add")).status_code == 200
    assert client.get(reverse("admin:core_webhookdelivery_changelist")).status_code == 200


def test_the_changelists_cost_the_same_queries_for_one_or_many(
    admin_client, receiver, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            webhook_endpoint_create(url=receiver.url())
    endpoints = reverse("admin:core_webhookendpoint_changelist")
    deliveries = reverse("admin:core_webhookdelivery_changelist")
    admin_client.get(endpoints)

    with django_assert_max_num_queries(6):
        admin_client.get(endpoints)
    with django_assert_max_num_queries(6):
        admin_client.get(deliveries)
