"""The seed content the data migration loads: kits for every stage of every role's loop with a
question per focus competency, and a pair-debugging library whose programs really run and whose
fixes change the behaviour exactly as documented."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from hiring.models import RoleProfile
from interviews.models import DebuggingTask, InterviewKit, TakeHomeTemplate

pytestmark = pytest.mark.django_db


def test_every_stage_of_every_role_loop_has_a_kit_with_rubric_guided_questions():
    for profile in RoleProfile.objects.filter(
        slug__in=[
            "ml-engineer",
            "ml-researcher",
            "mlops-engineer",
            "ml-product-manager",
            "data-scientist",
        ]
    ):
        kits = {k.stage: k for k in InterviewKit.objects.filter(role_profile=profile)}
        assert set(kits) == set(profile.interview_loop), profile.slug
        for kit in kits.values():
            focus = {c.slug for c in kit.focus_competencies.all()}
            asked = {q.competency.slug for q in kit.questions.all()}
            assert focus, (profile.slug, kit.stage)
            assert focus <= asked, (profile.slug, kit.stage)
            assert all(q.level_1 and q.level_4 for q in kit.questions.all())


def test_each_role_loop_covers_every_bar_above_one_and_every_strength():
    for profile in RoleProfile.objects.exclude(interview_loop=[]):
        bars = profile.bar_versions.order_by("-number").first().bars
        needed = {b["competency"] for b in bars if b["minimum_level"] > 1 or b["strength_level"]}
        covered = {
            c.slug
            for kit in InterviewKit.objects.filter(role_profile=profile)
            for c in kit.focus_competencies.all()
        }
        assert needed <= covered, (profile.slug, needed - covered)


def test_take_home_templates_map_every_criterion_to_a_competency():
    for template in TakeHomeTemplate.objects.all():
        assert template.criteria.count() >= 3
        assert all(c.competency_id for c in template.criteria.all())


def test_library_has_at_least_five_tasks_and_fixes_touch_only_the_documented_lines():
    tasks = list(DebuggingTask.objects.prefetch_related("bugs"))
    assert len(tasks) >= 5
    for task in tasks:
        buggy, fixed = task.buggy_source.splitlines(), task.fixed_source.splitlines()
        assert len(buggy) == len(fixed), task.slug
        changed = {
            i + 1
            for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=buggy, b=fixed).get_opcodes()
            if tag != "equal"
            for i in range(i1, i2)
        }
        documented = {
            line for bug in task.bugs.all() for line in range(bug.line_start, bug.line_end + 1)
        }
        assert changed, task.slug
        assert changed == documented, task.slug
        assert all(bug.hints for bug in task.bugs.all()), task.slug


# What each fix must change, as stated in the task's expected_behaviour.
EXPECTATIONS = {
    "feature-selection-leak": lambda b, f: b["val_accuracy"] >= 0.65 and f["val_accuracy"] <= 0.6,
    "mse-reduction": lambda b, f: (
        b["diverged"]
        and not f["diverged"]
        and b["initial_loss"] == pytest.approx(256 * f["initial_loss"], rel=1e-3)
        and f["final_loss"] < 0.05
    ),
    "regression-eval-shapes": lambda b, f: (
        b["val_mse"] > 10 * f["val_mse"] and b["val_r2"] < 0 and f["val_r2"] > 0.95
    ),
    "dropout-eval-mode": lambda b, f: (
        b["val_accuracy_first"] != b["val_accuracy_second"]
        and f["val_accuracy_first"] == f["val_accuracy_second"]
        and f["val_accuracy_first"] > max(b["val_accuracy_first"], b["val_accuracy_second"])
    ),
    "lr-step-decay": lambda b, f: (
        b["last_lr"] < 1e-9 and f["last_lr"] == 0.125 and f["final_loss"] < b["final_loss"] - 0.1
    ),
    "label-encoding": lambda b, f: b["val_accuracy"] < 0.2 and f["val_accuracy"] > 0.9,
    "imbalanced-metrics": lambda b, f: (
        b["precision"] == b["recall"]
        and f["precision"] != f["recall"]
        and f["flagged"] > b["flagged"]
    ),
}


def test_buggy_and_fixed_programs_run_and_differ_as_documented():
    pytest.importorskip("numpy")
    tasks = {t.slug: t for t in DebuggingTask.objects.all()}
    assert set(EXPECTATIONS) <= set(tasks)
    with tempfile.TemporaryDirectory() as workdir:
        runs = {}
        # All programs at once: each is a small numpy script, the whole batch takes ~1-2 s.
        for slug, task in tasks.items():
            for version, source in (("buggy", task.buggy_source), ("fixed", task.fixed_source)):
                path = Path(workdir) / f"{slug}-{version}.py"
                path.write_text(source)
                runs[(slug, version)] = subprocess.Popen(
                    [sys.executable, str(path)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env={**os.environ, "PYTHONWARNINGS": "ignore"},
                )
        results = {}
        for key, process in runs.items():
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, (key, err)
            results[key] = json.loads(out.strip().splitlines()[-1])
    for slug, expectation in EXPECTATIONS.items():
        buggy, fixed = results[(slug, "buggy")], results[(slug, "fixed")]
        assert expectation(buggy, fixed), (slug, buggy, fixed)
