"""Typed parameters per kind of sourcing run, validated once when a run is launched (from the
API, the admin, a command or beat alike). A value out of range is a field error naming it, never
a silent clamp. Stored on the run as JSON with the keys the engines and the API have always used
(``from``, ``to``, ``set``...); only the values given are stored, so a run's parameters read as
what was asked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from django.core.exceptions import ValidationError

from sourcing.models import SourcingRun

MAX_QUERY_LENGTH = 2000
MAX_RESULTS = 30_000
MAX_PAGE_SIZE = 2000  # arXiv's documented maximum per request
MAX_SET_LENGTH = 64


def _date(errors: dict[str, list[str]], key: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(key, []).append(f"{value!r} is not a YYYY-MM-DD date.")
        return None


def _whole(
    errors: dict[str, list[str]], key: str, value: Any, *, low: int, high: int | None = None
) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.setdefault(key, []).append("Expected a whole number.")
        return None
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        errors.setdefault(key, []).append(f"Expected a whole number {bound}, not {value}.")
        return None
    return value


def _text(errors: dict[str, list[str]], key: str, value: Any, *, limit: int) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        errors.setdefault(key, []).append("Expected text.")
        return None
    if len(value) > limit:
        errors.setdefault(key, []).append(f"At most {limit} characters.")
        return None
    return value


def _flag(errors: dict[str, list[str]], key: str, value: Any) -> bool | None:
    if value in (None, ""):
        return None
    if not isinstance(value, bool):
        errors.setdefault(key, []).append("Expected true or false.")
        return None
    return value or None


@dataclass(frozen=True)
class RunParameters:
    """Base of each kind's parameters. ``KEYS`` maps a JSON key to its field name."""

    KEYS: ClassVar[dict[str, str]] = {}

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Self:
        unknown = sorted(set(raw) - set(cls.KEYS))
        errors: dict[str, list[str]] = {}
        if unknown:
            errors["parameters"] = [f"Unknown parameter {key!r}." for key in unknown]
        values = cls._clean(errors, {cls.KEYS[k]: v for k, v in raw.items() if k in cls.KEYS})
        if errors:
            raise ValidationError(errors)
        return cls(**values)

    @classmethod
    def _clean(cls, errors: dict[str, list[str]], raw: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def as_json(self) -> dict[str, Any]:
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {
            key: (value.isoformat() if isinstance(value, dt.date) else value)
            for key, name in self.KEYS.items()
            if (value := fields[name]) not in (None, "", [], False)
        }


@dataclass(frozen=True)
class ApiParameters(RunParameters):
    """The arXiv query API: a query (default: built from the role), submission dates, how many
    results in all and per request."""

    KEYS: ClassVar[dict[str, str]] = {
        "query": "query",
        "from": "from_date",
        "to": "to_date",
        "max_results": "max_results",
        "page_size": "page_size",
    }
    DEFAULT_MAX_RESULTS: ClassVar[int] = 1_000
    DEFAULT_PAGE_SIZE: ClassVar[int] = 200

    query: str | None = None
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    max_results: int | None = None
    page_size: int | None = None

    @classmethod
    def _clean(cls, errors: dict[str, list[str]], raw: dict[str, Any]) -> dict[str, Any]:
        start = _date(errors, "from", raw.get("from_date"))
        end = _date(errors, "to", raw.get("to_date"))
        if start and end and start > end:
            errors.setdefault("to", []).append("Must not be before the start date.")
        return {
            "query": _text(errors, "query", raw.get("query"), limit=MAX_QUERY_LENGTH),
            "from_date": start,
            "to_date": end,
            "max_results": _whole(
                errors, "max_results", raw.get("max_results"), low=1, high=MAX_RESULTS
            ),
            "page_size": _whole(
                errors, "page_size", raw.get("page_size"), low=1, high=MAX_PAGE_SIZE
            ),
        }

    @property
    def results_wanted(self) -> int:
        return self.max_results or self.DEFAULT_MAX_RESULTS

    @property
    def results_per_page(self) -> int:
        return self.page_size or self.DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class OaiParameters(RunParameters):
    """An OAI-PMH harvest of one set, from a datestamp (default: where the last one stopped)."""

    KEYS: ClassVar[dict[str, str]] = {
        "set": "set_spec",
        "from": "from_date",
        "until": "until_date",
        "all_roles": "all_roles",
    }

    set_spec: str | None = None
    from_date: dt.date | None = None
    until_date: dt.date | None = None
    all_roles: bool | None = None

    @classmethod
    def _clean(cls, errors: dict[str, list[str]], raw: dict[str, Any]) -> dict[str, Any]:
        start = _date(errors, "from", raw.get("from_date"))
        end = _date(errors, "until", raw.get("until_date"))
        if start and end and start > end:
            errors.setdefault("until", []).append("Must not be before the start date.")
        return {
            "set_spec": _text(errors, "set", raw.get("set_spec"), limit=MAX_SET_LENGTH),
            "from_date": start,
            "until_date": end,
            "all_roles": _flag(errors, "all_roles", raw.get("all_roles")),
        }


@dataclass(frozen=True)
class SnapshotParameters(RunParameters):
    """A bulk snapshot file on the server, the categories to keep, and how it is read."""

    KEYS: ClassVar[dict[str, str]] = {
        "path": "path",
        "categories": "categories",
        "skip_invalid": "skip_invalid",
        "batch_size": "batch_size",
    }

    path: str = ""
    categories: tuple[str, ...] = ()
    skip_invalid: bool | None = None
    batch_size: int | None = None

    @classmethod
    def _clean(cls, errors: dict[str, list[str]], raw: dict[str, Any]) -> dict[str, Any]:
        path = _text(errors, "path", raw.get("path"), limit=4096)
        if path is None and "path" not in errors:
            errors["parameters"] = ["A snapshot run needs a file path."]
        categories = raw.get("categories") or []
        if not isinstance(categories, list | tuple) or not all(
            isinstance(c, str) and c for c in categories
        ):
            errors.setdefault("categories", []).append("Expected a list of categories.")
            categories = []
        return {
            "path": path or "",
            "categories": tuple(categories),
            "skip_invalid": _flag(errors, "skip_invalid", raw.get("skip_invalid")),
            "batch_size": _whole(errors, "batch_size", raw.get("batch_size"), low=1),
        }

    def as_json(self) -> dict[str, Any]:
        data = super().as_json()
        if self.categories:
            data["categories"] = list(self.categories)
        return data


PARAMETERS: dict[str, type[RunParameters]] = {
    SourcingRun.Kind.API: ApiParameters,
    SourcingRun.Kind.OAI: OaiParameters,
    SourcingRun.Kind.SNAPSHOT: SnapshotParameters,
}


def parameters_parse(*, kind: str, raw: Mapping[str, Any]) -> RunParameters:
    """The typed parameters of a run of ``kind``; raises ``ValidationError`` with field errors."""
    if kind not in PARAMETERS:
        raise ValidationError({"kind": [f'"{kind}" is not a kind of run.']})
    return PARAMETERS[kind].parse(raw)


def api_parameters(run: SourcingRun) -> ApiParameters:
    return ApiParameters.parse(run.parameters)


def oai_parameters(run: SourcingRun) -> OaiParameters:
    return OaiParameters.parse(run.parameters)


def snapshot_parameters(run: SourcingRun) -> SnapshotParameters:
    return SnapshotParameters.parse(run.parameters)
