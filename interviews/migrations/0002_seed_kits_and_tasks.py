"""Load the interview kits for the five role profiles, the take-home templates and the
pair-debugging library from ``interviews/seed``.

Idempotent (rows are matched on their natural keys: role profile + stage, template title, task
slug) and reversible: the reverse deletes exactly the rows this created; it fails on purpose,
through the PROTECT foreign keys, once interviews, assignments or sessions use them. Later edits
to the seed package ship as a new data migration."""

from django.db import migrations

from interviews.seed.debugging_tasks import DEBUGGING_TASKS, program_source
from interviews.seed.kit_questions import QUESTIONS
from interviews.seed.kits import FOCUS, STAGES
from interviews.seed.takehomes import TAKEHOMES


def load(apps, schema_editor):
    Competency = apps.get_model("hiring", "Competency")
    RoleProfile = apps.get_model("hiring", "RoleProfile")
    InterviewKit = apps.get_model("interviews", "InterviewKit")
    KitQuestion = apps.get_model("interviews", "KitQuestion")
    TakeHomeTemplate = apps.get_model("interviews", "TakeHomeTemplate")
    TakeHomeCriterion = apps.get_model("interviews", "TakeHomeCriterion")
    DebuggingTask = apps.get_model("interviews", "DebuggingTask")
    SeededBug = apps.get_model("interviews", "SeededBug")

    competencies = {c.slug: c for c in Competency.objects.all()}
    profiles = {p.slug: p for p in RoleProfile.objects.all()}

    for role_slug, stages in FOCUS.items():
        profile = profiles[role_slug]
        for stage, focus in stages.items():
            base = STAGES[stage]
            kit, created = InterviewKit.objects.get_or_create(
                role_profile=profile,
                stage=stage,
                defaults={
                    "title": f"{profile.title}: {base['title']}",
                    "instructions": base["instructions"],
                    "duration_minutes": base["duration_minutes"],
                },
            )
            if not created:
                continue
            kit.focus_competencies.set([competencies[slug] for slug in focus])
            KitQuestion.objects.bulk_create(
                KitQuestion(
                    kit=kit,
                    order=order,
                    prompt=row["prompt"],
                    competency=competencies[row["competency"]],
                    level_1=row["level_1"],
                    level_2=row["level_2"],
                    level_3=row["level_3"],
                    level_4=row["level_4"],
                )
                for order, row in enumerate(
                    r for r in QUESTIONS[stage] if r["competency"] in focus
                )
            )

    for row in TAKEHOMES:
        template, created = TakeHomeTemplate.objects.get_or_create(
            title=row["title"],
            defaults={
                "role_profile": profiles[row["role_profile"]],
                "brief": row["brief"],
                "starter_material": row["starter_material"],
                "time_budget_minutes": row["time_budget_minutes"],
            },
        )
        if created:
            TakeHomeCriterion.objects.bulk_create(
                TakeHomeCriterion(
                    template=template,
                    order=order,
                    title=criterion["title"],
                    guidance=criterion["guidance"],
                    competency=competencies[criterion["competency"]],
                )
                for order, criterion in enumerate(row["criteria"])
            )

    for row in DEBUGGING_TASKS:
        task, created = DebuggingTask.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "title": row["title"],
                "description": row["description"],
                "buggy_source": program_source(row["slug"], "buggy"),
                "fixed_source": program_source(row["slug"], "fixed"),
                "expected_behaviour": row["expected_behaviour"],
                "time_box_minutes": row["time_box_minutes"],
            },
        )
        if created:
            task.competencies.set([competencies[slug] for slug in row["competencies"]])
            SeededBug.objects.bulk_create(
                SeededBug(task=task, order=order, **bug) for order, bug in enumerate(row["bugs"])
            )


def unload(apps, schema_editor):
    InterviewKit = apps.get_model("interviews", "InterviewKit")
    TakeHomeTemplate = apps.get_model("interviews", "TakeHomeTemplate")
    DebuggingTask = apps.get_model("interviews", "DebuggingTask")
    for role_slug, stages in FOCUS.items():
        InterviewKit.objects.filter(role_profile__slug=role_slug, stage__in=list(stages)).delete()
    TakeHomeTemplate.objects.filter(title__in=[row["title"] for row in TAKEHOMES]).delete()
    DebuggingTask.objects.filter(slug__in=[row["slug"] for row in DEBUGGING_TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0001_initial"),
        ("hiring", "0002_seed_role_profiles"),
    ]

    operations = [migrations.RunPython(load, unload)]
