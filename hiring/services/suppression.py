"""The suppression list: keyed hashes of the identifiers sourcing matches people on, for people
who were erased or objected. Sourcing checks every person it finds against it and skips those it
recognises, so an erasure is not undone by the next run, and Hirebar keeps no identifier of them:
only ``HMAC-SHA256(key, kind + normalised value)``, which cannot be turned back into the value
without the key, and cannot be matched across installations with different keys.

Normalisation is what makes a later sighting match: e-mail addresses and GitHub logins are
case-insensitive, ORCIDs are compared by their 16 digits, names by their folded form."""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.encoding import force_bytes

from hiring.models import Suppression

Kind = Suppression.Kind
_SPACES = re.compile(r"\s+")
_SEEN_LIMIT = 500_000
_ORCID_DIGITS = re.compile(r"[^0-9X]")


def _key() -> bytes:
    # A key of its own when configured; else derived from SECRET_KEY (a separate purpose string,
    # so the hashes say nothing about SECRET_KEY itself).
    configured = settings.HIREBAR_SUPPRESSION_KEY
    if configured:
        return force_bytes(configured)
    return hashlib.sha256(b"hirebar.suppression:" + force_bytes(settings.SECRET_KEY)).digest()


@functools.lru_cache(maxsize=2**18)
def fold_name(name: str) -> str:
    """A name as sourcing compares it: accents removed, case folded, punctuation and spacing
    collapsed ("Müller, J.-P." and "muller j p" are one form)."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    letters = re.sub(r"[^\w]+", " ", plain.casefold())
    return _SPACES.sub(" ", letters).strip()


def normalise(kind: str, value: str) -> str:
    value = (value or "").strip()
    if kind in {Kind.EMAIL, Kind.GITHUB_LOGIN}:
        return value.casefold()
    if kind == Kind.ORCID:
        digits = _ORCID_DIGITS.sub("", value.upper().removeprefix("HTTPS://ORCID.ORG/"))
        return digits
    if kind in {Kind.ARXIV_NAME, Kind.ARXIV_SLOT_NAME}:
        return fold_name(value)
    if kind == Kind.ARXIV_MENTION:
        # "<versionless arXiv id>|<name as written>": the one author slot on the one paper.
        arxiv_id, _, name = value.partition("|")
        return f"{arxiv_id.strip().lower()}|{fold_name(name)}"
    raise ValueError(f"unknown suppression kind {kind!r}")


def identifier_digest(kind: str, value: str) -> str:
    message = f"{kind}\x00{normalise(kind, value)}".encode()
    return hmac.digest(_key(), message, "sha256").hex()


def mention_value(arxiv_id: str, name: str) -> str:
    return f"{arxiv_id}|{name}"


def suppression_add(*, kind: str, values: Iterable[str], reason: str) -> int:
    """Suppress ``values`` of ``kind`` (blank ones ignored); returns how many were new. A
    mention also lists its name as ``ARXIV_SLOT_NAME``, the cheap pre-filter of the mention
    look-up (never a reason to skip anyone by itself)."""
    values = list(values)
    if kind == Kind.ARXIV_MENTION:
        names = [v.partition("|")[2] for v in values]
        suppression_add(kind=Kind.ARXIV_SLOT_NAME, values=names, reason=reason)
    digests = {identifier_digest(kind, v) for v in values if normalise(kind, v)}
    if not digests:
        return 0
    known = set(
        Suppression.objects.filter(kind=kind, digest__in=digests).values_list("digest", flat=True)
    )
    Suppression.objects.bulk_create(
        [Suppression(kind=kind, digest=d, reason=reason) for d in sorted(digests - known)],
        ignore_conflicts=True,  # a concurrent erasure of the same person
    )
    return len(digests - known)


@dataclass
class SuppressionSet:
    """The list as loaded once for a sourcing run or batch: ``contains`` hashes one value and
    looks it up in memory. Empty kinds cost nothing (``has``), so the common case of a list
    with no arXiv entries adds no work per author of a snapshot import."""

    digests: dict[str, frozenset[str]] = field(default_factory=dict)
    key: bytes = b""
    # Answers for values seen before: a snapshot import asks about the same names millions of
    # times (people publish many papers), and each answer costs a fold and an HMAC.
    _seen: dict[tuple[str, str], bool] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls) -> SuppressionSet:
        by_kind: dict[str, set[str]] = {}
        for kind, digest in Suppression.objects.values_list("kind", "digest").iterator():
            by_kind.setdefault(kind, set()).add(digest)
        return cls({k: frozenset(v) for k, v in by_kind.items()}, _key())

    def has(self, kind: str) -> bool:
        return bool(self.digests.get(kind))

    def contains(self, kind: str, value: str | None) -> bool:
        wanted = self.digests.get(kind)
        if not wanted or not value:
            return False
        memo = kind != Kind.ARXIV_MENTION  # a mention (one paper's slot) is rarely asked twice
        if memo and (answer := self._seen.get((kind, value))) is not None:
            return answer
        normal = normalise(kind, value)
        answer = bool(normal) and (
            hmac.digest(self.key, f"{kind}\x00{normal}".encode(), "sha256").hex() in wanted
        )
        if memo:
            if len(self._seen) > _SEEN_LIMIT:
                self._seen.clear()
            self._seen[(kind, value)] = answer
        return answer

    def any_of(self, kind: str, values: Iterable[str | None]) -> bool:
        return any(self.contains(kind, v) for v in values)


def is_suppressed(*, kind: str, value: str | None) -> bool:
    """One look-up without loading the list (for a single candidate being created)."""
    if not value or not normalise(kind, value):
        return False
    return Suppression.objects.filter(kind=kind, digest=identifier_digest(kind, value)).exists()
