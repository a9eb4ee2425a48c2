"""The site's front door in a real browser, offline: the landing page leads to the API docs, whose
Swagger UI must render from the app's own static files (any request leaving the live server is
aborted, as on a machine without internet)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _offline_page(browser: Any, live_server: Any) -> tuple[Any, Any, list[str]]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    ours = urlsplit(live_server.url).netloc
    blocked: list[str] = []

    def only_our_server(route: Any) -> None:
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_our_server)
    return context, page, blocked


def test_the_landing_page_leads_to_api_docs_that_render_offline(browser, live_server):
    context, page, blocked = _offline_page(browser, live_server)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    # when a new user opens the site root
    page.goto(f"{live_server.url}/")
    page.get_by_role("heading", name="Hirebar").wait_for()
    assert page.get_by_role("link", name="Recruiting admin").get_attribute("href") == "/admin/"
    assert page.get_by_role("link", name="Interviewer pages").is_visible()

    # and follows the API documentation link
    page.get_by_role("link", name="API documentation").click()

    # then Swagger UI renders the API's operations without reaching the internet
    page.locator(".swagger-ui .opblock-summary-path").first.wait_for()
    assert "/api/v1/applications/{id}/transitions/" in page.locator(".swagger-ui").inner_text()
    assert blocked == []
    # nothing the pages asked for was missing (favicon requests are the browser's own, unseen
    # here: tests/test_site.py)
    page.wait_for_load_state("networkidle")
    assert failed == []
    context.close()


def test_a_wrong_take_home_link_shows_the_sites_404(browser, live_server, settings):
    settings.DEBUG = True  # as under `make run`
    context, page, _ = _offline_page(browser, live_server)
    response = page.goto(f"{live_server.url}/take-home/not-a-real-token/")
    assert response.status == 404
    page.get_by_role("heading", name="Page not found").wait_for()
    assert "URLconf" not in page.content()
    context.close()
