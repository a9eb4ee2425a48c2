"""The interviewer's daily path through the test client: the bar next to each rating, correcting a
submitted scorecard from the page, "my interviews" by time, the pair-debugging log, the verdict
saying how many sources confirmed a strength; and the scorecard API refusing fields it ignores."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from interviews.models import DebuggingTask, Scorecard, ScorecardAmendment
from interviews.services.debugging import (
    debugging_mark_found,
    debugging_session_finish,
    debugging_session_start,
)
from interviews.services.scorecards import RatingInput, scorecard_save_draft, scorecard_submit
from tests.interviews.factories import (
    InterviewFactory,
    application_for,
    hiring_manager,
    interviewer,
    seeded_kit,
)

pytestmark = pytest.mark.django_db


def form_data(kit: Any, rating: str = "3", **extra: str) -> dict[str, str]:
    data = {"action": "submit", "recommendation": "yes", "summary": ""}
    for competency in kit.focus_competencies.all():
        data[f"rating_{competency.slug}"] = rating
        data[f"evidence_{competency.slug}"] = f"Evidence for {competency.slug}."
    data.update(extra)
    return data


def submitted(interview: Any, person: Any, rating: int = 3) -> Scorecard:
    card = scorecard_save_draft(
        interview=interview,
        by=person,
        ratings=[
            RatingInput(c.slug, rating, f"Evidence for {c.slug}.")
            for c in interview.kit.focus_competencies.all()
        ],
        recommendation="yes",
    )
    return scorecard_submit(scorecard=card, by=person)


# --- the bar where the rating is given ----------------------------------------------------------


def test_each_rated_competency_shows_the_roles_minimum_and_strength(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    bars = {b["competency"]: b for b in interview.application.bar_version.bars}
    client.force_login(me)
    page = client.get(f"/interviewer/interviews/{interview.pk}/").content.decode()
    focus = list(interview.kit.focus_competencies.all())
    assert focus
    for competency in focus:
        bar = bars[competency.slug]
        start = page.index(f'id="bar-{competency.slug}"')
        line = page[start : page.index("</p>", start)]
        assert f"at least <strong>{bar['minimum_level']} — " in line
        if bar["strength_level"]:
            assert f"Strength to validate: expected <strong>{bar['strength_level']} — " in line
        else:
            assert "Strength to validate" not in line


def test_the_bar_shown_is_the_applications_own_version(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    competency = interview.kit.focus_competencies.first()
    role = interview.application.opening.role_profile
    # the profile's bar moves on after the application opened
    role.bars.filter(competency=competency).update(minimum_level=4, strength_level=None)
    frozen = next(
        b for b in interview.application.bar_version.bars if b["competency"] == competency.slug
    )
    client.force_login(me)
    page = client.get(f"/interviewer/interviews/{interview.pk}/").content.decode()
    start = page.index(f'id="bar-{competency.slug}"')
    assert f"at least <strong>{frozen['minimum_level']} — " in page[start : start + 200]


# --- after submitting ---------------------------------------------------------------------------


def test_the_first_to_submit_is_not_told_to_submit_first(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    client.force_login(me)
    client.post(f"/interviewer/interviews/{interview.pk}/", form_data(interview.kit))
    page = client.get(f"/interviewer/interviews/{interview.pk}/").content.decode()
    assert 'id="others-none"' in page
    assert "once you have submitted yours" not in page


def test_an_interviewer_corrects_a_submitted_scorecard_from_the_page(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    card = submitted(interview, me, rating=3)
    slug = interview.kit.focus_competencies.first().slug
    url = f"/interviewer/interviews/{interview.pk}/"
    client.force_login(me)

    # the page offers the correction form, prefilled with the submitted values
    page = client.get(url)
    assert page.context["amend_form"].initial[f"rating_{slug}"] == "3"
    assert "/api/v1/" not in page.content.decode()

    # when she lowers one rating and says why
    data = form_data(interview.kit, action="amend", reason="Re-read my notes: it was a 2.")
    data.pop("summary")
    data[f"rating_{slug}"] = "2"
    response = client.post(url, data)

    # then one amendment records just that change, and the page shows the corrected value
    assert response.status_code == 302
    amendment = ScorecardAmendment.objects.get(scorecard=card)
    assert set(amendment.changes["ratings"]) == {slug}
    assert amendment.changes["ratings"][slug]["after"]["rating"] == 2
    page = client.get(url).content.decode()
    assert "Correction recorded." in page
    assert "Re-read my notes: it was a 2." in page
    card.refresh_from_db()
    assert card.ratings.get(competency__slug=slug).rating == 3  # the submitted row is untouched


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": ""}, "Say why the scorecard is corrected."),
        ({"reason": "No change really."}, "Nothing to amend: the values are unchanged."),
        ({"reason": "Typo.", "rating_X": "4", "evidence_X": ""}, "Write the evidence"),
    ],
)
def test_a_bad_correction_is_refused_with_its_error_and_records_nothing(client, change, message):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    submitted(interview, me, rating=3)
    slug = interview.kit.focus_competencies.first().slug
    data = form_data(interview.kit, action="amend")
    data.update({key.replace("X", slug): value for key, value in change.items()})
    client.force_login(me)
    response = client.post(f"/interviewer/interviews/{interview.pk}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ScorecardAmendment.objects.count() == 0


# --- my interviews ------------------------------------------------------------------------------


def test_my_interviews_puts_upcoming_first_by_time_and_past_apart_with_the_interviewers(client):
    me = interviewer(username="me")
    olga = interviewer(username="olga", first_name="Olga", last_name="K")
    now = timezone.now()
    later = InterviewFactory(
        application=application_for(full_name="Later Person"),
        interviewers=[me],
        scheduled_at=now + timedelta(days=3),
    )
    soon = InterviewFactory(
        application=application_for(full_name="Soon Person"),
        interviewers=[me, olga],
        scheduled_at=now + timedelta(hours=2),
    )
    long_ago = InterviewFactory(
        application=application_for(full_name="Long Ago"),
        interviewers=[me],
        scheduled_at=now - timedelta(days=9),
    )
    yesterday = InterviewFactory(
        application=application_for(full_name="Yesterday Person"),
        interviewers=[me],
        scheduled_at=now - timedelta(days=1),
    )
    client.force_login(me)
    response = client.get("/interviewer/")
    assert [i for i, _ in response.context["upcoming"]] == [soon, later]
    assert [i for i, _ in response.context["past"]] == [yesterday, long_ago]
    page = response.content.decode()
    upcoming_table = page[page.index('id="upcoming"') : page.index('id="past-heading"')]
    assert "Soon Person" in upcoming_table
    assert "Long Ago" not in upcoming_table
    assert "you, Olga K" in upcoming_table


# --- pair debugging -----------------------------------------------------------------------------


def test_hints_stay_on_their_bug_row_and_session_notes_show_after_finishing(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me], kit=seeded_kit("ml-engineer", "pair-debugging"))
    task = DebuggingTask.objects.get(slug="regression-eval-shapes")
    url = f"/interviewer/interviews/{interview.pk}/"
    debug_url = f"{url}debugging/"
    client.force_login(me)
    client.post(debug_url, {"action": "start", "task": task.pk})
    bug = task.bugs.first()

    # when the interviewer gives a hint, the page comes back at that bug's row, hint in it
    response = client.post(debug_url, {"action": "hint", "bug": bug.pk})
    assert response["Location"].endswith(f"#bug-{bug.pk}")
    page = client.get(url).content.decode()
    row = page[page.index(f'id="bug-{bug.pk}"') :]
    row = row[: row.index("</tr>")]
    assert bug.hints[0] in row

    # when they mark it found with what the candidate said, and finish with notes
    client.post(debug_url, {"action": "found", "bug": bug.pk, "notes": "Spotted the reshape."})
    client.post(debug_url, {"action": "finish", "notes": "Calm, methodical, tested each guess."})

    # then the finished session still shows the notes
    page = client.get(url).content.decode()
    assert "Calm, methodical, tested each guess." in page
    assert "Spotted the reshape." in page


# --- the verdict --------------------------------------------------------------------------------


def test_the_verdict_says_when_one_debugging_session_alone_confirmed_a_strength(client):
    manager = hiring_manager()
    application = application_for("ml-engineer", manager=manager)
    strengths = {b["competency"]: b for b in application.bar_version.bars if b["strength_level"]}
    task = next(
        t
        for t in DebuggingTask.objects.prefetch_related("competencies")
        if any(c.slug in strengths for c in t.competencies.all())
    )
    strength = next(c for c in task.competencies.all() if c.slug in strengths)
    session = debugging_session_start(application=application, task=task, interviewer=manager)
    for bug in task.bugs.all():
        debugging_mark_found(session=session, bug_id=bug.pk)
    debugging_session_finish(session=session)

    client.force_login(manager)
    page = client.get(f"/interviewer/applications/{application.pk}/verdict/").content.decode()
    confirmed = page[page.index('class="strengths-confirmed"') :]
    confirmed = confirmed[: confirmed.index("</div>")]
    assert strength.name in confirmed
    assert "one source only" in confirmed
    assert "1 pair-debugging session" in confirmed

    api_body = client.get(f"/api/v1/applications/{application.pk}/verdict/").json()
    row = next(c for c in api_body["competencies"] if c["competency"] == strength.slug)
    assert row["source_count"] == 1


def test_the_verdict_counts_independent_sources_of_a_confirmed_strength(client):
    manager = hiring_manager()
    application = application_for("ml-engineer", manager=manager)
    strength_slugs = {b["competency"] for b in application.bar_version.bars if b["strength_level"]}
    rated = 0
    for stage in ("screen", "applied-ml-design", "past-project-deep-dive"):
        kit = seeded_kit("ml-engineer", stage)
        if any(c.slug in strength_slugs for c in kit.focus_competencies.all()):
            person = interviewer()
            interview = InterviewFactory(application=application, kit=kit, interviewers=[person])
            submitted(interview, person, rating=4)
            rated += 1
    assert rated >= 2
    client.force_login(manager)
    page = client.get(f"/interviewer/applications/{application.pk}/verdict/").content.decode()
    assert "independent sources (" in page
    assert " scorecards)" in page


# --- the scorecard API --------------------------------------------------------------------------


def test_put_with_submit_is_refused_naming_the_field_and_leaves_the_draft(api):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    card = scorecard_save_draft(interview=interview, by=me, ratings=[], recommendation="")
    ratings = [
        {"competency": c.slug, "rating": 3, "evidence": "seen"}
        for c in interview.kit.focus_competencies.all()
    ]
    response = api.as_user(me).put(
        f"/api/v1/scorecards/{card.pk}/",
        {"ratings": ratings, "recommendation": "yes", "submit": True},
        format="json",
    )
    assert response.status_code == 400
    assert "/submit/" in response.json()["submit"][0]
    card.refresh_from_db()
    assert card.status == "draft"
    assert card.ratings.count() == 0

    response = api.put(f"/api/v1/scorecards/{card.pk}/", {"ratingz": []}, format="json")
    assert response.status_code == 400
    assert response.json() == {"ratingz": ["Unknown field."]}


def test_the_candidates_take_home_page_does_not_lead_to_the_interviewer_sign_in(client):
    from interviews.services.takehomes import takehome_assign
    from tests.interviews.factories import seeded_template

    created = takehome_assign(
        application=application_for("ml-engineer"),
        template=seeded_template("ml-engineer"),
        due_at=timezone.now() + timedelta(days=3),
    )
    page = client.get(f"/take-home/{created.token}/").content.decode()
    assert created.assignment.template.title in page
    assert "/interviewer/" not in page
