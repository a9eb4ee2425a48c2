"""Managing endpoints through /api/v1/webhook-endpoints/: the secret once, a ping on creation
whose result the endpoint shows, rotation with two valid secrets, deliveries with their
attempts, redelivery; bad input is a 400 naming the field with nothing written; only those
with the webhook permissions (recruiters, admins) manage them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from core.events.models import Event
from core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.core.webhooks.receiver import Answer, Receiver
from tests.hiring.factories import TokenFactory, UserFactory, integration

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhook-endpoints/"


def _create(client: APIClient, capture, **body: object):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return client.post(URL, body, format="json")


def test_creating_an_endpoint_shows_the_secret_once_and_pings_it(
    receiver, recruiter_api, django_capture_on_commit_callbacks
):
    # when
    response = _create(
        recruiter_api,
        django_capture_on_commit_callbacks,
        url=receiver.url(),
        event_types=["candidate.created", "application.stage_changed"],
        description="ATS sync",
    )

    # then the secret is in this response, and the ping it got verifies with it
    assert response.status_code == 201, response.content
    body = response.json()
    secret = body["secret"]
    assert secret.startswith("whsec_")
    (ping,) = receiver.wait_for(1)
    payload = Webhook(secret).verify(ping.body, ping.headers)
    assert payload["type"] == "webhook.ping"
    assert payload["data"]["object"]["url"] == receiver.url()
    assert "secret" not in ping.body.decode()
    assert body["event_types"] == ["application.stage_changed", "candidate.created"]
    assert body["last_ping"]["delivery"] == WebhookDelivery.objects.get().pk

    # and never again
    detail = recruiter_api.get(f"{URL}{body['id']}/")
    listing = recruiter_api.get(URL)
    assert detail.status_code == 200
    assert "secret" not in detail.json()
    assert secret not in listing.content.decode()
    assert secret not in detail.content.decode()
    # the ping's result shows on the endpoint once it was sent
    assert detail.json()["last_ping"]["status"] == "delivered"
    assert detail.json()["last_ping"]["status_code"] == 200


def test_a_failed_ping_shows_on_the_endpoint(recruiter_api, django_capture_on_commit_callbacks):
    with Receiver(Answer(401, body=b"who are you")) as receiver:
        response = _create(recruiter_api, django_capture_on_commit_callbacks, url=receiver.url())

    assert response.status_code == 201
    detail = recruiter_api.get(f"{URL}{response.json()['id']}/")
    assert detail.json()["last_ping"] | {"sent_at": None} == {
        "delivery": WebhookDelivery.objects.get().pk,
        "status": "failed",
        "status_code": 401,
        "error": "HTTP 401",
        "sent_at": None,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.org/hook"}, "url"),
        ({"url": "file:///etc/passwd"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "http://169.254.169.254/latest/meta-data/"}, "url"),
        ({"url": "http://[fd00:ec2::254]/"}, "url"),
        ({"url": "http://user:pw@example.org/"}, "url"),
        ({"url": "https://example.org/", "event_types": ["candidate.exploded"]}, "event_types"),
        ({"url": "https://example.org/", "event_types": "candidate.created"}, "event_types"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    body, field, recruiter_api, django_capture_on_commit_callbacks
):
    response = _create(recruiter_api, django_capture_on_commit_callbacks, **body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert not WebhookEndpoint.objects.exists()
    assert not Event.objects.exists()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:8000/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
        ("http://[::1]/hook", "loopback"),
        ("http://10.1.2.3/hook", "private"),
        ("https://192.168.0.10/hook", "private"),
        ("http://172.16.5.4/hook", "private"),
        ("http://100.64.0.1/hook", "private"),
        ("http://169.254.10.10/hook", "link-local"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[::ffff:10.0.0.1]/hook", "private"),
        ("http://0.0.0.0/hook", "unspecified"),
    ],
)
def test_production_refuses_internal_targets(
    url, why, settings, recruiter_api, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    response = _create(recruiter_api, django_capture_on_commit_callbacks, url=url)

    assert response.status_code == 400, response.content
    assert why in response.json()["url"][0]
    assert not WebhookEndpoint.objects.exists()
    assert not Event.objects.exists()


def test_an_update_to_a_refused_url_is_a_400_and_changes_nothing(
    receiver, settings, recruiter_api, django_capture_on_commit_callbacks
):
    created = _create(recruiter_api, django_capture_on_commit_callbacks, url=receiver.url())
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    response = recruiter_api.patch(
        f"{URL}{created.json()['id']}/", {"url": "http://10.0.0.1/"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["url"]
    assert WebhookEndpoint.objects.get().url == receiver.url()


def test_rotating_the_secret_signs_with_both_until_the_old_one_expires(
    receiver, recruiter_api, django_capture_on_commit_callbacks
):
    # given an endpoint and its first secret
    created = _create(recruiter_api, django_capture_on_commit_callbacks, url=receiver.url())
    endpoint_id, old = created.json()["id"], created.json()["secret"]

    # when the secret is rotated and the endpoint pinged
    rotated = recruiter_api.post(f"{URL}{endpoint_id}/rotate-secret/")
    with django_capture_on_commit_callbacks(execute=True):
        pinged = recruiter_api.post(f"{URL}{endpoint_id}/ping/")

    # then the new secret is shown once, and both verify the ping (two signatures)
    assert rotated.status_code == 200
    assert pinged.status_code == 201, pinged.content
    new = rotated.json()["secret"]
    assert new != old
    assert new.startswith("whsec_")
    assert rotated.json()["previous_secret_valid_until"] is not None
    request = receiver.wait_for(2)[1]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(request.body, request.headers)["type"] == "webhook.ping"
    assert Webhook(new).verify(request.body, request.headers)["type"] == "webhook.ping"
    assert "secret" not in recruiter_api.get(f"{URL}{endpoint_id}/").json()

    # and once the old one expired, only the new one signs
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        previous_secret_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post(f"{URL}{endpoint_id}/ping/")
    later = receiver.wait_for(3)[2]
    assert len(later.headers["webhook-signature"].split(" ")) == 1
    Webhook(new).verify(later.body, later.headers)
    with pytest.raises(Exception, match="signature"):
        Webhook(old).verify(later.body, later.headers)


def test_deliveries_list_every_attempt_and_can_be_redelivered_with_the_same_id(
    fast_retries, recruiter_api, django_capture_on_commit_callbacks
):
    # given a ping that failed with a 4xx (so it was not retried)
    with Receiver(Answer(400, body=b"bad signature?"), Answer(200)) as receiver:
        created = _create(recruiter_api, django_capture_on_commit_callbacks, url=receiver.url())
        endpoint_id = created.json()["id"]
        deliveries = recruiter_api.get(f"{URL}{endpoint_id}/deliveries/").json()["results"]
        (failed,) = deliveries
        assert failed["status"] == "failed"
        assert failed["attempt_log"][0] | {"attempted_at": None, "duration_ms": 0} == {
            "number": 1,
            "url": receiver.url(),
            "attempted_at": None,
            "duration_ms": 0,
            "status_code": 400,
            "succeeded": False,
            "error": "HTTP 400",
            "response_excerpt": "bad signature?",
            "retry_at": None,
        }

        # when it is redelivered
        with django_capture_on_commit_callbacks(execute=True):
            response = recruiter_api.post(f"/api/v1/webhook-deliveries/{failed['id']}/redeliver/")

        # then the receiver got it again, with the same webhook-id
        first, second = receiver.wait_for(2)
    assert response.status_code == 200, response.content
    assert first.webhook_id == second.webhook_id == failed["webhook_id"]
    after = recruiter_api.get(f"/api/v1/webhook-deliveries/{failed['id']}/").json()
    assert after["status"] == "delivered"
    assert [a["status_code"] for a in after["attempt_log"]] == [400, 200]


def test_redelivering_to_a_disabled_endpoint_is_a_400(
    receiver, recruiter_api, django_capture_on_commit_callbacks
):
    created = _create(recruiter_api, django_capture_on_commit_callbacks, url=receiver.url())
    endpoint_id = created.json()["id"]
    off = recruiter_api.patch(f"{URL}{endpoint_id}/", {"is_active": False}, format="json")
    delivery = WebhookDelivery.objects.get()

    response = recruiter_api.post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/")

    assert off.status_code == 200
    assert off.json()["is_active"] is False
    assert response.status_code == 400
    assert list(response.json()) == ["endpoint"]
    assert WebhookAttempt.objects.count() == 1


def test_enabling_a_disabled_endpoint_forgets_why_it_was_disabled(
    receiver, recruiter_api, django_capture_on_commit_callbacks
):
    created = _create(recruiter_api, django_capture_on_commit_callbacks, url=receiver.url())
    endpoint_id = created.json()["id"]
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        is_active=False, disabled_reason="Disabled automatically", failing_since=timezone.now()
    )

    response = recruiter_api.patch(f"{URL}{endpoint_id}/", {"is_active": True}, format="json")

    assert response.status_code == 200
    assert (response.json()["disabled_reason"], response.json()["failing_since"]) == ("", None)


def test_deleting_an_endpoint_keeps_the_events(
    receiver, recruiter_api, django_capture_on_commit_callbacks
):
    created = _create(recruiter_api, django_capture_on_commit_callbacks, url=receiver.url())

    response = recruiter_api.delete(f"{URL}{created.json()['id']}/")

    assert response.status_code == 204
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert Event.objects.filter(type="webhook.ping").exists()


def _client(user: object) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


@pytest.mark.parametrize("who", ["integration", "plain"])
def test_managing_webhooks_needs_its_own_permission(who, receiver):
    # an ATS token may write candidates, but not choose where their data is sent
    user = integration() if who == "integration" else UserFactory()
    client = _client(user)

    listed = client.get(URL)
    created = client.post(URL, {"url": receiver.url()}, format="json")

    assert (listed.status_code, created.status_code) == (403, 403)
    assert not WebhookEndpoint.objects.exists()


def test_anonymous_requests_are_401(receiver):
    assert APIClient().get(URL).status_code == 401


def test_unknown_ids_are_404(recruiter_api):
    assert recruiter_api.get(f"{URL}999/").status_code == 404
    assert recruiter_api.post("/api/v1/webhook-deliveries/999/redeliver/").status_code == 404


def test_the_endpoint_list_costs_the_same_queries_for_one_or_many(
    receiver, recruiter_api, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(3):
        _create(recruiter_api, django_capture_on_commit_callbacks, url=receiver.url())
    recruiter_api.get(URL)  # credentials cached

    with django_assert_max_num_queries(3):
        response = recruiter_api.get(URL)

    assert len(response.json()["results"]) == 3
    assert all(e["last_ping"]["status"] == "delivered" for e in response.json()["results"])
