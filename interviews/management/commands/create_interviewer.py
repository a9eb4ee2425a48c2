"""Create an interviewer's account: a user in the "Interviewers" group who signs in at
/interviewer/ (not a staff account: interviewers never need the admin)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hiring import roles
from interviews.roles import grant_interview_permissions


class Command(BaseCommand):
    help = (
        f'Create USERNAME in the "{roles.INTERVIEWERS}" group with a generated password (printed '
        "once) or --password; an existing user is added to the group and keeps their password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password", default="", help="Default: a generated one, shown once.")

    @transaction.atomic
    def handle(self, *args: Any, username: str, **options: Any) -> None:
        grant_interview_permissions()  # creates the groups too; idempotent
        group = Group.objects.get(name=roles.INTERVIEWERS)
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is not None:
            user.groups.add(group)
            self.stdout.write(f'"{username}" exists; added to "{roles.INTERVIEWERS}".')
            return
        password = options["password"] or secrets.token_urlsafe(12)
        user = user_model(
            username=username,
            email=options["email"],
            first_name=options["first_name"],
            last_name=options["last_name"],
        )
        user.set_password(password)
        try:
            user.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        user.save()
        user.groups.add(group)
        self.stdout.write(
            self.style.SUCCESS(f'Created interviewer "{username}"; they sign in at /interviewer/.')
        )
        if not options["password"]:
            # Printed once: only its hash is stored.
            self.stdout.write(f"Password (shown only now): {password}")
