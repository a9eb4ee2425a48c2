"""Forms of the interviewer and candidate pages. They only shape input; the rules (evidence
required, ranges, submission) are the services', whose errors ``apply_service_errors`` maps back
onto these fields so the page shows each error next to its field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from hiring.models import Competency
from interviews.models import Recommendation, TakeHomeCriterion

NO_EVIDENCE = "none"
RATING_CHOICES = [
    ("1", "1 — basic"),
    ("2", "2 — working"),
    ("3", "3 — strong"),
    ("4", "4 — exceptional"),
    (NO_EVIDENCE, "No evidence"),
]
SCORE_CHOICES = RATING_CHOICES[:4]


class ScorecardForm(forms.Form):
    """One rating radio group and one evidence box per focus competency."""

    recommendation = forms.ChoiceField(
        choices=Recommendation.choices, required=False, widget=forms.RadioSelect
    )
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, competencies: Iterable[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        for competency in self.competencies:
            self.fields[f"rating_{competency.slug}"] = forms.ChoiceField(
                label=f"Rating for {competency.name}",
                choices=RATING_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"evidence_{competency.slug}"] = forms.CharField(
                label=f"Evidence for {competency.name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What the candidate said or did. Required for a rating.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for competency in self.competencies:
            # Evidence with no choice is ambiguous: it could be a rating still to pick or a note
            # under "no evidence". Ask rather than guess.
            if (
                not data.get(f"rating_{competency.slug}")
                and (data.get(f"evidence_{competency.slug}") or "").strip()
            ):
                self.add_error(
                    f"rating_{competency.slug}", 'Choose a rating, or "No evidence", for this note.'
                )
        return data

    def blocks(self) -> list[tuple[Competency, forms.BoundField, forms.BoundField]]:
        return [
            (c, self[f"rating_{c.slug}"], self[f"evidence_{c.slug}"]) for c in self.competencies
        ]

    def ratings(self) -> list[tuple[str, int | None, str]]:
        """(slug, rating or None for "no evidence", evidence) for every answered competency."""
        answers: list[tuple[str, int | None, str]] = []
        for competency in self.competencies:
            raw = self.cleaned_data.get(f"rating_{competency.slug}") or ""
            evidence = self.cleaned_data.get(f"evidence_{competency.slug}") or ""
            if raw == "":
                continue
            answers.append((competency.slug, None if raw == NO_EVIDENCE else int(raw), evidence))
        return answers

    @staticmethod
    def initial_from(
        values: Mapping[str, tuple[int | None, str]], recommendation: str, summary: str
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {"recommendation": recommendation, "summary": summary}
        for slug, (rating, evidence) in values.items():
            initial[f"rating_{slug}"] = NO_EVIDENCE if rating is None else str(rating)
            initial[f"evidence_{slug}"] = evidence
        return initial


class AmendmentForm(ScorecardForm):
    """A correction to a submitted scorecard, prefilled with its current values: only what the
    author changes is recorded (by ``scorecard_amend``), with the reason."""

    reason = forms.CharField(
        label="Why you are correcting it",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the scorecard is corrected."},
    )

    def __init__(self, *args: Any, competencies: Iterable[Competency], **kwargs: Any) -> None:
        super().__init__(*args, competencies=competencies, **kwargs)
        # The summary is not amendable; the ratings and the recommendation are.
        del self.fields["summary"]


class GradeForm(forms.Form):
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, criteria: Iterable[TakeHomeCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=f"Score for {criterion.title}",
                choices=SCORE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on {criterion.title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def blocks(self) -> list[tuple[TakeHomeCriterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> list[tuple[int, int | None, str]]:
        return [
            (
                c.pk,
                int(raw) if (raw := self.cleaned_data.get(f"score_{c.pk}")) else None,
                self.cleaned_data.get(f"comment_{c.pk}") or "",
            )
            for c in self.criteria
        ]


class TakeHomeSubmissionForm(forms.Form):
    submission_file = forms.FileField(
        label="Upload your work",
        required=False,
        help_text="A .zip, .tar.gz, .ipynb, .py, .pdf or .md file.",
    )
    repository_url = forms.URLField(
        label="Or the link to your repository",
        required=False,
        assume_scheme="https",
        help_text="An https:// link we can open without an account.",
    )


def apply_service_errors(
    form: forms.Form, error: ValidationError, field_for: Mapping[str, str]
) -> None:
    """Attach a service ``ValidationError`` to the form: keys found in ``field_for`` go to that
    field, everything else to the form as a whole."""
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for key, texts in messages.items():
        field = field_for.get(key)
        for text in texts:
            form.add_error(field if field in form.fields else None, text)
