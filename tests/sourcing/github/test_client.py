"""The client against recorded GitHub responses served on 127.0.0.1: rate limits, conditional
requests, pagination, timeouts, the token."""

from __future__ import annotations

import pytest

from sourcing.github.api import GitHubApi
from sourcing.github.errors import BadUpstreamData, NotFound, RateLimited
from sourcing.github.toolkit import json_api
from tests.sourcing.github.replay import ReplayServer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _etiquette(settings) -> None:  # type: ignore[no-untyped-def]
    settings.GITHUB_TIMEOUT_SECONDS = 2
    settings.GITHUB_MAX_RETRIES = 2
    settings.GITHUB_MAX_WAIT_SECONDS = 120


def _api(
    replay: ReplayServer, waits: list[float], *, token: str = "", clock: float = 1_700_000_000.0
) -> GitHubApi:
    client = json_api(replay.base_url, sleep=waits.append, token=token, clock=lambda: clock)
    return GitHubApi(client)


def test_recorded_user_profile_is_parsed(replay: ReplayServer) -> None:
    # given the real recording of GET /users/jacquev6
    replay.serve("users-jacquev6-2025")

    # when
    profile = _api(replay, []).profile("jacquev6")

    # then
    assert profile.login == "jacquev6"
    assert profile.name == "Vincent Jacques"
    assert profile.blog == "http://vincent-jacques.net"
    assert profile.email == "vincent@vincent-jacques.net"
    assert profile.location == "France"
    assert profile.followers == 98
    assert profile.kind == "User"


def test_unknown_user_is_not_found(replay: ReplayServer) -> None:
    replay.serve("users-unknown-404")
    with pytest.raises(NotFound, match="404"):
        _api(replay, []).profile("ThisUserShouldReallyNotExist")


def test_secondary_limit_429_waits_retry_after_then_succeeds(replay: ReplayServer) -> None:
    # given a 429 with Retry-After: 3, then the profile
    replay.serve("secondary-limit-429", "users-bobsmith")
    waits: list[float] = []

    # when
    profile = _api(replay, waits).profile("bobsmith")

    # then the client waited exactly what GitHub asked, once, and retried
    assert profile.name == "Bob Smith"
    assert waits == [3.0]
    assert len(replay.requests_to("/users/bobsmith")) == 2


def test_primary_limit_403_without_reset_backs_off_then_gives_up(replay: ReplayServer) -> None:
    # given the real recording of an exhausted primary limit (no reset header in it)
    replay.serve("rate-limit-exceeded-403")
    waits: list[float] = []

    # when / then: exponential backoff with jitter, capped retries, a clear error
    with pytest.raises(RateLimited, match="API Rate Limit Exceeded"):
        _api(replay, waits).profile("jacquev6")
    assert len(replay.requests_to("/users/jacquev6")) == 3
    assert 30 <= waits[0] <= 60
    assert 60 <= waits[1] <= 120


def test_primary_limit_with_far_reset_fails_at_once(replay: ReplayServer) -> None:
    # given a 403 whose reset is hours away (more than max_wait)
    replay.serve("primary-limit-403-reset")
    waits: list[float] = []
    api = _api(replay, waits, clock=1_795_255_200 - 3600)

    # when / then: no hammering, no sleeping for an hour
    with pytest.raises(RateLimited, match="exceeds"):
        api.search_repositories('"2401.04567" in:readme', max_results=100)
    assert waits == []
    assert len(replay.received) == 1


def test_primary_limit_with_near_reset_waits_until_reset(replay: ReplayServer) -> None:
    replay.serve("primary-limit-403-reset", "sma-search-by-id")
    waits: list[float] = []
    api = _api(replay, waits, clock=1_795_255_200 - 30)

    found = api.search_repositories('"2401.04567" in:readme', max_results=100)

    assert waits == [31.0]
    assert len(found.repositories) == 5


