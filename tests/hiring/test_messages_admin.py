"""The e-mail pages of the admin: templates are refused when they do not compile or use a name
their key does not offer (with a message saying which, and what is available), show their
variables and a preview; the message log is read-only, retries failed messages through the
service, and the candidate page lists the candidate's messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Message, MessageTemplate
from hiring.seed.message_templates import MESSAGE_TEMPLATES
from hiring.services.message_templates import template_errors
from tests.hiring.factories import CandidateEmailFactory

pytestmark = pytest.mark.django_db


def _change_url(key: str) -> str:
    return reverse(
        "admin:hiring_messagetemplate_change", args=[MessageTemplate.objects.get(key=key).pk]
    )


def _post(admin_client: Any, key: str, **fields: str) -> Any:
    template = MessageTemplate.objects.get(key=key)
    data = {
        "subject": template.subject,
        "body_text": template.body_text,
        "body_html": template.body_html,
        **fields,
    }
    return admin_client.post(_change_url(key), data)


def _message(candidate: Any = None, **kwargs: Any) -> Message:
    candidate = candidate or CandidateEmailFactory().candidate
    now = timezone.now()
    defaults: dict[str, Any] = {
        "template_key": "takehome_link",
        "recipient_kind": Message.RecipientKind.CANDIDATE,
        "to_address": "a@example.org",
        "subject": "Your take-home",
        "body_text": "Hello",
        "max_attempts": 5,
        "queued_at": now,
        "next_attempt_at": now,
    }
    return Message.objects.create(candidate=candidate, **{**defaults, **kwargs})


def test_the_migration_seeds_every_key_with_a_valid_template():
    keys = set(MessageTemplate.objects.values_list("key", flat=True))
    assert keys == set(MessageTemplate.Key.values)
    for seeded in MESSAGE_TEMPLATES:
        stored = MessageTemplate.objects.get(key=seeded["key"])
        fields = {
            "subject": stored.subject,
            "body_text": stored.body_text,
            "body_html": stored.body_html,
        }
        assert template_errors(key=stored.key, fields=fields) == {}, stored.key
        assert stored.body_text == seeded["body_text"]


def test_a_template_with_an_unknown_variable_is_refused_naming_it(admin_client):
    before = MessageTemplate.objects.get(key="takehome_link").body_text
    response = _post(
        admin_client, "takehome_link", body_text="Hello {{ candidate_name }}, salary {{ salary }}"
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Unknown variable for this template: salary." in errors["body_text"][0]
    assert "Available: candidate_name, controller_name" in errors["body_text"][0]
    assert MessageTemplate.objects.get(key="takehome_link").body_text == before


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("subject", "{% if %}", "does not compile"),
        ("body_html", "{% load i18n %}{% trans 'x' %}", "does not compile"),
        ("body_text", "{{ candidate_name|no_such_filter }}", "does not compile"),
        ("body_text", "{% include 'admin/base.html' %}", "{% include %} cannot be used"),
        ("body_text", "{% if link %}{% url 'admin:index' %}{% endif %}", "{% url %} cannot"),
        ("body_text", "{{ due_at|date:due_at }}", ""),
        ("body_text", "{{ link|default:api_token }}", "api_token"),
        ("body_text", "{% for s in sources %}{{ s.title }}{% endfor %}", "sources"),
        ("body_text", "{% with x=candidate_name %}{{ x }}{{ y }}{% endwith %}", "y"),
        ("subject", "  ", "needs a subject"),
    ],
)
def test_template_checks(field, text, expected):
    template = MessageTemplate.objects.get(key="takehome_link")
    fields = {"subject": template.subject, "body_text": template.body_text, field: text}
    errors = template_errors(key="takehome_link", fields=fields)
    if expected:
        assert expected in " ".join(errors[field])
    else:
        assert field not in errors


def test_loop_variables_and_filters_of_known_names_are_accepted():
    fields = {
        "subject": "Hello {{ candidate_name|upper }}",
        "body_text": (
            "{% for source in sources %}{{ forloop.counter }}. {{ source.title|truncatechars:20 }}"
            "{% empty %}none{% endfor %}{% if held %}{{ held|join:', ' }}{% endif %}"
        ),
        "body_html": "",
    }
    assert template_errors(key="privacy_notice", fields=fields) == {}


def test_an_include_cannot_reach_the_projects_templates(admin_client):
    response = _post(admin_client, "takehome_link", body_text="{% include 'admin/base.html' %}")
    assert response.status_code == 200
    assert (
        "{% include %} cannot be used" in response.context["adminform"].form.errors["body_text"][0]
    )


def test_a_valid_template_is_saved_and_the_page_shows_variables_and_preview(admin_client):
    response = _post(
        admin_client,
        "interview_invitation",
        subject="Let's talk, {{ candidate_name }}",
        body_text="See you {{ starts_at|date:'j F' }} for {{ duration_minutes }} minutes.",
        body_html="<p>Hi {{ candidate_name }}</p>",
    )
    assert response.status_code == 302
    template = MessageTemplate.objects.get(key="interview_invitation")
    assert template.subject == "Let's talk, {{ candidate_name }}"
    assert template.updated_by is not None
    page = admin_client.get(_change_url("interview_invitation")).content.decode()
    assert "stage_about" in page  # the variables list
    assert "Let&#x27;s talk, Ada Lovelace" in page  # the preview, with sample values
    assert "See you 9 March for 60 minutes." in page


def test_templates_cannot_be_added_or_deleted(admin_client):
    assert admin_client.get(reverse("admin:hiring_messagetemplate_add")).status_code == 403
    template = MessageTemplate.objects.first()
    assert template is not None
    url = reverse("admin:hiring_messagetemplate_delete", args=[template.pk])
    assert admin_client.get(url).status_code == 403


def test_the_message_log_lists_filters_and_is_read_only(admin_client):
    sent = _message(status=Message.Status.SENT, to_address="sent@example.org")
    _message(status=Message.Status.FAILED, to_address="failed@example.org", attempts=5)
    changelist = reverse("admin:hiring_message_changelist")
    page = admin_client.get(changelist + "?status__exact=failed").content.decode()
    assert "failed@example.org" in page
    assert "sent@example.org" not in page
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist + "?q=example.org").status_code == 200
    detail = admin_client.get(reverse("admin:hiring_message_change", args=[sent.pk]))
    assert detail.status_code == 200
    assert b'name="subject"' not in detail.content
    assert admin_client.get(reverse("admin:hiring_message_add")).status_code == 403


def test_retry_failed_queues_failed_messages_again_through_the_service(
    admin_client, django_capture_on_commit_callbacks
):
    failed = _message(status=Message.Status.FAILED, attempts=5, last_error="550 no")
    sent = _message(status=Message.Status.SENT, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:hiring_message_changelist"),
            {"action": "retry_failed", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert "1 message queued again. 1 not failed, left alone." in response.content.decode()
    failed.refresh_from_db()
    # the test settings' backend (memory) accepted it
    assert failed.status == Message.Status.SENT
    assert failed.attempts == 6
    sent.refresh_from_db()
    assert sent.attempts == 1


def test_the_candidate_page_lists_the_candidates_messages(admin_client):
    message = _message(subject="Your take-home for ML Engineer")
    other = _message(subject="Someone else's")
    url = reverse("admin:hiring_candidate_change", args=[message.candidate_id])
    page = admin_client.get(url).content.decode()
    assert "Your take-home for ML Engineer" in page
    assert reverse("admin:hiring_message_change", args=[message.pk]) in page
    assert other.subject not in page
