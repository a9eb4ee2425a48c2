"""Writes of the hiring core. The admin, the API, commands and other apps call these, so every
rule (legal stage moves, natural-key duplicates, bar versioning) is enforced once, here.

Every function raises ``django.core.exceptions.ValidationError`` with field errors for input the
caller can fix, and leaves the database untouched when it does.

One module per subject; import from ``hiring.services`` (this package), which re-exports them:
``role_profiles`` (bar versions), ``openings``, ``candidates``, ``applications`` (stage moves);
data protection: ``notices`` (the Art. 14 clock), ``objections``, ``suppression``, ``erasure``,
``retention`` and ``access`` (the export).
Modules depend only downwards (``applications`` uses ``role_profiles``; all use ``_actors``)."""

from hiring.services._actors import User
from hiring.services.access import ErasedError, candidate_export, candidate_exporting
from hiring.services.applications import (
    ALREADY_APPLIED,
    FINAL_STAGES,
    TRANSITIONS,
    allowed_next_stages,
    application_create,
    application_transition,
    applications_transition_many,
)
from hiring.services.candidates import (
    CANDIDATE_FIELDS,
    CandidateInput,
    candidate_create,
    candidate_email_list,
    candidate_emails_changed,
    candidate_update,
    candidate_upsert_by_external_id,
)
from hiring.services.erasure import (
    Erasure,
    candidate_erase,
    candidate_erasing,
    candidate_identifying,
)
from hiring.services.merges import candidate_merge, candidate_merged
from hiring.services.notices import (
    NOTICE_FILTERS,
    candidate_sources,
    candidates_by_notice,
    notice_errors,
    notice_send,
    notices_send_due,
)
from hiring.services.objections import candidate_object
from hiring.services.openings import OPENING_FIELDS, opening_create, opening_update
from hiring.services.person_terms import PersonTerms
from hiring.services.retention import retention_apply
from hiring.services.role_profiles import (
    _bars_snapshot,
    role_profile_current_bar_version,
    role_profile_publish_bars,
)

__all__ = [
    "ALREADY_APPLIED",
    "CANDIDATE_FIELDS",
    "FINAL_STAGES",
    "NOTICE_FILTERS",
    "OPENING_FIELDS",
    "TRANSITIONS",
    "CandidateInput",
    "ErasedError",
    "Erasure",
    "PersonTerms",
    "User",
    # The seed migration builds version 1 of the bars in this exact shape; tests compare the two.
    "_bars_snapshot",
    "allowed_next_stages",
    "application_create",
    "application_transition",
    "applications_transition_many",
    "candidate_create",
    "candidate_email_list",
    "candidate_emails_changed",
    "candidate_erase",
    "candidate_erasing",
    "candidate_export",
    "candidate_exporting",
    "candidate_identifying",
    "candidate_merge",
    "candidate_merged",
    "candidate_object",
    "candidate_sources",
    "candidate_update",
    "candidate_upsert_by_external_id",
    "candidates_by_notice",
    "notice_errors",
    "notice_send",
    "notices_send_due",
    "opening_create",
    "opening_update",
    "retention_apply",
    "role_profile_current_bar_version",
    "role_profile_publish_bars",
]
