"""Admin pages through ``admin_client``: every page renders, progress shows, actions work."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.models import Candidate
from sourcing.models import PersonChange, SourcingRun
from tests.hiring.factories import (
    CandidateFactory,
    OpeningFactory,
    RoleProfileFactory,
    UserFactory,
)
from tests.sourcing.factories import (
    AuthorshipFactory,
    PaperFactory,
    PersonFactory,
    ProspectFactory,
    SourcingRunFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        ("sourcingrun", SourcingRunFactory),
        ("paper", PaperFactory),
        ("person", PersonFactory),
        ("authorship", AuthorshipFactory),
        ("prospect", ProspectFactory),
    ],
)
def test_changelist_search_and_change_pages_render(admin_client, model, factory):
    obj = factory()
    changelist = reverse(f"admin:sourcing_{model}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "x"}).status_code == 200
    change = reverse(f"admin:sourcing_{model}_change", args=[obj.pk])
    assert admin_client.get(change).status_code == 200


def test_run_progress_is_a_live_bar(admin_client):
    SourcingRunFactory(status=SourcingRun.Status.RUNNING, processed=30, total=120)
    page = admin_client.get(reverse("admin:sourcing_sourcingrun_changelist")).content.decode()
    assert '<progress value="30" max="120"' in page
    assert "25%" in page
    assert 'http-equiv="refresh"' in page  # refreshes itself while a run is active


def test_run_changelist_query_count_is_constant(admin_client, django_assert_num_queries):
    url = reverse("admin:sourcing_sourcingrun_changelist")
    SourcingRunFactory.create_batch(2, role_profile=RoleProfileFactory())
    admin_client.get(url)
    with django_assert_num_queries(6) as first:
        admin_client.get(url)
    SourcingRunFactory.create_batch(5, role_profile=RoleProfileFactory())
    with django_assert_num_queries(len(first.captured_queries)):
        admin_client.get(url)


def test_source_from_arxiv_action_on_role_profiles_and_openings(
    admin_client, django_capture_on_commit_callbacks
):
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])
    opening = OpeningFactory(role_profile=role)
    with django_capture_on_commit_callbacks() as delivered:
        admin_client.post(
            reverse("admin:hiring_roleprofile_changelist"),
            {"action": "source_from_arxiv", "_selected_action": [role.pk]},
        )
        admin_client.post(
            reverse("admin:hiring_opening_changelist"),
            {"action": "source_from_arxiv", "_selected_action": [opening.pk]},
        )
        # the same action again while the role's run is queued starts nothing new
        again = admin_client.post(
            reverse("admin:hiring_roleprofile_changelist"),
            {"action": "source_from_arxiv", "_selected_action": [role.pk]},
            follow=True,
        )
    runs = SourcingRun.objects.order_by("pk")
    assert [(r.role_profile, r.opening) for r in runs] == [(role, None), (role, opening)]
    assert len(delivered) == 2
    url = reverse("admin:sourcing_sourcingrun_change", args=[runs[0].pk])
    assert f'Already running, not restarted: <a href="{url}">run {runs[0].pk}</a>' in (
        again.content.decode()
    )


def test_candidate_page_shows_arxiv_evidence_inline(admin_client):
    candidate = CandidateFactory(source=Candidate.Source.ARXIV)
    person = PersonFactory(candidate=candidate)
    AuthorshipFactory(person=person, affiliation="Analytical Engines Ltd")
    ProspectFactory(person=person)
    page = admin_client.get(reverse("admin:hiring_candidate_change", args=[candidate.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "arxiv evidence" in text.lower()
    assert "Analytical Engines Ltd" in text
    assert "author 1" in text
    assert "why" in text
    # evidence comes from sourcing runs: nothing to add by hand
    assert "Add another arXiv evidence" not in text


def test_a_person_page_reads_as_names_not_json(admin_client):
    person = PersonFactory(
        name_forms=[
            {"name": "Ada Lovelace", "initials": ["a"]},
            {"name": "A. Lovelace", "initials": ["a"]},
        ],
        category_groups=["cs", "stat"],
        affiliations=["Analytical Engines Ltd", "Royal Society"],
    )

    page = admin_client.get(reverse("admin:sourcing_person_change", args=[person.pk]))

    text = page.content.decode()
    assert "Ada Lovelace, A. Lovelace" in text
    assert "cs, stat" in text
    assert "Analytical Engines Ltd; Royal Society" in text
    assert "&quot;initials&quot;" not in text
    assert "[&quot;" not in text


def test_a_prospect_is_viewed_not_edited(admin_client):
    prospect = ProspectFactory()

    page = admin_client.get(reverse("admin:sourcing_prospect_change", args=[prospect.pk]))
    posted = admin_client.post(
        reverse("admin:sourcing_prospect_change", args=[prospect.pk]), {"score": "9"}
    )

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403


def test_merge_then_undo_from_the_admin(admin_client):
    a, b = PersonFactory(), PersonFactory()
    AuthorshipFactory(person=a)
    moved = AuthorshipFactory(person=b)
    admin_client.post(
        reverse("admin:sourcing_person_changelist"),
        {"action": "merge_people", "_selected_action": [a.pk, b.pk]},
    )
    moved.refresh_from_db()
    b.refresh_from_db()
    assert moved.person == a
    assert b.merged_into == a
    change = PersonChange.objects.get()
    admin_client.post(
        reverse("admin:sourcing_personchange_changelist"),
        {"action": "undo", "_selected_action": [change.pk]},
    )
    moved.refresh_from_db()
    b.refresh_from_db()
    assert moved.person == b
    assert b.merged_into is None


def test_split_from_the_admin(admin_client):
    person = PersonFactory()
    kept = AuthorshipFactory(person=person)
    split = AuthorshipFactory(person=person, name="A. Lovelace")
    admin_client.post(
        reverse("admin:sourcing_authorship_changelist"),
        {"action": "split_off", "_selected_action": [split.pk]},
    )
    split.refresh_from_db()
    kept.refresh_from_db()
    assert kept.person == person
    assert split.person != person
    assert split.person.display_name == "A. Lovelace"


@pytest.mark.parametrize(
    ("model", "make"),
    [
        ("person", lambda: AuthorshipFactory().person),
        ("prospect", ProspectFactory),
        ("authorship", AuthorshipFactory),
        ("paper", PaperFactory),
    ],
)
def test_changelists_do_not_grow_a_query_per_row(
    admin_client, django_assert_num_queries, model, make
):
    url = reverse(f"admin:sourcing_{model}_changelist")
    make()
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for _ in range(5):
        make()
    with django_assert_num_queries(len(few.captured_queries)):
        admin_client.get(url)


def test_a_failed_runs_page_resumes_it_and_a_queued_ones_cancels_it(admin_client):
    run = SourcingRunFactory(
        status=SourcingRun.Status.FAILED,
        error="arXiv API: unreachable (gave up after 5 attempts); resume the run to continue",
    )
    change = reverse("admin:sourcing_sourcingrun_change", args=[run.pk])
    control = reverse("admin:sourcing_sourcingrun_control", args=[run.pk])
    page = admin_client.get(change).content.decode()
    assert 'value="resume"' in page
    assert 'value="cancel"' not in page
    # every field is the run's own record: nothing to save
    assert 'name="_save"' not in page
    assert 'name="_continue"' not in page
    assert 'http-equiv="refresh"' not in page  # a run that has ended stays put

    response = admin_client.post(control, {"do": "resume"})
    assert response.status_code == 302
    assert response["Location"] == change
    run.refresh_from_db()
    # queued: the task is enqueued on commit, which the test transaction never reaches
    assert (run.status, run.error) == (SourcingRun.Status.QUEUED, "")
    page = admin_client.get(change).content.decode()
    assert "Resumed: it continues from its checkpoint." in page
    assert 'http-equiv="refresh"' in page  # queued again: the page follows it
    assert 'value="cancel"' in page
    assert 'value="resume"' not in page

    admin_client.post(control, {"do": "cancel"})
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.CANCELLED
    # what cannot be done now says why, and changes nothing
    response = admin_client.post(control, {"do": "cancel"}, follow=True)
    assert "Nothing was done: A cancelled run cannot be cancelled." in response.content.decode()
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.CANCELLED
    assert admin_client.get(control).status_code == 405


def test_run_controls_need_the_right_to_change_runs(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_sourcingrun"))
    client.force_login(viewer)
    run = SourcingRunFactory(status=SourcingRun.Status.FAILED, error="x")
    page = client.get(reverse("admin:sourcing_sourcingrun_change", args=[run.pk]))
    assert page.status_code == 200
    assert 'value="resume"' not in page.content.decode()
    control = reverse("admin:sourcing_sourcingrun_control", args=[run.pk])
    assert client.post(control, {"do": "resume"}).status_code == 403
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.FAILED


def test_a_query_runs_page_says_what_it_searches(admin_client):
    role = RoleProfileFactory(sourcing_categories=["cs.LG"], sourcing_keywords=["diffusion"])
    from_role = SourcingRunFactory(parameters={"max_results": 50}, role_profile=role)
    page = admin_client.get(reverse("admin:sourcing_sourcingrun_change", args=[from_role.pk]))
    text = page.content.decode()
    assert "max_results: 50; the query from" in text
    assert "(cat:cs.LG) AND (ti:&quot;diffusion&quot; OR abs:&quot;diffusion&quot;)" in text
    asked = SourcingRunFactory()  # parameters {"query": "cat:cs.LG"}
    page = admin_client.get(reverse("admin:sourcing_sourcingrun_change", args=[asked.pk]))
    assert "query: cat:cs.LG" in page.content.decode()
    assert "the query from" not in page.content.decode()
