from typing import Any

from django.core.management.base import BaseCommand

from interviews.services.takehomes import takehome_expire_overdue


class Command(BaseCommand):
    help = "Mark take-homes whose link expired without a submission as expired (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = takehome_expire_overdue()
        self.stdout.write(f"{count} take-home(s) expired.")
