"""Erasure leaves nothing, and sourcing never brings the person back (issue 16).

Ada Lovelace is found the way Hirebar finds people: first author of a paper in the bulk snapshot
(the real recorded sample plus her paper, in the same format), owner of its official code on
GitHub (the recorded scenario served over HTTP). She then goes through the pipeline: an
application made over the API with an Idempotency-Key, the Art. 14 notice with the first contact,
an interview with invitations and a calendar file, a scorecard, a take-home with an uploaded file
and a grade, webhooks to an ATS whose answers echo her name. She is erased through the API.

Then every text, JSON and binary column of every table, and every file under the uploads folder,
is scanned for her names, addresses and logins: zero hits. Every sourcing path (snapshot, OAI-PMH,
query API, GitHub) runs again on the same recordings: no person, authorship, account or candidate
of hers comes back, and each run says how many it skipped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient

from core.webhooks.services import webhook_endpoint_create
from hiring.models import Candidate, Stage
from interviews.models import Scorecard
from interviews.services.interviews import interview_schedule
from interviews.services.scorecards import RatingInput, scorecard_save_draft, scorecard_submit
from interviews.services.takehomes import (
    CriterionScoreInput,
    takehome_assign,
    takehome_grade_save,
    takehome_submit,
)
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.github import launch as github_launch
from sourcing.github.models import GitHubAccount, ImplementationRun
from sourcing.launch import sourcing_run_create
from sourcing.models import Authorship, Paper, Person, SourcingRun
from tests.core.webhooks.receiver import Answer, Receiver
from tests.hiring.factories import RoleProfileFactory, TokenFactory
from tests.interviews.factories import interviewer, recruiter, seeded_kit, seeded_template
from tests.sourcing.conftest import SNAPSHOT
from tests.sourcing.feeds import Entry, feed, oai_page
from tests.sourcing.github.conftest import serve_sma
from tests.sourcing.github.replay import ReplayServer as GitHubReplay
from tests.sourcing.replay import ReplayServer as ArxivReplay
from tests.sourcing.replay import Reply

pytestmark = pytest.mark.django_db

SMA_ID = "2401.04567"
SMA_TITLE = "Sparse Mixture Adapters for Efficient Fine-Tuning"
ABSTRACT = "We propose sparse mixture adapters, a parameter-efficient fine-tuning method."
# What names her: as printed on the paper, on GitHub, her address, login, homepage.
TERMS = ("Lovelace", "adalovelace", "ada@example.org", "ada.example.org", "Analytical Engines")
XML = "text/xml; charset=utf-8"


def _snapshot_line() -> str:
    """Her paper as the public snapshot writes a record (same keys as the recorded sample)."""
    return json.dumps(
        {
            "id": SMA_ID,
            "submitter": "Ada Lovelace",
            "authors": "Ada Lovelace and Grace Hopper",
            "title": SMA_TITLE,
            "comments": "ICML 2024",
            "journal-ref": None,
            "doi": None,
            "report-no": None,
            "categories": "cs.LG",
            "license": None,
            "abstract": f"  {ABSTRACT}\n",
            "versions": [{"version": "v1", "created": "Mon, 8 Jan 2024 10:00:00 GMT"}],
            "update_date": "2024-01-09",
            "authors_parsed": [["Lovelace", "Ada", ""], ["Hopper", "Grace", ""]],
        }
    )


@pytest.fixture
def snapshot_file(tmp_path: Path) -> Path:
    path = tmp_path / "snapshot.jsonl"
    path.write_text(SNAPSHOT.read_text(encoding="utf-8") + _snapshot_line() + "\n", "utf-8")
    return path


@pytest.fixture
def arxiv(settings: Any) -> Iterator[ArxivReplay]:
    with ArxivReplay() as server:
        settings.ARXIV_API_URL = server.url("/api/query")
        settings.ARXIV_OAI_URL = server.url("/oai")
        settings.ARXIV_MIN_REQUEST_INTERVAL = 0.01
        settings.ARXIV_BACKOFF_BASE = 0.05
        settings.ARXIV_REQUEST_TIMEOUT = 5.0
        settings.REDIS_URL = ""
        entry = Entry(SMA_ID, SMA_TITLE, ["Ada Lovelace", "Grace Hopper"], summary=ABSTRACT)
        server.add("/api/query", None, Reply(body=feed([entry], total=1), content_type=XML))
        record = {
            "id": SMA_ID,
            "datestamp": "2024-01-09",
            "title": SMA_TITLE,
            "authors": "Ada Lovelace and Grace Hopper",
            "abstract": ABSTRACT,
        }
        server.add("/oai", None, Reply(body=oai_page([record]), content_type=XML))
        yield server


@pytest.fixture
def github(settings: Any) -> Iterator[GitHubReplay]:
    server = GitHubReplay().start()
    settings.GITHUB_API_URL = server.base_url
    settings.PAPER_CATALOGUE_URL = server.base_url
    settings.HUGGINGFACE_PAPERS_URL = server.base_url
    settings.GITHUB_TOKEN = ""
    settings.GITHUB_MAX_RETRIES = 2
    settings.GITHUB_TIMEOUT_SECONDS = 5
    serve_sma(server)
    yield server
    server.stop()


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def _source(snapshot: Path, role: Any, capture: Any) -> tuple[SourcingRun, ImplementationRun]:
    run = sourcing_run_create(
        kind=SourcingRun.Kind.SNAPSHOT, parameters={"path": str(snapshot)}, role_profile=role
    )
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    with capture(execute=True):
        found, _ = github_launch.implementation_run_start_for_paper(
            paper=Paper.objects.get(arxiv_id=SMA_ID)
        )
    found.refresh_from_db()
    run.refresh_from_db()
    return run, found


def _history(ada: Candidate, receiver: Receiver, capture: Any) -> None:
    """The pipeline, through the same services and API the users go through."""
    webhook_endpoint_create(url=receiver.url())
    boss = recruiter()
    client = _api(boss)
    opening_id = _opening_for("ml-engineer")
    with capture(execute=True):
        created = client.post(
            "/api/v1/applications/",
            {"candidate": ada.pk, "opening": opening_id},
            format="json",
            HTTP_IDEMPOTENCY_KEY="ats-ada-1",
        )
    assert created.status_code == 201, created.content
    application_id = created.json()["id"]
    for stage in (Stage.CONTACTED, Stage.SCREEN):
        with capture(execute=True):
            moved = client.post(
                f"/api/v1/applications/{application_id}/transitions/",
                {"to_stage": stage, "reason": "Ada Lovelace replied quickly"},
                format="json",
            )
        assert moved.status_code == 200, moved.content
    from hiring.models import Application

    application = Application.objects.get(pk=application_id)
    panel = interviewer(email="grace.interviewer@example.com")
    with capture(execute=True):
        interview = interview_schedule(
            application=application,
            kit=seeded_kit("ml-engineer", "screen"),
            scheduled_at=timezone.now() - timezone.timedelta(hours=2),
            interviewers=[panel],
            by=boss,
        )
    focus = list(interview.kit.focus_competencies.all())
    draft = scorecard_save_draft(
        interview=interview,
        by=panel,
        ratings=[
            RatingInput(c.slug, 3, f"Ada Lovelace explained {c.name} clearly; Lovelace's code ran.")
            for c in focus
        ],
        recommendation="yes",
        summary="Ada is strong; adalovelace's repository shows it.",
    )
    with capture(execute=True):
        scorecard_submit(scorecard=Scorecard.objects.get(pk=draft.pk), by=panel)
    grader = interviewer(email="grader@example.com")
    with capture(execute=True):
        sent = takehome_assign(
            application=application,
            template=seeded_template("ml-engineer"),
            due_at=timezone.now() + timezone.timedelta(days=3),
            graders=[grader],
            by=boss,
        )
    upload = SimpleUploadedFile(
        "lovelace-solution.py", b"# by Ada Lovelace <ada@example.org>\nprint(1)\n"
    )
    with capture(execute=True):
        submitted = takehome_submit(
            assignment=sent.assignment,
            upload=upload,
            repository_url="https://github.com/adalovelace/takehome",
        )
    criteria = list(submitted.template.criteria.all())
    with capture(execute=True):
        takehome_grade_save(
            assignment=submitted,
            grader=grader,
            scores=[CriterionScoreInput(c.pk, 3, "Lovelace tested it well") for c in criteria],
            notes="Ada Lovelace's best work.",
            submit=True,
        )


def _opening_for(role: str) -> int:
    from hiring.models import RoleProfile
    from tests.hiring.factories import OpeningFactory

    return OpeningFactory(role_profile=RoleProfile.objects.get(slug=role)).pk


def _text_columns() -> Iterator[tuple[type[models.Model], models.Field[Any, Any]]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(
                field, (models.CharField, models.TextField, models.JSONField, models.BinaryField)
            ):
                yield model, field


def _hits(terms: tuple[str, ...]) -> list[str]:
    """Every column value, of every row, that contains a term (case-insensitive)."""
    found = []
    lowered = [t.lower() for t in terms]
    for model, field in _text_columns():
        for pk, value in model._default_manager.values_list("pk", field.attname).iterator():
            if value in (None, "", b""):
                continue
            if isinstance(value, (bytes, memoryview)):
                text = bytes(value).decode("utf-8", "replace")
            elif isinstance(value, str):
                text = value
            else:
                text = json.dumps(value, ensure_ascii=False)
            text = text.lower()
            found += [f"{model._meta.label}.{field.name}#{pk}: {t}" for t in lowered if t in text]
    return found


def _files_naming(root: Path, terms: tuple[str, ...]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes().decode("utf-8", "replace").lower()
            found += [
                f"{path}: {t}" for t in terms if t.lower() in content or t.lower() in path.name
            ]
    return found


def test_erasure_leaves_nothing_and_sourcing_never_brings_her_back(
    settings: Any,
    tmp_path: Path,
    snapshot_file: Path,
    arxiv: ArxivReplay,
    github: GitHubReplay,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    capture = django_capture_on_commit_callbacks
    role = RoleProfileFactory(
        slug="peft-researcher", sourcing_categories=["cs.LG"], sourcing_keywords=["adapters"]
    )

    # Found: first author in the snapshot, owner of the official code on GitHub.
    # The ATS echoes every payload back: its stored answers name her until erasure scrubs them.
    with Receiver(Answer(200, echo=True)) as receiver:
        _source(snapshot_file, role, capture)
        ada = Candidate.objects.get(full_name="Ada Lovelace")
        assert ada.github_login == "adalovelace"
        assert ada.sourced_at is not None
        assert ada.notice_state == "pending"
        if not ada.emails.exists():
            _api(recruiter()).patch(
                f"/api/v1/candidates/{ada.pk}/", {"emails": ["ada@example.org"]}, format="json"
            )
        _history(ada, receiver, capture)
        receiver.wait_for(3)
        ada.refresh_from_db()
        assert ada.notice_sent_at is not None  # went with the first contact
        # Before: she is everywhere.
        assert len(_hits(TERMS)) > 20
        export = _api(recruiter()).get(f"/api/v1/candidates/{ada.pk}/export/")
        assert export.status_code == 200
        assert "Lovelace" in export.content.decode()

        with capture(execute=True):
            erased = _api(recruiter()).post(
                f"/api/v1/candidates/{ada.pk}/erasure/",
                {"reason": "request by e-mail"},
                format="json",
            )
        assert erased.status_code == 200, erased.content
        receiver.wait_for(len(receiver.received))

    # After: nothing of her, in any table or file.
    hits = _hits(TERMS)
    assert hits == [], "\n".join(hits)
    assert _files_naming(Path(settings.MEDIA_ROOT), TERMS) == []
    # What stays is pseudonymous and still counts.
    ada = Candidate.objects.get(pk=ada.pk)
    assert ada.erased_at is not None
    assert ada.applications.get().history.count() >= 3
    assert Scorecard.objects.filter(interview__application__candidate=ada).get().ratings.count()
    assert Paper.objects.filter(arxiv_id=SMA_ID).exists()  # the paper stays
    assert Authorship.objects.filter(paper__arxiv_id=SMA_ID, name="Grace Hopper").exists()
    assert _api(recruiter()).get(f"/api/v1/candidates/{ada.pk}/export/").status_code == 410

    # Every sourcing path again, on the same recordings.
    snapshot_run, github_run = _source(snapshot_file, role, capture)
    oai_run = sourcing_run_create(kind=SourcingRun.Kind.OAI, parameters={"set": "cs"})
    assert sourcing_run_execute(run_id=oai_run.pk) == "succeeded"
    api_run = sourcing_run_create(
        kind=SourcingRun.Kind.API, parameters={"query": "ti:adapters"}, role_profile=role
    )
    assert sourcing_run_execute(run_id=api_run.pk) == "succeeded"
    assert arxiv.hits("/oai")
    assert arxiv.hits("/api/query")

    assert not Person.objects.filter(display_name__icontains="lovelace").exists()
    assert not Person.objects.filter(name_key__icontains="lovelace").exists()
    assert not Authorship.objects.filter(name__icontains="lovelace").exists()
    assert not GitHubAccount.objects.filter(login__iexact="adalovelace").exists()
    assert not Candidate.objects.filter(full_name__icontains="lovelace").exists()
    assert not Candidate.objects.filter(github_login__iexact="adalovelace").exists()
    assert _hits(TERMS) == []
    for run in (snapshot_run, oai_run, api_run):
        run.refresh_from_db()
        assert run.suppressed_count >= 1, (run.kind, run.suppressed_count)
    assert github_run.suppressed_count >= 1
