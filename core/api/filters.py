"""Filter bases for every app's API: strict ids, booleans and times (a value that is none is a
400 naming the parameter, raised by the filter form before any query runs), and a FilterSet that
builds its form once per class."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters.fields import IsoDateTimeField
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import extend_schema_field

# The largest value a BIGINT primary key holds, in PostgreSQL and SQLite alike. A larger value
# must be refused by the form: inside a subquery, SQLite would raise OverflowError (a 500).
MAX_ID = 2**63 - 1
# An id as the schema states it: a client generated from it then never sends 0, -1 or 1.5.
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """A positive integer id; ``NumberFilter`` would accept ``1.5`` and Django would truncate it
    to 1."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class _RawBooleanWidget(BooleanWidget):
    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or 1/0); anything else is an error. django-filter's boolean reads an
    unknown value as "not given", so ``has_github=maybe`` would silently return everyone."""

    widget = _RawBooleanWidget

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # stubs: bool
        text = str(value).lower()
        if value is None or text == "":
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError("Expected true or false.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class _BoundedIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value: Any) -> dt.datetime | None:
        parsed: dt.datetime | None = super().to_python(value)
        if parsed is not None:
            try:
                # The database stores UTC; a time near year 1 or 9999 may not exist there.
                parsed.astimezone(dt.UTC)
            except OverflowError as exc:
                raise forms.ValidationError("Date out of range.", code="invalid") from exc
        return parsed


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 time; one whose UTC equivalent falls outside years 1-9999 is a 400, not an
    ``OverflowError`` while the query is built."""

    field_class = _BoundedIsoDateTimeField


class _SharedFieldsForm(forms.Form):
    """A form whose instances share their class's ``shared_fields`` instead of deep-copying the
    fields as Django does (so that one form may change its fields without affecting others).
    Filter forms only clean a query string: nothing changes or renders their fields."""

    shared_fields: ClassVar[dict[str, forms.Field]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = self.shared_fields


class PrebuiltFilterSet(django_filters.FilterSet):
    """A FilterSet that builds its form once per class instead of once per request.

    django-filter deep-copies every filter, builds a form class with new fields (and their labels)
    and Django deep-copies those fields into the form, on every request: a fifth of the CPU time of
    a candidate page. Here the form class and its fields are built on first use and shared, and
    each request gets shallow copies of the filters (all they hold per request is ``model`` and
    ``parent``). Validation is the same form's, so bad values are the same 400s. Subclasses must
    not change filters or form fields per request (per-request logic goes in ``filter_queryset``),
    and ``Meta.form`` is not used.
    """

    _prebuilt_form: ClassVar[type[_SharedFieldsForm] | None] = None

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        # FilterSet.__init__, with shallow copies of the filters instead of deep ones.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                # Re-binds the method to this copy, whose ``parent`` is this FilterSet.
                filter_.method = filter_.method
            self.filters[name] = filter_

    def get_form_class(self) -> type[forms.Form]:
        cls = type(self)
        form_class = cls.__dict__.get("_prebuilt_form")
        if form_class is None:
            filters = copy.deepcopy(cls.base_filters)
            for filter_ in filters.values():
                filter_.model = cls._meta.model
            form_class = type(
                f"{cls.__name__}Form",
                (_SharedFieldsForm,),
                {"shared_fields": {name: f.field for name, f in filters.items()}},
            )
            cls._prebuilt_form = form_class
        return form_class
