"""Role profiles' bars: publishing them as immutable, numbered versions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.events.recording import event_record
from hiring.models import BarVersion, RoleProfile
from hiring.services._actors import User, _actor


def _bars_snapshot(role_profile: RoleProfile) -> list[dict[str, Any]]:
    return [
        {
            "competency": bar.competency.slug,
            "name": bar.competency.name,
            "minimum_level": bar.minimum_level,
            "strength_level": bar.strength_level,
        }
        for bar in role_profile.bars.select_related("competency").order_by(
            "competency__display_order", "competency__slug"
        )
    ]


@transaction.atomic
def role_profile_publish_bars(*, role_profile: RoleProfile, by: User = None) -> BarVersion:
    """Freeze the profile's current bars. Returns the latest version unchanged when the bars are
    the same, so calling it after every admin save is safe. Locks the profile row so two editors
    cannot both create version N+1."""
    with transaction.atomic():
        RoleProfile.objects.select_for_update().filter(pk=role_profile.pk).first()
        snapshot = _bars_snapshot(role_profile)
        latest = role_profile.bar_versions.order_by("-number").first()
        if latest is not None and latest.bars == snapshot:
            return latest
        version = BarVersion.objects.create(
            role_profile=role_profile,
            number=(latest.number + 1) if latest else 1,
            bars=snapshot,
            created_by=_actor(by),
        )
        event_record(
            type="role_profile.bars_published",
            obj=role_profile,
            changes={
                "bar_version": [latest.number if latest else None, version.number],
                "bars": [latest.bars if latest else None, snapshot],
            },
        )
    return version


def role_profile_current_bar_version(*, role_profile: RoleProfile) -> BarVersion:
    """The latest published version. A profile that was never published gets version 1 of its
    current bars first, so a new application always has bars to be judged against."""
    latest = role_profile.bar_versions.order_by("-number").first()
    return latest if latest is not None else role_profile_publish_bars(role_profile=role_profile)
