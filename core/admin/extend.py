"""Other apps add to an app's admin pages from their own ``admin.py``, so the app that owns the
pages never imports them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import Model


def extend_admin(
    model: type[Model],
    *,
    inlines: Iterable[type[InlineModelAdmin]] = (),
    actions: Iterable[Callable[..., Any]] = (),
) -> None:
    """Append inline classes and action functions to the ModelAdmin registered for ``model`` on
    ``admin.site``.

    Meant for apps built on the hiring core, called at import time of their own ``admin.py``::

        from core.admin import extend_admin
        from hiring.models import Candidate, Opening, RoleProfile

        extend_admin(Candidate, inlines=[EvidenceInline])
        extend_admin(Opening, actions=[source_from_arxiv])
        extend_admin(RoleProfile, actions=[source_from_arxiv])

    ``inlines`` are ``InlineModelAdmin`` subclasses whose model has a foreign key to ``model``;
    ``actions`` are ordinary admin action functions ``(modeladmin, request, queryset)``, ideally
    decorated with ``@admin.action(description=..., permissions=[...])``. Existing inlines and
    actions are kept and come first; adding the same class or function again is a no-op, so a
    module imported twice does not duplicate anything. Raises ``NotRegistered`` when ``model``
    has no ModelAdmin on ``admin.site``. Django's admin checks run on the extended admin as
    usual, so a broken inline is reported by ``manage.py check``."""
    model_admin = admin.site.get_model_admin(model)
    current_inlines = list(model_admin.inlines)
    current_inlines += [inline for inline in inlines if inline not in current_inlines]
    # ModelAdmin declares these as class attributes; setting them on the registered instance
    # extends only this site's admin, which is the point.
    model_admin.inlines = current_inlines  # type: ignore[misc]
    current_actions = list(model_admin.actions or ())
    current_actions += [action for action in actions if action not in current_actions]
    model_admin.actions = current_actions
