"""The hiring core: what a role needs (competencies, role profiles, versioned bars) and who is
moving through which opening (candidates, applications, their stage history).

Workflows live in ``services.py``; reads in ``selectors.py``. Other apps import this one, never the
other way round."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


class Level(models.IntegerChoices):
    """The 1-4 scale shared by bars, rubrics and interview ratings."""

    BASIC = 1, "1 - basic"
    WORKING = 2, "2 - working"
    STRONG = 3, "3 - strong"
    EXCEPTIONAL = 4, "4 - exceptional"


class Competency(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    level_1 = models.TextField("what a 1 looks like")
    level_2 = models.TextField("what a 2 looks like")
    level_3 = models.TextField("what a 3 looks like")
    level_4 = models.TextField("what a 4 looks like")
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name

    def rubric(self) -> dict[int, str]:
        return {1: self.level_1, 2: self.level_2, 3: self.level_3, 4: self.level_4}


class RoleProfile(models.Model):
    """A written profile of one kind of ML role. Its bars are edited in place (``RoleBar``) and
    frozen into a ``BarVersion`` whenever they change; applications point at a frozen version."""

    slug = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=120)
    summary = models.TextField()
    delivers = models.TextField("what the role delivers")
    typical_background = models.TextField()
    sourcing_categories = models.JSONField(
        default=list, blank=True, help_text="arXiv categories, e.g. cs.LG, stat.ML"
    )
    sourcing_keywords = models.JSONField(
        default=list, blank=True, help_text="Keywords matched against titles and abstracts"
    )
    interview_loop = models.JSONField(
        default=list, blank=True, help_text="Interview stages in order, e.g. screen, take-home"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class RoleBar(models.Model):
    """The current minimum bar of one competency for a role profile, and, when the role is
    expected to be *strong* there, the strength hypothesis to validate with its expected level."""

    role_profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="bars")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="bars")
    minimum_level = models.PositiveSmallIntegerField(
        choices=Level.choices, validators=LEVEL_VALIDATORS
    )
    strength_level = models.PositiveSmallIntegerField(
        choices=Level.choices,
        validators=LEVEL_VALIDATORS,
        null=True,
        blank=True,
        help_text="Set when this competency is a strength to validate: the level expected.",
    )

    class Meta:
        ordering = ["role_profile", "competency__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["role_profile", "competency"], name="rolebar_one_per_competency"
            ),
            models.CheckConstraint(
                condition=Q(minimum_level__gte=1) & Q(minimum_level__lte=4),
                name="rolebar_minimum_in_range",
            ),
            models.CheckConstraint(
                condition=Q(strength_level__isnull=True)
                | (Q(strength_level__gte=1) & Q(strength_level__lte=4)),
                name="rolebar_strength_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_profile.slug}: {self.competency.slug} >= {self.minimum_level}"


class BarVersion(models.Model):
    """An immutable snapshot of a profile's bars. ``bars`` is a list of
    ``{"competency": slug, "name": str, "minimum_level": int, "strength_level": int | None}``."""

    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, related_name="bar_versions"
    )
    number = models.PositiveIntegerField()
    bars = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["role_profile", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["role_profile", "number"], name="barversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role_profile.slug} v{self.number}"


class Opening(models.Model):
    class Level(models.TextChoices):
        JUNIOR = "junior", "Junior"
        MID = "mid", "Mid-level"
        SENIOR = "senior", "Senior"
        STAFF = "staff", "Staff"
        PRINCIPAL = "principal", "Principal"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    role_profile = models.ForeignKey(RoleProfile, on_delete=models.PROTECT, related_name="openings")
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.MID)
    team = models.CharField(max_length=120, blank=True)
    headcount = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_openings",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # The dates the time-to-fill forecast plans against (analytics): the day the opening started
    # taking candidates, the day it should be filled by, and the day it closed. All optional: an
    # opening without a target still gets its distribution of fill dates.
    opened_on = models.DateField(null=True, blank=True)
    target_fill_date = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=1), name="opening_headcount_positive"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="opening_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", "Entered by hand"
        ATS = "ats", "ATS"
        REFERRAL = "referral", "Referral"
        INBOUND = "inbound", "Applied"
        ARXIV = "arxiv", "arXiv"
        GITHUB = "github", "GitHub"
        CONFERENCE = "conference", "Conference"
        OTHER = "other", "Other"

    class NoticeState(models.TextChoices):
        # People sourced from public data must be told we hold their data (GDPR art. 14).
        NOT_REQUIRED = "not_required", "Not required (they applied)"
        PENDING = "pending", "Notice pending"
        SENT = "sent", "Notice sent"
        OBJECTED = "objected", "Objected: do not contact"

    class ConsentState(models.TextChoices):
        UNKNOWN = "unknown", "Unknown"
        GIVEN = "given", "Given"
        WITHDRAWN = "withdrawn", "Withdrawn"

    full_name = models.CharField(max_length=200)
    homepage = models.URLField(max_length=500, blank=True)
    # Natural keys are NULL when unknown so the partial unique constraints ignore them.
    github_login = models.CharField(max_length=39, null=True, blank=True)  # noqa: DJ001
    arxiv_name_forms = models.JSONField(
        default=list, blank=True, help_text='Name forms seen on arXiv, e.g. ["Vaswani, Ashish"]'
    )
    orcid = models.CharField("ORCID", max_length=19, null=True, blank=True)  # noqa: DJ001
    openreview_id = models.CharField("OpenReview id", max_length=100, blank=True)
    semantic_scholar_id = models.CharField("Semantic Scholar id", max_length=40, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    source_evidence = models.TextField(
        blank=True, help_text="Where and why this person was found (free text, links)."
    )
    notice_state = models.CharField(
        max_length=16, choices=NoticeState.choices, default=NoticeState.NOT_REQUIRED
    )
    consent_state = models.CharField(
        max_length=16, choices=ConsentState.choices, default=ConsentState.UNKNOWN
    )
    external_id = models.CharField(  # noqa: DJ001
        "external ATS id", max_length=128, null=True, blank=True, help_text="The ATS's own id."
    )
    # The GDPR Art. 14 clock (``hiring.services.notices``): a person found in public data must be
    # told within one month, or at first contact if sooner.
    sourced_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When sourcing found this person (the notice clock starts).",
    )
    notice_due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="One month after sourcing: the notice must have gone by then.",
    )
    notice_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the notice was handed to the mail server."
    )
    objected_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the person objected: never contacted or sourced again.",
    )
    objection = models.TextField(blank=True, help_text="What the person said, if anything.")
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When everything personal about this person was erased; what is left is "
        "pseudonymous (stages, dates, ratings).",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        help_text="Set when this record turned out to be a duplicate and was merged: everything "
        "it held moved to that candidate, and lists no longer show it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # Natural keys: empty values are stored as NULL (services normalise), so only real
            # values collide. GitHub logins are case-insensitive on GitHub itself.
            models.UniqueConstraint(
                Lower("github_login"),
                name="candidate_unique_github_login",
                condition=Q(github_login__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                name="candidate_unique_external_id",
                condition=Q(external_id__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["orcid"], name="candidate_unique_orcid", condition=Q(orcid__isnull=False)
            ),
        ]
        indexes = [
            models.Index(fields=["source", "id"], name="candidate_source_id"),
            models.Index(fields=["updated_at"], name="candidate_updated_at"),
            # The notice clock's lists (overdue, due this week): pending notices by due time.
            models.Index(
                fields=["notice_due_at"],
                name="candidate_notice_due",
                condition=Q(notice_state="pending"),
            ),
        ]
        permissions = [
            ("erase_candidate", "Can erase a candidate (GDPR Art. 17)"),
            ("export_candidate", "Can export everything held about a candidate (GDPR Art. 15)"),
        ]

    def __str__(self) -> str:
        return self.full_name


class CandidateEmail(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(max_length=254)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            # Addresses are compared case-insensitively, so "A@x.org" and "a@x.org" are one person.
            models.UniqueConstraint(Lower("email"), name="candidateemail_unique_email"),
        ]

    def __str__(self) -> str:
        return self.email


class Stage(models.TextChoices):
    SOURCED = "sourced", "Sourced"
    CONTACTED = "contacted", "Contacted"
    SCREEN = "screen", "Screen"
    TAKE_HOME = "take_home", "Take-home"
    ONSITE = "onsite", "Onsite"
    DEBRIEF = "debrief", "Debrief"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RejectionReason(models.TextChoices):
    BELOW_BAR = "below_bar", "Below the bar"
    NOT_ENOUGH_EXPERIENCE = "not_enough_experience", "Not enough relevant experience"
    ROLE_MISMATCH = "role_mismatch", "Better suited to another role"
    POSITION_FILLED = "position_filled", "Position filled"
    NO_RESPONSE = "no_response", "No response"
    LOCATION_OR_VISA = "location_or_visa", "Location or work authorisation"
    COMPENSATION = "compensation", "Compensation mismatch"
    OTHER = "other", "Other"


class Application(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    opening = models.ForeignKey(Opening, on_delete=models.PROTECT, related_name="applications")
    # The bars this application is judged against; later profile edits create new versions and
    # never touch this one.
    bar_version = models.ForeignKey(
        BarVersion, on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.SOURCED)
    rejection_reason = models.CharField(max_length=32, choices=RejectionReason.choices, blank=True)
    stage_changed_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "opening"], name="application_one_per_candidate_opening"
            ),
            models.CheckConstraint(
                condition=Q(stage="rejected") | Q(rejection_reason=""),
                name="application_rejection_reason_only_when_rejected",
            ),
        ]
        indexes = [models.Index(fields=["stage", "opening"], name="application_stage_opening")]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.opening}"


class StageChange(models.Model):
    """One move of an application, append-only: who moved it, when, from where, to where, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    reason = models.TextField(blank=True)
    rejection_reason = models.CharField(max_length=32, choices=RejectionReason.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '∅'} → {self.to_stage}"


