"""Issue the API token of one integration (an ATS, a script): one token per user, so every write
an integration makes is recorded against its own account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from hiring import roles


class Command(BaseCommand):
    help = (
        "Print the API token of USERNAME, creating the token if it has none. With --create-user, "
        f'a missing user is created in the "{roles.ATS_INTEGRATIONS}" group.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--create-user",
            action="store_true",
            help=f'Create the user in the "{roles.ATS_INTEGRATIONS}" group if it does not exist.',
        )

    @transaction.atomic
    def handle(self, *args: Any, username: str, create_user: bool, **options: Any) -> None:
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            if not create_user:
                raise CommandError(
                    f'No user "{username}". Pass --create-user to create it in the '
                    f'"{roles.ATS_INTEGRATIONS}" group.'
                )
            user = user_model(username=username)
            # The integration authenticates with its token only; it never logs in with a password.
            user.set_unusable_password()
            try:
                user.full_clean(exclude=["password"])
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            user.save()
            roles.ensure_default_groups()
            user.groups.add(Group.objects.get(name=roles.ATS_INTEGRATIONS))
            self.stderr.write(f'Created user "{username}" in "{roles.ATS_INTEGRATIONS}".')
        elif not user.is_active:
            raise CommandError(f'User "{username}" is inactive; its token would be refused.')
        token, _ = Token.objects.get_or_create(user=user)
        # The key alone on stdout, so scripts can capture it: KEY=$(manage.py create_api_token x)
        self.stdout.write(token.key)
