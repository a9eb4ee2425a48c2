"""Incremental harvest over OAI-PMH (``ListRecords``, metadataPrefix ``arXivRaw``).

``from=`` defaults to the last datestamp harvested for the set (``HarvestState``); each page is
one committed batch and the checkpoint holds the resumption token, so a killed harvest resumes
with the next page. Tokens expire (daily, on arXiv): a resumed run whose stored token is refused
with ``badResumptionToken`` starts over from its ``from`` date, which is safe because every write
is an upsert. ``noRecordsMatch`` is a successful harvest of nothing; every other OAI error, and
malformed XML, fails the run with the error."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.db.models import Q
from lxml import etree

from sourcing.arxiv.http import arxiv_session
from sourcing.arxiv.snapshot import parse_rfc2822
from sourcing.errors import PermanentSourcingError, TransientSourcingError
from sourcing.http.client import PoliteSession, WaitListener
from sourcing.http.errors import GaveUp, ThrottleUnavailable, WaitTooLong
from sourcing.models import HarvestState
from sourcing.people.names import parse_name, split_authors, tex_to_unicode
from sourcing.privacy import records_suppress
from sourcing.records import AuthorRecord, PaperRecord
from sourcing.runs.context import RunContext
from sourcing.runs.parameters import oai_parameters

OAI = "{http://www.openarchives.org/OAI/2.0/}"
RAW = "{http://arxiv.org/OAI/arXivRaw/}"
METADATA_PREFIX = "arXivRaw"
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


class OaiError(PermanentSourcingError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"OAI-PMH error {code}: {message}")
        self.code = code


class OaiPage:
    def __init__(self, root: Any) -> None:
        self.root = root
        list_records = root.find(f"{OAI}ListRecords")
        self.records = list(list_records.iter(f"{OAI}record")) if list_records is not None else []
        token = list_records.find(f"{OAI}resumptionToken") if list_records is not None else None
        self.token = (token.text or "").strip() if token is not None else ""
        size = token.get("completeListSize") if token is not None else None
        self.complete_size = int(size) if size and size.isdigit() else None


def parse_page(content: bytes) -> OaiPage:
    try:
        root = etree.fromstring(content, _STRICT)
    except etree.XMLSyntaxError as exc:
        raise PermanentSourcingError(f"OAI-PMH sent malformed XML: {exc}") from exc
    error = root.find(f"{OAI}error")
    if error is not None:
        raise OaiError(error.get("code", "unknown"), (error.text or "").strip())
    return OaiPage(root)


def _text(node: Any, name: str) -> str:
    found = node.find(f"{RAW}{name}")
    return " ".join((found.text or "").split()) if found is not None else ""


def parse_record(record: Any) -> tuple[PaperRecord | None, str]:
    """``(paper or None for a deleted record, datestamp)``."""
    header = record.find(f"{OAI}header")
    datestamp = (header.findtext(f"{OAI}datestamp") or "").strip()
    if header.get("status") == "deleted":
        return None, datestamp
    raw = record.find(f"{OAI}metadata/{RAW}arXivRaw")
    if raw is None:
        return None, datestamp
    versions = raw.findall(f"{RAW}version")
    dates = [parse_rfc2822(v.findtext(f"{RAW}date")) for v in versions]
    categories = _text(raw, "categories").split()
    names = split_authors(tex_to_unicode(_text(raw, "authors")))
    last = versions[-1].get("version", "v1") if versions else "v1"
    paper = PaperRecord(
        arxiv_id=_text(raw, "id"),
        latest_version=int(last.lstrip("v") or 1),
        title=tex_to_unicode(_text(raw, "title")),
        abstract=_text(raw, "abstract"),
        categories=categories,
        primary_category=categories[0] if categories else "",
        published=dates[0] if dates else None,
        updated=dates[-1] if dates else None,
        comment=_text(raw, "comments"),
        journal_ref=_text(raw, "journal-ref"),
        doi=_text(raw, "doi").split(" ")[0],
        authors=[AuthorRecord(raw=n, parts=parse_name(n)) for n in names],
    )
    return paper, datestamp


class OaiClient:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        session: PoliteSession | None = None,
        max_attempts: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        on_wait: WaitListener | None = None,
    ) -> None:
        self.base_url = base_url or settings.ARXIV_OAI_URL
        self.session = session or arxiv_session(attempts=max_attempts, sleep=sleep, on_wait=on_wait)

    def fetch(self, params: dict[str, str]) -> OaiPage:
        """One page. The session retries what can heal (a 503 with Retry-After is arXiv's flow
        control); what it could not get becomes a transient error, any other status a
        permanent one."""
        try:
            response = self.session.get(self.base_url, params=params)
        except (GaveUp, WaitTooLong) as exc:
            raise TransientSourcingError(f"OAI-PMH: {exc.problem} (gave up after retries)") from exc
        except ThrottleUnavailable as exc:
            raise TransientSourcingError(str(exc)) from exc
        if response.status_code == HTTPStatus.OK:
            return parse_page(response.content)
        # OAI errors normally come with 200; a 4xx may still carry one.
        if b"<error" in response.content:
            parse_page(response.content)
        raise PermanentSourcingError(f"OAI-PMH answered HTTP {response.status_code}")


def harvest_from(set_spec: str, explicit: str | None) -> str | None:
    if explicit:
        return explicit
    state = HarvestState.objects.filter(set_spec=set_spec).first()
    return state.last_datestamp.isoformat() if state and state.last_datestamp else None


def execute_oai_run(ctx: RunContext) -> None:
    params = oai_parameters(ctx.run)
    set_spec = params.set_spec or ""
    until = params.until_date.isoformat() if params.until_date else None
    if not ctx.run.checkpoint:
        explicit = params.from_date.isoformat() if params.from_date else None
        start = harvest_from(set_spec, explicit)
        ctx.commit(checkpoint={"from": start, "token": None, "latest": None, "done": False})
    client = OaiClient(on_wait=ctx.waiting)
    resumed_token = ctx.run.checkpoint.get("token")
    while not ctx.run.checkpoint.get("done"):
        cp: dict[str, Any] = dict(ctx.run.checkpoint)
        request = _request(cp, set_spec, until)
        try:
            page = client.fetch(request)
        except OaiError as exc:
            if exc.code == "noRecordsMatch":
                ctx.commit(checkpoint={**cp, "token": None, "done": True}, total=ctx.run.processed)
                break
            if exc.code == "badResumptionToken" and cp["token"] and cp["token"] == resumed_token:
                resumed_token = None
                ctx.commit(checkpoint={**cp, "token": None, "restarts": cp.get("restarts", 0) + 1})
                continue
            raise
        resumed_token = None
        records: list[PaperRecord] = []
        latest = cp.get("latest")
        for node in page.records:
            paper, datestamp = parse_record(node)
            if paper is not None and paper.arxiv_id:
                records.append(paper)
            if datestamp and (latest is None or datestamp > latest):
                latest = datestamp
        done = not page.token
        processed = ctx.run.processed + len(page.records)
        suppressed = records_suppress(records, ctx.suppression)
        ctx.commit(
            checkpoint={**cp, "token": page.token or None, "latest": latest, "done": done},
            records=records,
            processed=len(page.records),
            total=processed if done or not page.complete_size else page.complete_size,
            suppressed=suppressed,
        )
    latest = ctx.run.checkpoint.get("latest")
    if latest:
        harvest_state_advance(set_spec=set_spec, datestamp=dt.date.fromisoformat(latest[:10]))


def _request(cp: dict[str, Any], set_spec: str, until: str | None) -> dict[str, str]:
    if cp.get("token"):
        return {"verb": "ListRecords", "resumptionToken": cp["token"]}
    request = {"verb": "ListRecords", "metadataPrefix": METADATA_PREFIX}
    if set_spec:
        request["set"] = set_spec
    if cp.get("from"):
        request["from"] = cp["from"]
    if until:
        request["until"] = until
    return request


def harvest_state_advance(*, set_spec: str, datestamp: dt.date) -> None:
    """Move the set's high-water mark forward (never back: an older manual re-harvest must not
    make the nightly one start over)."""
    HarvestState.objects.get_or_create(set_spec=set_spec)
    HarvestState.objects.filter(
        Q(last_datestamp__isnull=True) | Q(last_datestamp__lt=datestamp), set_spec=set_spec
    ).update(last_datestamp=datestamp)
