"""Admin smoke tests for every interviews ModelAdmin (changelist, search, add, change), the writes
that go through services, and pinned changelist query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from hiring.services import application_transition
from interviews.models import (
    DebuggingSession,
    DebuggingTask,
    Interview,
    InterviewKit,
    Scorecard,
    TakeHomeAssignment,
    TakeHomeGrade,
    TakeHomeTemplate,
)
from interviews.services.scorecards import RatingInput, scorecard_save_draft, scorecard_submit
from interviews.services.takehomes import takehome_assign
from tests.hiring.factories import integration
from tests.interviews.factories import (
    InterviewFactory,
    application_for,
    interviewer,
    seeded_kit,
    seeded_template,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """One of everything, so every change page has an object to show."""
    application = application_for()
    person = interviewer()
    interview = InterviewFactory(application=application, interviewers=[person])
    card = scorecard_save_draft(
        interview=interview,
        by=person,
        ratings=[RatingInput(c.slug, 3, "seen") for c in interview.kit.focus_competencies.all()],
        recommendation="yes",
    )
    scorecard_submit(scorecard=card, by=person)
    created = takehome_assign(
        application=application,
        template=seeded_template(),
        due_at=timezone.now() + timedelta(days=2),
        graders=[person],
    )
    TakeHomeAssignment.objects.filter(pk=created.assignment.pk).update(
        status="submitted", submitted_at=timezone.now()
    )
    grade = TakeHomeGrade.objects.create(assignment=created.assignment, grader=person)
    session = DebuggingSession.objects.create(
        application=application,
        task=DebuggingTask.objects.first(),
        interviewer=person,
        started_at=timezone.now(),
    )
    return {
        "interviewkit": InterviewKit.objects.first().pk,
        "interview": interview.pk,
        "scorecard": card.pk,
        "takehometemplate": TakeHomeTemplate.objects.first().pk,
        "takehomeassignment": created.assignment.pk,
        "takehomegrade": grade.pk,
        "debuggingtask": DebuggingTask.objects.first().pk,
        "debuggingsession": session.pk,
        "applicationverdict": application.pk,
        "application": application,
        "person": person,
    }


WRITABLE = [
    "interviewkit",
    "interview",
    "takehometemplate",
    "takehomeassignment",
    "debuggingtask",
    "debuggingsession",
]
READ_ONLY = ["scorecard", "takehomegrade", "applicationverdict"]


@pytest.mark.parametrize("model", WRITABLE + READ_ONLY)
def test_changelist_search_add_and_change_pages(admin_client, world, model):
    base = f"/admin/interviews/{model}/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(base, {"q": "ada"}).status_code == 200
    assert admin_client.get(f"{base}add/").status_code == (200 if model in WRITABLE else 403)
    change = admin_client.get(f"{base}{world[model]}/change/")
    assert change.status_code == 200


def test_verdict_page_in_the_admin_shows_the_verdict(admin_client, world):
    page = admin_client.get(
        f"/admin/interviews/applicationverdict/{world['application'].pk}/change/"
    )
    assert b"Not enough evidence on" in page.content
    # the Application admin shows the interviews inline with a link to the verdict
    page = admin_client.get(f"/admin/hiring/application/{world['application'].pk}/change/")
    assert page.status_code == 200
    assert b"Verdict against the bars" in page.content


def test_adding_an_assignment_sends_it_and_shows_the_link_once(admin_client, world):
    due = timezone.now() + timedelta(days=4)
    response = admin_client.post(
        "/admin/interviews/takehomeassignment/add/",
        {
            "application": world["application"].pk,
            "template": seeded_template().pk,
            "due_at_0": due.strftime("%Y-%m-%d"),
            "due_at_1": due.strftime("%H:%M:%S"),
            "blind": "on",
            "graders": [world["person"].pk],
        },
    )
    assert response.status_code == 302, response.content[:3000]
    assignment = TakeHomeAssignment.objects.order_by("-id").first()
    assert list(assignment.graders.all()) == [world["person"]]
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("/take-home/" in text for text in texts)


def test_adding_an_interview_with_another_roles_kit_is_refused(admin_client, world):
    when = timezone.now() + timedelta(days=1)
    response = admin_client.post(
        "/admin/interviews/interview/add/",
        {
            "application": world["application"].pk,
            "kit": seeded_kit("data-scientist", "screen").pk,
            "scheduled_at_0": when.strftime("%Y-%m-%d"),
            "scheduled_at_1": when.strftime("%H:%M:%S"),
            "interviewers": [world["person"].pk],
        },
    )
    assert response.status_code == 200
    assert b"another role profile" in response.content
    assert Interview.objects.count() == 1


def _interview_form(world, **more):
    when = timezone.now() + timedelta(days=1)
    return {
        "application": world["application"].pk,
        "kit": Interview.objects.get(pk=world["interview"]).kit_id,
        "scheduled_at_0": when.strftime("%Y-%m-%d"),
        "scheduled_at_1": when.strftime("%H:%M:%S"),
        "duration_minutes": 45,
        **more,
    }


def test_an_interview_added_with_nobody_named_goes_to_the_kits_default_interviewers(
    admin_client, world
):
    kit = Interview.objects.get(pk=world["interview"]).kit
    # a kit without default interviewers: the form says so (no interview, no server error)
    kit.default_interviewers.clear()
    response = admin_client.post("/admin/interviews/interview/add/", _interview_form(world))
    assert response.status_code == 200
    assert b"Assign at least one interviewer (the kit has no defaults)." in response.content
    assert Interview.objects.count() == 1

    # with defaults, leaving the field empty assigns them, as its help text says
    kit.default_interviewers.set([world["person"]])
    response = admin_client.post("/admin/interviews/interview/add/", _interview_form(world))
    assert response.status_code == 302
    added = Interview.objects.latest("pk")
    assert list(added.interviewers.all()) == [world["person"]]


def _choices(client, model_name, field_name, **params):
    """Every choice a form's search (the admin's autocomplete) offers, page after page."""
    found, page, more = [], 1, True
    while more:
        response = client.get(
            "/admin/autocomplete/",
            {
                "app_label": "interviews",
                "model_name": model_name,
                "field_name": field_name,
                "page": page,
                **params,
            },
        )
        assert response.status_code == 200
        body = response.json()
        found += [int(result["id"]) for result in body["results"]]
        more, page = body["pagination"]["more"], page + 1
    assert len(found) == len(set(found))
    return set(found)


def _kit_choices(client, **params):
    return _choices(client, "interview", "kit", **params)


def test_the_interview_forms_kit_choices_are_the_chosen_applications_roles(admin_client, world):
    application = world["application"]
    role_kits = set(
        InterviewKit.objects.filter(role_profile=application.opening.role_profile_id).values_list(
            "pk", flat=True
        )
    )
    assert role_kits
    assert role_kits < set(InterviewKit.objects.values_list("pk", flat=True))

    assert _kit_choices(admin_client, application=application.pk) == role_kits
    # searched within them, and every kit when no application is chosen (or a bad one is sent)
    screen = seeded_kit(application.opening.role_profile.slug, "screen")
    assert screen.pk in _kit_choices(admin_client, application=application.pk, term="Screen")
    assert _kit_choices(admin_client, application=application.pk, term="Screen") < role_kits
    every = set(InterviewKit.objects.values_list("pk", flat=True))
    assert _kit_choices(admin_client) == every
    assert _kit_choices(admin_client, application="x1") == every
    # an application that is not there leaves no kit to choose
    assert _kit_choices(admin_client, application=10**9) == set()


def test_starting_a_session_in_the_admin_creates_one_finding_per_seeded_bug(admin_client, world):
    task = DebuggingTask.objects.get(slug="imbalanced-metrics")
    now = timezone.now()
    response = admin_client.post(
        "/admin/interviews/debuggingsession/add/",
        {
            "application": world["application"].pk,
            "task": task.pk,
            "interviewer": world["person"].pk,
            "started_at_0": now.strftime("%Y-%m-%d"),
            "started_at_1": now.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    session = DebuggingSession.objects.get(task=task)
    assert session.findings.count() == task.bugs.count() == 2


def test_scorecard_admin_lists_submitted_only(admin_client, world):
    other = InterviewFactory(application=world["application"], interviewers=[interviewer()])
    draft = Scorecard.objects.create(interview=other, interviewer=other.interviewers.first())
    page = admin_client.get("/admin/interviews/scorecard/")
    assert f"/admin/interviews/scorecard/{world['scorecard']}/change/".encode() in page.content
    assert f"/admin/interviews/scorecard/{draft.pk}/change/".encode() not in page.content


@pytest.mark.parametrize(
    "model",
    [
        "interviewkit",
        "interview",
        "scorecard",
        "takehomeassignment",
        "debuggingsession",
        "applicationverdict",
    ],
)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, world, model, django_assert_max_num_queries
):
    url = f"/admin/interviews/{model}/"
    admin_client.get(url)
    with django_assert_max_num_queries(30) as captured:
        admin_client.get(url)
    baseline = len(captured.captured_queries)
    for _ in range(3):
        application = application_for()
        person = interviewer()
        interview = InterviewFactory(application=application, interviewers=[person])
        card = scorecard_save_draft(
            interview=interview,
            by=person,
            ratings=[RatingInput(c.slug, 2, "e") for c in interview.kit.focus_competencies.all()],
            recommendation="no",
        )
        scorecard_submit(scorecard=card, by=person)
        takehome_assign(
            application=application,
            template=seeded_template(),
            due_at=timezone.now() + timedelta(days=2),
            graders=[person],
        )
        DebuggingSession.objects.create(
            application=application,
            task=DebuggingTask.objects.first(),
            interviewer=person,
            started_at=timezone.now(),
        )
    with django_assert_max_num_queries(baseline):
        assert admin_client.get(url).status_code == 200


def test_the_takehome_forms_template_choices_fit_the_chosen_application(admin_client, world):
    application = world["application"]  # an ML engineer's
    fits = {seeded_template("ml-engineer").pk}
    roleless = TakeHomeTemplate.objects.create(title="Any role: a code review", brief="Review.")
    retired = TakeHomeTemplate.objects.create(
        title="Retired", brief="Old.", role_profile=application.opening.role_profile
    )
    retired.is_active = False
    retired.save()
    fits.add(roleless.pk)
    every = set(TakeHomeTemplate.objects.values_list("pk", flat=True))
    assert seeded_template("data-scientist").pk in every - fits

    def choices(**params):
        return _choices(admin_client, "takehomeassignment", "template", **params)

    assert choices(application=application.pk) == fits
    assert choices(application=application.pk, term="code review") == {roleless.pk}
    # no application chosen yet (or a bad one sent): every template, as before
    assert choices() == every
    assert choices(application="x1") == every
    assert choices(application=10**9) == set()


def test_scheduling_forms_offer_open_applications_only(admin_client, world):
    open_one = world["application"]
    closed = application_for("ml-researcher", full_name="Closed Case")
    application_transition(application=closed, to_stage="withdrawn", reason="took another offer")
    for model_name in ("interview", "takehomeassignment"):
        offered = _choices(admin_client, model_name, "application")
        assert open_one.pk in offered
        assert closed.pk not in offered
    # elsewhere the search finds closed applications too: a debugging session is recorded
    # after the fact
    assert closed.pk in _choices(admin_client, "debuggingsession", "application")


def test_the_takehome_form_offers_people_as_graders_and_takes_a_link_expiry(admin_client, world):
    bot = integration(username="ats-bot")
    page = admin_client.get("/admin/interviews/takehomeassignment/add/")
    graders = page.context["adminform"].form.fields["graders"]
    assert world["person"] in graders.queryset
    assert bot not in graders.queryset
    assert list(graders.queryset) == sorted(graders.queryset, key=lambda u: u.username)
    change = admin_client.get(
        f"/admin/interviews/takehomeassignment/{world['takehomeassignment']}/change/"
    )
    assert bot not in change.context["adminform"].form.fields["graders"].queryset

    due = timezone.now() + timedelta(days=4)
    expires = due + timedelta(days=1)
    form = {
        "application": world["application"].pk,
        "template": seeded_template().pk,
        "due_at_0": due.strftime("%Y-%m-%d"),
        "due_at_1": due.strftime("%H:%M:%S"),
        "link_expires_at_0": expires.strftime("%Y-%m-%d"),
        "link_expires_at_1": expires.strftime("%H:%M:%S"),
    }
    # an integration's account is not a choice
    response = admin_client.post(
        "/admin/interviews/takehomeassignment/add/", {**form, "graders": [bot.pk]}
    )
    assert response.status_code == 200
    assert "graders" in response.context["adminform"].form.errors
    response = admin_client.post("/admin/interviews/takehomeassignment/add/", form)
    assert response.status_code == 302
    assignment = TakeHomeAssignment.objects.order_by("-id").first()
    assert abs(assignment.link_expires_at - expires) < timedelta(seconds=1)


def test_interviewers_and_graders_are_offered_by_name_and_username(admin_client, world):
    named = interviewer(username="wwalker", first_name="Wanda", last_name="Walker")
    for url, field in [
        ("/admin/interviews/interview/add/", "interviews"),
        ("/admin/interviews/takehomeassignment/add/", "graders"),
    ]:
        page = admin_client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert f'<option value="{named.pk}">Wanda Walker (wwalker)</option>' in html, field
        # no name given: the username alone
        assert f'<option value="{world["person"].pk}">{world["person"].username}</option>' in html
    InterviewFactory(application=world["application"], interviewers=[named])
    listed = admin_client.get("/admin/interviews/interview/").content.decode()
    assert "Wanda Walker (wwalker)" in listed


def test_a_new_interview_shows_no_cancellation_or_history_and_an_existing_one_does(
    admin_client, world
):
    added = admin_client.get("/admin/interviews/interview/add/").content.decode()
    changed = admin_client.get(
        f"/admin/interviews/interview/{world['interview']}/change/"
    ).content.decode()

    for label in ("Cancel reason", "History (newest first)"):
        assert label not in added
        assert label in changed
