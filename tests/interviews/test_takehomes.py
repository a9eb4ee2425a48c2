"""Take-homes: sending (API), the candidate's tokenised link (late, expired, limits), and blind
grading by several graders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from interviews.models import TakeHomeAssignment
from interviews.services.takehomes import takehome_assign, takehome_expire_overdue, token_hash
from tests.interviews.factories import (
    application_for,
    hiring_manager,
    interviewer,
    recruiter,
    seeded_template,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/takehome-assignments/"


def send(application, graders=(), due_in=timedelta(days=3), **kwargs):
    return takehome_assign(
        application=application,
        template=seeded_template(),
        due_at=timezone.now() + due_in,
        graders=graders,
        **kwargs,
    )


def test_recruiter_sends_a_take_home_and_gets_the_link_once(api):
    application = application_for()
    grader = interviewer()
    due = (timezone.now() + timedelta(days=3)).isoformat()
    response = api.as_user(recruiter()).post(
        URL,
        {
            "application": application.pk,
            "template": seeded_template().pk,
            "due_at": due,
            "graders": [grader.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    token = body["link"].rstrip("/").rsplit("/", 1)[-1]
    stored = TakeHomeAssignment.objects.get()
    assert stored.token_hash == token_hash(token)
    assert token not in stored.token_hash
    assert body["assignment"]["status"] == "sent"
    assert body["assignment"]["submission_code"].startswith("TH-")
    # the status endpoint never repeats the link
    detail = api.get(f"{URL}{stored.pk}/").json()
    assert "link" not in detail
    assert detail["status"] == "sent"


def test_hiring_managers_and_graders_cannot_send(api):
    manager = hiring_manager()
    application = application_for(manager=manager)
    body = {
        "application": application.pk,
        "template": seeded_template().pk,
        "due_at": (timezone.now() + timedelta(days=1)).isoformat(),
    }
    assert api.as_user(manager).post(URL, body, format="json").status_code == 403
    assert api.as_user(interviewer()).post(URL, body, format="json").status_code == 403


def test_due_date_in_the_past_is_a_field_error(api):
    body = {
        "application": application_for().pk,
        "template": seeded_template().pk,
        "due_at": (timezone.now() - timedelta(hours=1)).isoformat(),
    }
    response = api.as_user(recruiter()).post(URL, body, format="json")
    assert response.status_code == 400
    assert "due_at" in response.json()


def test_graders_cannot_read_assignments_through_the_api(api):
    grader = interviewer()
    created = send(application_for(), graders=[grader])
    assert api.as_user(grader).get(f"{URL}{created.assignment.pk}/").status_code == 404
    assert api.get(URL).json()["results"] == []


def test_candidate_submits_an_upload_on_time():
    created = send(application_for())
    client = Client()
    link = f"/take-home/{created.token}/"
    page = client.get(link)
    assert page.status_code == 200
    assert b"Churn prediction" in page.content
    upload = SimpleUploadedFile(
        "ada-lovelace-solution.zip", b"PK\x03\x04 data", content_type="application/zip"
    )
    response = client.post(link, {"submission_file": upload})
    assert response.status_code == 200
    assert b"we have your submission" in response.content
    assignment = TakeHomeAssignment.objects.get()
    assert assignment.status == "submitted"
    # stored under the anonymous code, not the candidate's file name
    assert "ada" not in assignment.submission_file.name
    assert assignment.submission_file.name.endswith(f"{assignment.submission_code}.zip")
    # a second submission is not possible
    again = client.post(link, {"repository_url": "https://example.org/repo"})
    assert b"we have your submission" in again.content
    assignment.refresh_from_db()
    assert assignment.repository_url == ""


def test_links_in_the_brief_and_starter_material_can_be_followed():
    template = seeded_template()
    template.starter_material = "The data: https://files.example.org/churn-data.zip (200 MB)."
    template.save()
    grader = interviewer()
    created = send(application_for(), graders=[grader])
    link = (
        b'<a href="https://files.example.org/churn-data.zip" rel="nofollow">'
        b"https://files.example.org/churn-data.zip</a> (200 MB)"
    )
    assert link in Client().get(f"/take-home/{created.token}/").content
    # and graders read what the candidate was given
    client = Client()
    client.force_login(grader)
    page = client.get(f"/interviewer/take-homes/{created.assignment.pk}/")
    assert b"What the candidate was given" in page.content
    assert link in page.content


def test_submission_after_the_due_time_is_marked_late():
    created = send(application_for(), due_in=timedelta(days=1))
    TakeHomeAssignment.objects.filter(pk=created.assignment.pk).update(
        due_at=timezone.now() - timedelta(hours=1), sent_at=timezone.now() - timedelta(days=3)
    )
    client = Client()
    page = client.get(f"/take-home/{created.token}/")
    assert b"marked late" in page.content
    client.post(f"/take-home/{created.token}/", {"repository_url": "https://git.example.org/th"})
    assert TakeHomeAssignment.objects.get().status == "late"


def test_expired_link_is_refused_with_a_clear_page():
    created = send(application_for())
    TakeHomeAssignment.objects.filter(pk=created.assignment.pk).update(
        sent_at=timezone.now() - timedelta(days=10),
        due_at=timezone.now() - timedelta(days=5),
        link_expires_at=timezone.now() - timedelta(days=3),
    )
    client = Client()
    page = client.get(f"/take-home/{created.token}/")
    assert page.status_code == 410
    assert b"This link has expired" in page.content
    response = client.post(
        f"/take-home/{created.token}/", {"repository_url": "https://git.example.org/x"}
    )
    assert response.status_code == 410
    assert TakeHomeAssignment.objects.get().status == "expired"


def test_unknown_token_is_404():
    assert Client().get("/take-home/not-a-token/").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, b"Upload your work or give the link"),
        ({"repository_url": "http://insecure.example.org/x"}, b"https://"),
        ({"submission_file": SimpleUploadedFile("work.exe", b"MZ")}, b"file types"),
    ],
)
def test_bad_submissions_are_field_errors(data, message):
    created = send(application_for())
    response = Client().post(f"/take-home/{created.token}/", data)
    assert response.status_code == 400
    assert message in response.content
    assert TakeHomeAssignment.objects.get().status == "sent"


def test_upload_size_limit(settings):
    settings.INTERVIEWS_TAKEHOME_MAX_UPLOAD_BYTES = 10
    created = send(application_for())
    upload = SimpleUploadedFile("work.zip", b"x" * 11)
    response = Client().post(f"/take-home/{created.token}/", {"submission_file": upload})
    assert response.status_code == 400
    assert b"larger than" in response.content


def test_expiry_job_is_idempotent():
    created = send(application_for())
    TakeHomeAssignment.objects.filter(pk=created.assignment.pk).update(
        sent_at=timezone.now() - timedelta(days=10),
        due_at=timezone.now() - timedelta(days=5),
        link_expires_at=timezone.now() - timedelta(days=3),
    )
    assert takehome_expire_overdue() == 1
    assert takehome_expire_overdue() == 0


# --- blind grading ------------------------------------------------------------------------------


def submitted_assignment(graders, **candidate):
    application = application_for(**candidate)
    created = send(application, graders=graders)
    Client().post(
        f"/take-home/{created.token}/", {"repository_url": "https://git.example.org/anon-42"}
    )
    return application, TakeHomeAssignment.objects.get(pk=created.assignment.pk)


def grade_data(assignment, score, action):
    data = {"action": action, "notes": "Solid."}
    for criterion in assignment.template.criteria.all():
        data[f"score_{criterion.pk}"] = str(score)
        data[f"comment_{criterion.pk}"] = "ok"
    return data


def test_grader_sees_only_the_code_until_their_grade_is_submitted(client):
    # given a candidate with identifying details
    first, second = interviewer(), interviewer()
    application, assignment = submitted_assignment(
        [first, second],
        full_name="Grace Hopper",
        email="grace@navy.example",
        github_login="ghopper",
    )
    candidate = application.candidate
    client.force_login(first)
    url = f"/interviewer/take-homes/{assignment.pk}/"

    # when the grader opens the grading page (and their list)
    page = client.get(url).content.decode()
    home = client.get("/interviewer/").content.decode()

    # then they see the code and the work, never the name, e-mail or links
    assert assignment.submission_code in page
    assert assignment.submission_code in home
    for secret in (
        candidate.full_name,
        "grace@navy.example",
        "ghopper",
        candidate.homepage,
        application.opening.title,
    ):
        assert secret not in page
        assert secret not in home
    # and the hiring API does not let them look the application or candidate up
    assert client.get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert client.get(f"/api/v1/candidates/{candidate.pk}/").status_code == 404
    assert client.get(f"/api/v1/applications/{application.pk}/verdict/").status_code == 404

    # when a draft is saved the identity stays hidden
    client.post(url, grade_data(assignment, 3, "draft"))
    assert candidate.full_name not in client.get(url).content.decode()

    # when they submit their grade the candidate is revealed to them
    response = client.post(url, grade_data(assignment, 3, "submit"))
    assert response.status_code == 302
    assert candidate.full_name in client.get(url).content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "submitted"  # the second grader has not graded yet

    # when the second grader submits, the assignment is graded
    client.force_login(second)
    assert candidate.full_name not in client.get(url).content.decode()
    client.post(url, grade_data(assignment, 2, "submit"))
    assignment.refresh_from_db()
    assert assignment.status == "graded"


def test_incomplete_or_invalid_grade_shows_field_errors(client):
    grader = interviewer()
    _, assignment = submitted_assignment([grader])
    client.force_login(grader)
    url = f"/interviewer/take-homes/{assignment.pk}/"
    data = grade_data(assignment, 3, "submit")
    first = assignment.template.criteria.first()
    del data[f"score_{first.pk}"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert b"Score this criterion before submitting" in response.content
    data[f"score_{first.pk}"] = "7"
    assert client.post(url, data).status_code == 400


def test_non_graders_cannot_open_the_grading_page_or_file(client):
    grader = interviewer()
    _, assignment = submitted_assignment([grader])
    client.force_login(interviewer())
    assert client.get(f"/interviewer/take-homes/{assignment.pk}/").status_code == 404
    assert client.get(f"/interviewer/take-homes/{assignment.pk}/file/").status_code == 404


def test_grader_downloads_the_file_under_the_anonymous_code(client):
    grader = interviewer()
    created = send(application_for(), graders=[grader])
    Client().post(
        f"/take-home/{created.token}/",
        {"submission_file": SimpleUploadedFile("ada_lovelace.ipynb", b"{}")},
    )
    client.force_login(grader)
    response = client.get(f"/interviewer/take-homes/{created.assignment.pk}/file/")
    assert response.status_code == 200
    assert created.assignment.submission_code in response["Content-Disposition"]
    assert "ada" not in response["Content-Disposition"]


def test_assignment_list_query_count_is_constant(api, django_assert_max_num_queries):
    user = recruiter()
    grader = interviewer()
    for _ in range(2):
        send(application_for(), graders=[grader])
    api.as_user(user)
    with django_assert_max_num_queries(6) as captured:
        assert len(api.get(URL).json()["results"]) == 2
    baseline = len(captured.captured_queries)
    for _ in range(3):
        send(application_for(), graders=[grader, interviewer()])
    with django_assert_max_num_queries(baseline):
        assert len(api.get(URL).json()["results"]) == 5


def test_sending_and_submitting_are_recorded_without_the_link():
    from core.events.models import Event

    created = send(application_for())
    Client().post(
        f"/take-home/{created.token}/", {"repository_url": "https://example.org/solution"}
    )

    events = list(Event.objects.filter(object_type="takehome").order_by("sequence"))
    assert [(e.type, e.sequence) for e in events] == [
        ("takehome.assigned", 1),
        ("takehome.submitted", 2),
    ]
    assert events[1].changes == {"status": ["sent", "submitted"]}
    assert events[1].channel == "web"
    # the candidate's one-time link never reaches the trail or a webhook
    assert all(created.token not in str(e.data) + str(e.changes) for e in events)
