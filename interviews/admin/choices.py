"""What a form's search was asked for: the interview form's kit and the take-home form's template
follow the application chosen on the form, which ``role_choices.js`` sends along."""

from __future__ import annotations

from django.http import HttpRequest


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
