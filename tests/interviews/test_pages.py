"""The interviewer pages through Django's test client: sign-in, my interviews, the scorecard form
with its errors, visibility of the others' scorecards, and the verdict page."""

from __future__ import annotations

import pytest

from interviews.models import DebuggingSession, DebuggingTask, Interview, Scorecard
from interviews.services.scorecards import (
    RatingInput,
    scorecard_amend,
    scorecard_save_draft,
    scorecard_submit,
)
from tests.interviews.factories import (
    InterviewFactory,
    application_for,
    hiring_manager,
    interviewer,
    recruiter,
    seeded_kit,
)

pytestmark = pytest.mark.django_db


def form_data(kit, rating="3", action="submit", recommendation="yes"):
    data = {"action": action, "recommendation": recommendation, "summary": ""}
    for competency in kit.focus_competencies.all():
        data[f"rating_{competency.slug}"] = rating
        data[f"evidence_{competency.slug}"] = f"Evidence for {competency.slug}."
    return data


def test_pages_need_sign_in_and_sign_in_lands_on_my_interviews(client):
    response = client.get("/interviewer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/interviewer/login/")
    person = interviewer(username="ivy")
    response = client.post("/interviewer/login/", {"username": "ivy", "password": "wrong"})
    assert b"did not match" in response.content
    response = client.post("/interviewer/login/", {"username": "ivy", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert response["Location"] == "/interviewer/"
    assert client.get("/interviewer/").context["user"] == person


def test_my_interviews_lists_only_mine_with_kit_and_candidate(client):
    me = interviewer()
    mine = InterviewFactory(
        application=application_for(full_name="Katherine Johnson"), interviewers=[me]
    )
    # the interview's own length, whatever the kit suggests (a recruiter set or changed it)
    Interview.objects.filter(pk=mine.pk).update(duration_minutes=mine.kit.duration_minutes + 25)
    InterviewFactory(
        application=application_for(full_name="Someone Else"), interviewers=[interviewer()]
    )
    client.force_login(me)
    page = client.get("/interviewer/").content.decode()
    assert "Katherine Johnson" in page
    assert f"{mine.kit.title} · {mine.kit.duration_minutes + 25} min" in page
    assert "Someone Else" not in page


def test_interview_page_shows_the_kit_and_candidate_context(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me], duration_minutes=75)
    client.force_login(me)
    page = client.get(f"/interviewer/interviews/{interview.pk}/").content.decode()
    assert "UTC · 75 minutes" in page
    assert interview.kit.instructions.splitlines()[0][:40] in page
    assert interview.kit.questions.first().level_4[:40] in page
    assert interview.application.candidate.full_name in page
    assert "<fieldset" in page
    assert "<legend>" in page


def test_someone_elses_interview_is_404(client):
    interview = InterviewFactory(interviewers=[interviewer()])
    client.force_login(interviewer())
    assert client.get(f"/interviewer/interviews/{interview.pk}/").status_code == 404


def test_rating_without_evidence_shows_a_clear_error_next_to_the_field(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    client.force_login(me)
    data = form_data(interview.kit)
    slug = interview.kit.focus_competencies.first().slug
    data[f"evidence_{slug}"] = ""
    response = client.post(f"/interviewer/interviews/{interview.pk}/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the following" in page
    assert "Write the evidence for this rating" in page
    assert f'href="#id_evidence_{slug}"' in page
    # what was typed is kept
    assert "Evidence for" in page
    assert not Scorecard.objects.filter(status="submitted").exists()


def test_a_refused_submission_lists_every_error_at_once(client):
    """A rating without evidence, the other competencies unanswered, no recommendation: one
    answer names all of them, not the evidence first and the rest on the next try."""
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    client.force_login(me)
    first, *others = interview.kit.focus_competencies.all()
    data = {"action": "submit", "recommendation": "", "summary": ""}
    data[f"rating_{first.slug}"] = "3"

    response = client.post(f"/interviewer/interviews/{interview.pk}/", data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the evidence for this rating" in page
    assert "Choose an overall recommendation" in page
    assert others
    for competency in others:  # in the summary, linked to the field, and next to the field
        assert f'<a href="#id_rating_{competency.slug}_0">' in page
        assert f'id="id_rating_{competency.slug}_error"' in page
    assert not Scorecard.objects.exists()


def test_a_refused_draft_names_only_its_own_errors(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    client.force_login(me)
    slug = interview.kit.focus_competencies.first().slug

    response = client.post(
        f"/interviewer/interviews/{interview.pk}/",
        {"action": "draft", "recommendation": "", "summary": "", f"rating_{slug}": "3"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the evidence for this rating" in page
    assert "Choose an overall recommendation" not in page


def test_submitting_without_recommendation_keeps_the_draft_and_says_why(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    client.force_login(me)
    response = client.post(
        f"/interviewer/interviews/{interview.pk}/", form_data(interview.kit, recommendation="")
    )
    assert response.status_code == 400
    assert b"Choose an overall recommendation" in response.content
    assert Scorecard.objects.get().status == "draft"


def test_out_of_range_rating_posted_by_hand_is_refused(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    client.force_login(me)
    response = client.post(
        f"/interviewer/interviews/{interview.pk}/", form_data(interview.kit, rating="7")
    )
    assert response.status_code == 400
    assert not Scorecard.objects.exists()


def test_draft_submit_then_read_only_and_others_unlocked(client):
    application = application_for()
    me, other = interviewer(), interviewer(username="olga")
    mine = InterviewFactory(application=application, interviewers=[me])
    theirs = InterviewFactory(
        application=application,
        kit=seeded_kit("ml-engineer", "pair-debugging"),
        interviewers=[other],
    )
    client.force_login(other)
    client.post(f"/interviewer/interviews/{theirs.pk}/", form_data(theirs.kit, rating="2"))
    assert Scorecard.objects.get(interviewer=other).status == "submitted"

    client.force_login(me)
    url = f"/interviewer/interviews/{mine.pk}/"
    # draft first: others still hidden
    response = client.post(url, form_data(mine.kit, action="draft"))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Draft saved" in page
    assert "olga" not in page
    assert 'id="others-locked"' in page
    # submit: form gone, others visible
    client.post(url, form_data(mine.kit))
    page = client.get(url).content.decode()
    assert "It is no longer edited" in page
    assert "Record correction" in page
    assert "olga" in page
    assert "Evidence for software-engineering." in page
    # a hand-made post cannot change it
    client.post(url, form_data(mine.kit, rating="1"))
    assert {r.rating for r in Scorecard.objects.get(interviewer=me).ratings.all()} == {3}


def test_verdict_page_for_the_hiring_manager_not_for_interviewers(client):
    manager = hiring_manager()
    application = application_for(manager=manager)
    me = interviewer()
    interview = InterviewFactory(application=application, interviewers=[me])
    client.force_login(me)
    assert client.get(f"/interviewer/applications/{application.pk}/verdict/").status_code == 404
    assert (
        b"Verdict against the bars"
        not in client.get(f"/interviewer/interviews/{interview.pk}/").content
    )
    for user in (manager, recruiter()):
        client.force_login(user)
        assert (
            b"Verdict against the bars"
            in client.get(f"/interviewer/interviews/{interview.pk}/").content
        )
        page = client.get(f"/interviewer/applications/{application.pk}/verdict/")
        assert page.status_code == 200
        assert b"Not enough evidence on" in page.content


def test_my_interviews_query_count_is_constant(client, django_assert_max_num_queries):
    me = interviewer()
    InterviewFactory(interviewers=[me])
    client.force_login(me)
    client.get("/interviewer/")
    with django_assert_max_num_queries(15) as captured:
        client.get("/interviewer/")
    baseline = len(captured.captured_queries)
    for _ in range(4):
        InterviewFactory(interviewers=[me, interviewer()])
    with django_assert_max_num_queries(baseline):
        client.get("/interviewer/")


def test_evidence_without_a_rating_choice_is_asked_about_not_guessed(client):
    me = interviewer()
    interview = InterviewFactory(interviewers=[me])
    client.force_login(me)
    data = form_data(interview.kit, action="draft")
    slug = interview.kit.focus_competencies.first().slug
    del data[f"rating_{slug}"]
    response = client.post(f"/interviewer/interviews/{interview.pk}/", data)
    assert response.status_code == 400
    assert b"Choose a rating, or &quot;No evidence&quot;" in response.content
    assert not Scorecard.objects.exists()


def test_interviewer_records_a_pair_debugging_session_from_the_interview_page(client, api):
    manager = hiring_manager()
    me = interviewer()
    interview = InterviewFactory(
        application=application_for(manager=manager),
        kit=seeded_kit("ml-engineer", "pair-debugging"),
        interviewers=[me],
    )
    task = DebuggingTask.objects.get(slug="regression-eval-shapes")
    shapes, metric = task.bugs.all()
    client.force_login(me)
    url = f"/interviewer/interviews/{interview.pk}/debugging/"

    # recording before starting is refused; then the session starts on the chosen task
    client.post(url, {"action": "hint", "bug": shapes.pk})
    assert not DebuggingSession.objects.exists()
    client.post(url, {"action": "start", "task": task.pk})
    page = client.get(f"/interviewer/interviews/{interview.pk}/").content.decode()
    assert "Pair-debugging session" in page
    assert shapes.title in page

    # one hint (shown to the interviewer), then found; the second bug is never found
    response = client.post(url, {"action": "hint", "bug": shapes.pk}, follow=True)
    assert shapes.hints[0] in response.content.decode()
    client.post(url, {"action": "found", "bug": shapes.pk, "notes": "printed shapes"})
    client.post(url, {"action": "finish", "notes": "good process"})
    # after finishing nothing more is recorded
    client.post(url, {"action": "found", "bug": metric.pk})

    session = DebuggingSession.objects.get()
    body = api.as_user(manager).get(f"/api/v1/debugging-sessions/{session.pk}/").json()
    assert body["ended_at"]
    assert body["notes"] == "good process"
    assert [(f["found"], f["hints_used"]) for f in body["findings"]] == [(True, 1), (False, 0)]


def test_debugging_recording_is_for_the_interviewers_of_a_pair_debugging_interview(client):
    me = interviewer()
    screen = InterviewFactory(interviewers=[me])
    pairing = InterviewFactory(
        kit=seeded_kit("ml-engineer", "pair-debugging"), interviewers=[interviewer()]
    )
    client.force_login(me)
    assert (
        client.post(
            f"/interviewer/interviews/{screen.pk}/debugging/", {"action": "start"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/interviewer/interviews/{pairing.pk}/debugging/", {"action": "start"}
        ).status_code
        == 404
    )


def test_interview_page_shows_others_after_amendments_with_constant_queries(
    client, django_assert_max_num_queries
):
    application = application_for()
    me = interviewer()
    mine = InterviewFactory(application=application, interviewers=[me])
    client.force_login(me)
    client.post(f"/interviewer/interviews/{mine.pk}/", form_data(mine.kit))

    def another(rating: int) -> Scorecard:
        person = interviewer()
        interview = InterviewFactory(application=application, interviewers=[person])
        card = scorecard_save_draft(
            interview=interview,
            by=person,
            ratings=[
                RatingInput(c.slug, rating, "seen") for c in interview.kit.focus_competencies.all()
            ],
            recommendation="no",
        )
        return scorecard_submit(scorecard=card, by=person)

    first = another(2)
    scorecard_amend(
        scorecard=first, by=first.interviewer, reason="Second thoughts", recommendation="strong_yes"
    )
    url = f"/interviewer/interviews/{mine.pk}/"
    with django_assert_max_num_queries(40) as captured:
        page = client.get(url).content.decode()
    assert "Strong yes" in page
    assert "Second thoughts" in page
    assert mine.kit.focus_competencies.first().name in page
    baseline = len(captured.captured_queries)
    for rating in (1, 3, 4):
        another(rating)
    with django_assert_max_num_queries(baseline):
        client.get(url)
