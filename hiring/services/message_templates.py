"""The e-mail templates recruiters edit: which variables each key offers, checking a template
before it is saved (it must compile and use only its key's variables), rendering, and saving.

Templates are Django template syntax kept in the database, so they run in an engine of their own
with no template loaders: ``{% include %}`` and ``{% extends %}`` cannot reach the project's files,
and a template renders only the context it is given."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Node, Variable, VariableNode
from django.template.defaulttags import ForNode, IfNode, URLNode, WithNode
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.template.smartif import TokenBase

from core.events.recording import changes_between, event_record, fields_of, stored_fields_of
from hiring.models import MessageTemplate
from hiring.services._actors import User, _actor

Key = MessageTemplate.Key

# No loaders: nothing outside the stored text can be included or extended.
_ENGINE = Engine(loaders=[("django.template.loaders.locmem.Loader", {})], libraries={})

TEMPLATE_FIELDS = ("subject", "body_text", "body_html")


@dataclass(frozen=True)
class TemplateVariable:
    name: str
    help: str
    sample: Any


_WHEN = datetime(2027, 3, 9, 14, 30, tzinfo=UTC)
_CANDIDATE = TemplateVariable("candidate_name", "The candidate's full name.", "Ada Lovelace")
_CONTROLLER = TemplateVariable(
    "controller_name", "Who we are (setting HIREBAR_CONTROLLER_NAME).", "Example AI Ltd"
)
_OPENING = TemplateVariable("opening_title", "The opening's title.", "Senior ML Engineer, Ranking")
_STAGE = TemplateVariable("stage", "The interview stage, e.g. Pair debugging.", "Pair debugging")
_STAGE_ABOUT = TemplateVariable(
    "stage_about",
    "What the stage is about, in words for the candidate (no internal bars).",
    "We debug a small training script together.",
)
_STARTS = TemplateVariable("starts_at", 'Start time (UTC; use |date:"j F Y, H:i").', _WHEN)
_DURATION = TemplateVariable("duration_minutes", "Length in minutes.", 60)
_KIT = TemplateVariable("kit_name", "The interview kit's title.", "ML Engineer: pair debugging")
_INTERVIEWER = TemplateVariable("interviewer_name", "The interviewer's name.", "Grace Hopper")
_INTERVIEWER_URL = TemplateVariable(
    "interviewer_url", "The interviewer's page for this interview.", "https://hirebar/i/12/"
)
_PREVIOUS = TemplateVariable("previous_starts_at", "The time it was moved from (UTC).", _WHEN)
_REASON = TemplateVariable("reason", "The reason given for cancelling (may be empty).", "")

VARIABLES: dict[str, tuple[TemplateVariable, ...]] = {
    Key.PRIVACY_NOTICE: (
        _CANDIDATE,
        _CONTROLLER,
        TemplateVariable(
            "controller_contact",
            "Where to write about their data (setting HIREBAR_PRIVACY_CONTACT).",
            "privacy@example.org",
        ),
        TemplateVariable(
            "sources",
            'Where we found them: a list of {"kind", "title", "url"} (arXiv papers, GitHub '
            "repositories).",
            [
                {
                    "kind": "arXiv paper",
                    "title": "Sparse attention at scale",
                    "url": "https://arxiv.org/abs/2401.00001",
                }
            ],
        ),
        TemplateVariable(
            "held",
            "What we hold about them: a list of short texts.",
            ["your name", "your public e-mail address", "links to your public papers"],
        ),
        TemplateVariable("objection_url", "The link to object.", "https://hirebar/object/abc/"),
        TemplateVariable(
            "retention", "How long we keep the data (text).", "12 months after we last contact you"
        ),
    ),
    Key.TAKEHOME_LINK: (
        _CANDIDATE,
        _CONTROLLER,
        _OPENING,
        TemplateVariable("takehome_title", "The take-home's title.", "Ranking model take-home"),
        TemplateVariable("time_budget_minutes", "The suggested time budget in minutes.", 240),
        TemplateVariable(
            "link", "The candidate's personal link (one per assignment).", "https://h/t/x/"
        ),
        TemplateVariable("due_at", "When it is due (UTC).", _WHEN),
        TemplateVariable("link_expires_at", "When the link stops working (UTC).", _WHEN),
    ),
    Key.INTERVIEW_INVITATION: (
        _CANDIDATE,
        _CONTROLLER,
        _OPENING,
        _STAGE,
        _STAGE_ABOUT,
        _STARTS,
        _DURATION,
    ),
    Key.INTERVIEW_INVITATION_INTERVIEWER: (
        _INTERVIEWER,
        _CANDIDATE,
        _OPENING,
        _STAGE,
        _KIT,
        _STARTS,
        _DURATION,
        _INTERVIEWER_URL,
    ),
    Key.INTERVIEW_RESCHEDULED: (
        _CANDIDATE,
        _CONTROLLER,
        _OPENING,
        _STAGE,
        _STAGE_ABOUT,
        _PREVIOUS,
        _STARTS,
        _DURATION,
    ),
    Key.INTERVIEW_RESCHEDULED_INTERVIEWER: (
        _INTERVIEWER,
        _CANDIDATE,
        _OPENING,
        _STAGE,
        _KIT,
        _PREVIOUS,
        _STARTS,
        _DURATION,
        _INTERVIEWER_URL,
    ),
    Key.INTERVIEW_CANCELLED: (
        _CANDIDATE,
        _CONTROLLER,
        _OPENING,
        _STAGE,
        _STARTS,
    ),
    Key.INTERVIEW_CANCELLED_INTERVIEWER: (
        _INTERVIEWER,
        _CANDIDATE,
        _OPENING,
        _STAGE,
        _KIT,
        _STARTS,
        _REASON,
    ),
}


def variable_names(key: str) -> frozenset[str]:
    return frozenset(v.name for v in VARIABLES[key])


def sample_context(key: str) -> dict[str, Any]:
    """Made-up values of every variable of ``key``, for the admin's preview."""
    return {v.name: v.sample for v in VARIABLES[key]}