class Suppression(models.Model):
    """An identifier of a person who was erased or objected, as a keyed hash (HMAC-SHA256 with
    ``HIREBAR_SUPPRESSION_KEY``), so every sourcing path can recognise them and skip them without
    Hirebar keeping the identifier itself (``hiring.services.suppression``)."""

    class Kind(models.TextChoices):
        EMAIL = "email", "E-mail address"
        GITHUB_LOGIN = "github_login", "GitHub login"
        ORCID = "orcid", "ORCID"
        ARXIV_NAME = "arxiv_name", "arXiv author name (full name)"
        ARXIV_MENTION = "arxiv_mention", "arXiv author slot (paper and name as written)"
        # Never a reason to skip anyone alone: the cheap first test before the mention's own hash.
        ARXIV_SLOT_NAME = "arxiv_slot_name", "arXiv name of a suppressed slot (pre-filter)"

    class Reason(models.TextChoices):
        ERASED = "erased", "Erased"
        OBJECTED = "objected", "Objected"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    digest = models.CharField(max_length=64, help_text="HMAC-SHA256 of the normalised identifier.")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "digest"], name="suppression_unique_digest")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.digest[:12]}…"


class MessageTemplate(models.Model):
    """The wording of one kind of e-mail to candidates or interviewers, in Django template
    syntax, edited by recruiters in the admin. Which variables each key may use is fixed in
    ``hiring.services.message_templates``; the admin refuses a template that uses another."""

    class Key(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", "Privacy notice (GDPR Art. 14), to the candidate"
        TAKEHOME_LINK = "takehome_link", "Take-home link, to the candidate"
        INTERVIEW_INVITATION = "interview_invitation", "Interview invitation, to the candidate"
        INTERVIEW_INVITATION_INTERVIEWER = (
            "interview_invitation_interviewer",
            "Interview invitation, to each interviewer",
        )
        INTERVIEW_RESCHEDULED = "interview_rescheduled", "Interview moved, to the candidate"
        INTERVIEW_RESCHEDULED_INTERVIEWER = (
            "interview_rescheduled_interviewer",
            "Interview moved, to each interviewer",
        )
        INTERVIEW_CANCELLED = "interview_cancelled", "Interview cancelled, to the candidate"
        INTERVIEW_CANCELLED_INTERVIEWER = (
            "interview_cancelled_interviewer",
            "Interview cancelled, to each interviewer",
        )

    key = models.CharField(max_length=64, choices=Key.choices, unique=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField("plain-text body")
    body_html = models.TextField(
        "HTML body", blank=True, help_text="Optional; without it the message is plain text only."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.get_key_display()


class Message(models.Model):
    """One e-mail, rendered when it was queued, and what became of it. Every message concerns a
    candidate and is logged on them, including those to interviewers about their interview.

    Personal data is held only in ``to_address``, ``subject``, ``body_text``, ``body_html`` and
    ``attachments`` (an erasure blanks those and keeps the record that a message was sent)."""

    class RecipientKind(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        INTERVIEWER = "interviewer", "Interviewer"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="messages")
    template_key = models.CharField(max_length=64, choices=MessageTemplate.Key.choices)
    recipient_kind = models.CharField(max_length=16, choices=RecipientKind.choices)
    to_address = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text='[{"filename", "content_type", "content"}]: text attachments (.ics), kept so '
        "a retry sends exactly what was queued.",
    )
    concerns = models.CharField(
        max_length=64, blank=True, help_text='What the message is about, e.g. "interview:12".'
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Raised by a recruiter's retry, so a message that used up its attempts gets a new round
    # while ``attempts`` keeps counting every try.
    max_attempts = models.PositiveSmallIntegerField()
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField()
    # When the sweeper may send it again (after a failure: the end of the backoff).
    next_attempt_at = models.DateTimeField()
    # Held by the attempt sending it (compare-and-set): a redelivered task finds it taken.
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [
            models.Index(fields=["candidate", "id"], name="message_candidate_id"),
            # The sweeper's query: unsent messages by when they are due.
            models.Index(
                fields=["next_attempt_at"],
                name="message_unsent_due",
                condition=Q(status__in=["queued", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_key} → {self.recipient_kind} ({self.status})"
