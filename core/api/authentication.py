"""Token authentication for the API (the default of every app's views, see settings)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.request import Request

from core.api import credentials
from core.events.acting import act_on_behalf_of

ON_BEHALF_OF = "On-Behalf-Of"
TOKEN_LENGTH = 40  # DRF keys: 40 hexadecimal characters
MAX_ID_DIGITS = 18  # a user id fits a BIGINT


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token check, refusing keys that cannot be a token before the query: a NUL byte in
    the header makes PostgreSQL raise ``DataError``, a 500 anyone able to send a header could
    trigger. Keys are 40 hexadecimal characters. Known tokens come from ``credentials`` (cached
    between requests when the settings allow)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        """The token's user; with an ``On-Behalf-Of: <user id>`` header, an integration acts for
        that person, and both are recorded on the events it causes. A header naming no active
        user is a 400 naming the header, before anything is written."""
        authenticated = super().authenticate(request)
        raw = request.headers.get(ON_BEHALF_OF)
        if authenticated is not None and raw is not None:
            act_on_behalf_of(_person(raw))
        return authenticated

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if len(key) > TOKEN_LENGTH or not (key.isascii() and key.isalnum()):
            raise AuthenticationFailed("Invalid token.")
        token = credentials.token_with_user(key=key)
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)


def _person(raw: str) -> Any:
    text = raw.strip()
    person = None
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        person = get_user_model()._default_manager.filter(pk=int(text), is_active=True).first()
    if person is None:
        raise ValidationError({ON_BEHALF_OF: [f"No active user with id {raw[:40]!r}."]})
    return person
