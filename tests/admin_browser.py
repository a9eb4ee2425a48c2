"""Signing in to the admin in a real browser (the browser tests' shared first step)."""

from __future__ import annotations

from typing import Any

# The password every test user is made with (tests.hiring.factories.UserFactory).
PASSWORD = "pw-for-tests-1"


def admin_sign_in(
    browser: Any, live_server: Any, *, username: str, next_url: str = "", **context: Any
) -> tuple[Any, Any]:
    """A new browser context signed in to the admin as ``username``, on ``next_url`` (else the
    admin index); ``context``: the context's options. Returns (context, page)."""
    browser_context = browser.new_context(**context)
    page = browser_context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/?next={next_url or '/admin/'}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return browser_context, page
