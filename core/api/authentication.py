"""Token authentication for the API (the default of every app's views, see settings)."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed

from core.api import credentials


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token check, refusing keys that cannot be a token before the query: a NUL byte in
    the header makes PostgreSQL raise ``DataError``, a 500 anyone able to send a header could
    trigger. Keys are 40 hexadecimal characters. Known tokens come from ``credentials`` (cached
    between requests when the settings allow)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if len(key) > 40 or not (key.isascii() and key.isalnum()):
            raise AuthenticationFailed("Invalid token.")
        token = credentials.token_with_user(key=key)
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)
