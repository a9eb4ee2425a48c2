"""Retries, Retry-After, backoff, final answers, conditional requests and the User-Agent of the
polite session, through real HTTP to the local replay servers."""

from __future__ import annotations

import socket
from email.utils import formatdate

import pytest
import requests

from sourcing.http.errors import GaveUp, WaitTooLong
from tests.sourcing.github.replay import ReplayServer as RecordingServer
from tests.sourcing.http.conftest import USER_AGENT, polite_session
from tests.sourcing.replay import ReplayServer, Reply

PATH = "/resource"
NOW = 1_800_000_000.0


def _ok() -> Reply:
    return Reply(200, b"ok", content_type="text/plain")


def test_retry_after_in_seconds_is_waited_then_the_answer_returned(replay: ReplayServer) -> None:
    # given a 503 asking for 7 seconds, then the resource
    replay.add(PATH, {}, Reply(503, b"busy", headers={"Retry-After": "7"}), _ok())
    waits: list[float] = []

    # when
    response = polite_session(waits=waits).get(replay.url(PATH))

    # then the session waited what the server asked (not its own tiny backoff), once
    assert (response.status_code, response.text) == (200, "ok")
    assert waits == [7.0]
    assert len(replay.hits(PATH)) == 2


def test_retry_after_as_an_http_date_counts_from_now(replay: ReplayServer) -> None:
    # given a 429 whose Retry-After is a date 42 seconds after "now"
    when = formatdate(NOW + 42, usegmt=True)
    replay.add(PATH, {}, Reply(429, b"slow down", headers={"Retry-After": when}), _ok())
    waits: list[float] = []

    # when
    response = polite_session(waits=waits, clock=lambda: NOW).get(replay.url(PATH))

    # then
    assert response.status_code == 200
    assert waits == [42.0]


def test_backoff_doubles_with_jitter_up_to_the_cap_then_gives_up(replay: ReplayServer) -> None:
    # given an upstream that answers 502 to every attempt, without Retry-After
    replay.add(PATH, {}, Reply(502, b"bad gateway", content_type="text/plain"))
    waits: list[float] = []
    session = polite_session(waits=waits, attempts=5, backoff_base=4.0, max_wait=10.0)

    # when
    with pytest.raises(GaveUp) as raised:
        session.get(replay.url(PATH))

    # then: 2-4 s, 4-8 s, then 8-16 s and 16-32 s held to the 10 s cap; none after the last try
    assert len(replay.hits(PATH)) == 5
    assert len(waits) == 4
    assert 2 <= waits[0] <= 4
    assert 4 <= waits[1] <= 8
    assert 8 <= waits[2] <= 10
    assert waits[3] == 10.0
    assert raised.value.attempts == 5
    assert raised.value.problem == "HTTP 502"


def test_a_retry_after_beyond_max_wait_is_not_waited(replay: ReplayServer) -> None:
    replay.add(PATH, {}, Reply(503, b"maintenance", headers={"Retry-After": "3600"}))
    waits: list[float] = []

    with pytest.raises(WaitTooLong) as raised:
        polite_session(waits=waits, max_wait=120).get(replay.url(PATH))

    assert raised.value.seconds == 3600
    assert raised.value.response is not None
    assert raised.value.response.status_code == 503
    assert waits == []
    assert len(replay.hits(PATH)) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 422, 501])
def test_answers_that_cannot_heal_are_returned_at_once(replay: ReplayServer, status: int) -> None:
    replay.add(PATH, {}, Reply(status, b"no", headers={"Retry-After": "1"}), _ok())
    waits: list[float] = []

    response = polite_session(waits=waits).get(replay.url(PATH))

    assert response.status_code == status
    assert waits == []
    assert len(replay.hits(PATH)) == 1


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_answers_that_can_heal_are_retried(replay: ReplayServer, status: int) -> None:
    replay.add(PATH, {}, Reply(status, b"not now", content_type="text/plain"), _ok())
    waits: list[float] = []

    response = polite_session(waits=waits).get(replay.url(PATH))

    assert response.status_code == 200
    assert len(waits) == 1
    assert 0.005 <= waits[0] <= 0.01
    assert len(replay.hits(PATH)) == 2


def test_timeouts_are_retried_then_given_up(replay: ReplayServer) -> None:
    # given an upstream slower than the timeout
    replay.add(PATH, {}, Reply(200, b"late", delay=1.0))
    waits: list[float] = []

    with pytest.raises(GaveUp) as raised:
        polite_session(waits=waits, attempts=2, timeout=0.2).get(replay.url(PATH))

    assert isinstance(raised.value.error, requests.Timeout)
    assert raised.value.response is None
    assert len(waits) == 1
    assert len(replay.hits(PATH)) == 2


def test_refused_connections_are_retried_then_given_up() -> None:
    # given a port nothing listens on
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits: list[float] = []

    with pytest.raises(GaveUp) as raised:
        polite_session(waits=waits, attempts=3).get(f"http://127.0.0.1:{port}/")

    assert isinstance(raised.value.error, requests.ConnectionError)
    assert len(waits) == 2


class DictStore:
    """An ETag store in memory, to test the session without the database one."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, str]] = {}

    def get(self, key: str) -> tuple[str, str] | None:
        return self.rows.get(key)

    def put(self, key: str, *, url: str, etag: str, body: str) -> None:
        self.rows[key] = (etag, body)


def test_a_304_is_answered_from_the_store(recordings: RecordingServer) -> None:
    # given the real recorded 200 with an ETag, then the real recorded 304 for the same URL
    recordings.serve("repos-akfish-pygithub-200", "not-modified-304")
    store = DictStore()
    url = f"{recordings.base_url}/repos/akfish/PyGithub"
    headers = {"Accept": "application/vnd.github+json"}
    first = polite_session(etags=store).get_revalidated(url, headers=headers)

    # when another session (a later job) asks again
    session = polite_session(etags=store)
    again = session.get_revalidated(url, headers=headers)

    # then it revalidated with the stored ETag and answered with the stored body
    sent = recordings.requests_to("/repos/akfish/PyGithub")
    assert "if-none-match" not in sent[0].headers
    assert sent[1].headers["if-none-match"] == '"8600bedcb7fed1d8065e1693e05529ce"'
    assert not first.from_cache
    assert first.response.status_code == 200
    assert again.from_cache
    assert again.response.status_code == 304
    assert again.text == first.text
    assert '"full_name":"akfish/PyGithub"' in again.text
    assert list(store.rows) == [f"application/vnd.github+json {url}"]
    assert session.not_modified == 1


def test_what_was_stored_for_another_media_type_is_not_sent(recordings: RecordingServer) -> None:
    recordings.serve("repos-akfish-pygithub-200")
    store = DictStore()
    url = f"{recordings.base_url}/repos/akfish/PyGithub"
    polite_session(etags=store).get_revalidated(url, headers={"Accept": "application/json"})

    polite_session(etags=store).get_revalidated(url, headers={"Accept": "text/html"})

    assert ["if-none-match" in r.headers for r in recordings.received] == [False, False]


def test_our_user_agent_goes_out_unless_the_caller_sends_its_own(
    recordings: RecordingServer,
) -> None:
    recordings.serve("users-bobsmith")
    url = f"{recordings.base_url}/users/bobsmith"
    session = polite_session()

    session.get(url)
    session.get(url, headers={"User-Agent": "arxiv.py/4"})

    assert [r.headers["user-agent"] for r in recordings.received] == [USER_AGENT, "arxiv.py/4"]