def compile_template(source: str) -> Template:
    """Raises ``TemplateSyntaxError`` when ``source`` does not compile."""
    return Template(source, engine=_ENGINE)


# --- the names a template reads -------------------------------------------------------------


def _expression_names(expression: FilterExpression) -> Iterator[str]:
    if isinstance(expression.var, Variable) and expression.var.lookups:
        yield expression.var.lookups[0]
    for _filter, arguments in expression.filters:
        for is_lookup, argument in arguments:
            if is_lookup and isinstance(argument, Variable) and argument.lookups:
                yield argument.lookups[0]


def _values_names(value: Any) -> Iterator[str]:
    """Names read by whatever a tag keeps: expressions, ``{% if %}`` conditions, and lists or
    dicts of them (``{% firstof %}``, ``{% cycle %}``, ``{% with %}``)."""
    if isinstance(value, FilterExpression):
        yield from _expression_names(value)
    elif isinstance(value, TokenBase):
        for part in (getattr(value, "value", None), value.first, value.second):
            if part is not None:
                yield from _values_names(part)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _values_names(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _values_names(item)


def _free_names(nodelist: Iterable[Any], bound: frozenset[str]) -> Iterator[str]:
    """Every context name ``nodelist`` reads that is not bound by an enclosing ``{% for %}`` or
    ``{% with %}``."""
    for node in nodelist:
        yield from (name for name in _node_names(node, bound) if name not in bound)


def _node_names(node: Node, bound: frozenset[str]) -> Iterator[str]:
    if isinstance(node, VariableNode):
        yield from _expression_names(node.filter_expression)
        return
    if isinstance(node, ForNode):
        yield from _values_names(node.sequence)
        inner = bound | set(node.loopvars) | {"forloop"}
        yield from _free_names(node.nodelist_loop, inner)
        yield from _free_names(node.nodelist_empty, bound)
        return
    if isinstance(node, WithNode):
        yield from _values_names(node.extra_context)
        yield from _free_names(node.nodelist, bound | set(node.extra_context))
        return
    if isinstance(node, IfNode):
        for condition, branch in node.conditions_nodelists:
            if condition is not None:
                yield from _values_names(condition)
            yield from _free_names(branch, bound)
        return
    for name, value in vars(node).items():
        if name not in node.child_nodelists:
            yield from _values_names(value)
    for attribute in node.child_nodelists:
        child = getattr(node, attribute, None)
        if child is not None:
            yield from _free_names(child, bound)


# Tags that would reach outside the stored text (other templates, the URL configuration): with
# no loaders they could only fail, and at send time, so they are refused when saved.
_FORBIDDEN_TAGS: dict[type[Node], str] = {
    IncludeNode: "{% include %}",
    ExtendsNode: "{% extends %}",
    URLNode: "{% url %}",
}


def _forbidden_tags(template: Template) -> list[str]:
    return [
        tag
        for node_type, tag in _FORBIDDEN_TAGS.items()
        if template.nodelist.get_nodes_by_type(node_type)
    ]


def template_errors(*, key: str, fields: Mapping[str, str]) -> dict[str, list[str]]:
    """Field errors for the template texts in ``fields`` (any of ``TEMPLATE_FIELDS``) of
    ``key``: each must compile and read only the variables of its key."""
    allowed = variable_names(key)
    errors: dict[str, list[str]] = {}
    for field, source in fields.items():
        try:
            template = compile_template(source)
        except TemplateSyntaxError as exc:
            errors[field] = [f"This template does not compile: {exc}"]
            continue
        if forbidden := _forbidden_tags(template):
            errors[field] = [
                f"{', '.join(forbidden)} cannot be used in e-mail templates: a template holds "
                "the whole message and links come from its variables."
            ]
            continue
        unknown = sorted(set(_free_names(template.nodelist, frozenset())) - allowed)
        if unknown:
            errors[field] = [
                f"Unknown variable{'s' if len(unknown) > 1 else ''} for this template: "
                f"{', '.join(unknown)}. Available: {', '.join(sorted(allowed))}."
            ]
            continue
        try:
            template.render(Context(sample_context(key), autoescape=field == "body_html"))
        except Exception as exc:  # anything a recruiter's template raises is theirs to fix
            errors[field] = [f"This template fails with sample values: {exc}"]
    if not (fields.get("subject") or "").strip() and "subject" in fields:
        errors.setdefault("subject", []).append("A message needs a subject.")
    return errors


# --- rendering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_text: str
    body_html: str


def render(*, template: MessageTemplate, context: Mapping[str, Any]) -> Rendered:
    """The message ``template`` gives with ``context``. The subject becomes one line (a header
    cannot hold a line break); text parts are not HTML-escaped, the HTML part is."""
    plain = Context(dict(context), autoescape=False)
    subject = " ".join(compile_template(template.subject).render(plain).split())
    body_text = compile_template(template.body_text).render(plain)
    body_html = ""
    if template.body_html.strip():
        body_html = compile_template(template.body_html).render(Context(dict(context)))
    return Rendered(subject=subject[:300], body_text=body_text.strip() + "\n", body_html=body_html)


def message_template_preview(*, key: str, fields: Mapping[str, str]) -> Rendered:
    """The template texts rendered with the key's sample values (they must be valid)."""
    unsaved = MessageTemplate(key=key, **{f: fields.get(f, "") for f in TEMPLATE_FIELDS})
    return render(template=unsaved, context=sample_context(key))


def message_template_update(
    *, template: MessageTemplate, fields: Mapping[str, str], by: User = None
) -> MessageTemplate:
    """Change the template's texts after checking them (``template_errors``); records
    ``message_template.updated``. Unchanged texts write nothing."""
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
    if errors := template_errors(key=template.key, fields=fields):
        raise ValidationError(errors)
    before = stored_fields_of(template, fields)
    for name, value in fields.items():
        setattr(template, name, value)
    changes = changes_between(before, fields_of(template, fields))
    if not changes:
        return template
    template.updated_by = _actor(by)
    with transaction.atomic():
        template.save(update_fields=[*changes, "updated_by", "updated_at"])
        event_record(type="message_template.updated", obj=template, changes=changes)
    return template