def test_304_reuses_the_cached_body_across_clients(replay: ReplayServer) -> None:
    # given a 200 with an ETag, then the real recorded 304 for the same URL
    replay.serve("repos-akfish-pygithub-200", "not-modified-304")
    first = _api(replay, []).repository("akfish/PyGithub")

    # when a new client (a later job) asks again
    api = _api(replay, [])
    again = api.repository("akfish/PyGithub")

    # then it sent the ETag, got 304 and the same data
    requests = replay.requests_to("/repos/akfish/PyGithub")
    assert "if-none-match" not in requests[0].headers
    assert requests[1].headers["if-none-match"] == '"8600bedcb7fed1d8065e1693e05529ce"'
    assert again == first
    assert api.client.session.not_modified == 1


def test_search_follows_link_pagination_up_to_the_cap(replay: ReplayServer) -> None:
    # given the real 2014 search page (30 items, Link to page 2 of 34) and our page 2
    replay.serve("search-repositories-page1-2014", at=_page1("per_page=100"))
    replay.serve("search-repositories-page2-2014")

    # when
    found = _search(replay, max_results=1000)

    # then both pages were read and the result knows it is truncated
    assert len(found.repositories) == 32
    assert found.repositories[0].full_name == "kennethreitz/legit"
    assert found.repositories[0].stars > 0
    assert found.repositories[0].owner_login == "kennethreitz"
    assert found.total_count == 2723
    assert found.truncated


def test_search_stops_at_max_results_without_reading_more_pages(replay: ReplayServer) -> None:
    replay.serve("search-repositories-page1-2014", at=_page1("per_page=10"))
    found = _search(replay, max_results=10)
    assert len(found.repositories) == 10
    assert replay.requests_to("/search/repositories")[0].query["per_page"] == "10"
    assert len(replay.received) == 1


def test_search_with_no_results(replay: ReplayServer) -> None:
    replay.serve("search-repositories-empty", at="/search/repositories?q=doesnotexist&per_page=1")
    found = _api(replay, []).search_repositories("doesnotexist", max_results=1)
    assert found.repositories == []
    assert not found.truncated


def test_token_is_sent_only_when_set(replay: ReplayServer) -> None:
    replay.serve("users-bobsmith")
    _api(replay, []).profile("bobsmith")
    _api(replay, [], token="t0ken").profile("bobsmith")
    first, second = replay.requests_to("/users/bobsmith")
    assert "authorization" not in first.headers
    assert second.headers["authorization"] == "Bearer t0ken"


def test_timeouts_are_retried_then_reported(replay: ReplayServer, settings) -> None:  # type: ignore[no-untyped-def]
    replay.serve("users-bobsmith", delay=1.0)
    settings.GITHUB_TIMEOUT_SECONDS = 0.2
    settings.GITHUB_MAX_RETRIES = 1
    waits: list[float] = []
    api = GitHubApi(json_api(replay.base_url, sleep=waits.append))
    with pytest.raises(RateLimited, match="no answer"):
        api.profile("bobsmith")
    assert len(waits) == 1


def test_undocumented_readme_encoding_is_bad_data(replay: ReplayServer) -> None:
    replay.serve("readme-bad-base64")
    with pytest.raises(BadUpstreamData, match="encoding"):
        _api(replay, []).readme("bobsmith/sma-pytorch")


def test_server_errors_back_off_then_succeed(replay: ReplayServer) -> None:
    replay.serve("server-error-502", "repos-adalovelace--sparse-mixture-adapters")
    waits: list[float] = []
    repo = _api(replay, waits).repository("adalovelace/sparse-mixture-adapters")
    assert repo.stars == 412
    assert len(waits) == 1


def _page1(per_page: str) -> str:
    return f"/search/repositories?q=github+language%3APython&{per_page}"


def _search(replay: ReplayServer, *, max_results: int):  # type: ignore[no-untyped-def]
    return _api(replay, []).search_repositories("github language:Python", max_results=max_results)
