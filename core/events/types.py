"""The event types Hirebar records, as webhooks and the API name them. Subscriptions are checked
against this list, so a typo in an endpoint's ``event_types`` is a 400 rather than an endpoint
that silently never hears anything."""

from __future__ import annotations

EVENT_TYPES: dict[str, str] = {
    "candidate.created": "A candidate was added (API, admin, import or sourcing).",
    "candidate.updated": "A candidate's fields changed.",
    "candidate.merged": "Two candidate records were merged into one.",
    "candidate.notice_sent": "A sourced person's Art. 14 notice was handed to the mail server.",
    "candidate.objected": "A sourced person objected: never contacted or sourced again.",
    "candidate.erased": "Everything personal about a candidate was erased (GDPR Art. 17).",
    "application.created": "A candidate applied to, or was added to, an opening.",
    "application.stage_changed": "An application moved to another stage.",
    "interview.scheduled": "An interview was scheduled.",
    "interview.rescheduled": "An interview moved to another time or length.",
    "interview.cancelled": "An interview was cancelled.",
    "interview.invitation_skipped": "The candidate has no address: no invitation went to them.",
    "scorecard.submitted": "An interviewer submitted a scorecard.",
    "scorecard.amended": "A submitted scorecard was amended.",
    "takehome.assigned": "A take-home was sent to a candidate.",
    "takehome.submitted": "A candidate submitted a take-home.",
    "takehome.graded": "A grader submitted their grade of a take-home.",
    "verdict.changed": "An application's verdict against the bars changed.",
    "opening.created": "An opening was created.",
    "opening.updated": "An opening's fields changed.",
    "role_profile.bars_published": "A role profile published a new version of its bars.",
    "sourcing_run.finished": "A sourcing run ended (succeeded or failed).",
    "implementation_run.finished": "A re-implementation search ended.",
    "webhook.ping": "Sent to one endpoint when it is created or pinged; never to the others.",
}

# What an endpoint subscribed to nothing in particular receives: every type.
ALL_TYPES = "*"


def unknown_event_types(types: list[str]) -> list[str]:
    """The names in ``types`` that are neither a known type nor ``*``, in their order."""
    return [t for t in types if t != ALL_TYPES and t not in EVENT_TYPES]
