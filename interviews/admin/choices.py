"""What the scheduling forms offer: the interview form's kit and the take-home form's template
follow the application chosen on the form, which ``role_choices.js`` sends along; interviewers
and graders are listed by name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest


def person_label(user: Any) -> str:
    """An interviewer or grader as "Wanda Walker (walker)": recruiters know their colleagues by
    name; the username tells apart two of the same name. No name given: the username alone."""
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else str(user.get_username())


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """Interviewers or graders offered as ``person_label`` shows them."""

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


def chosen_application(request: HttpRequest, *, model_name: str, field_name: str) -> int | None:
    """The application chosen on that form, when this search is that field's and one is;
    ``None`` otherwise (no application chosen yet, another search, or not a number)."""
    application = request.GET.get("application", "")
    if (
        request.GET.get("model_name") == model_name
        and request.GET.get("field_name") == field_name
        and application.isdigit()
    ):
        return int(application)
    return None
