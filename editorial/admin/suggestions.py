"""The suggestion review page of the article admin.

`SuggestionReviewAdminMixin` adds /admin/articles/article/<id>/suggestions/ to an article
ModelAdmin: the finder's suggestions with their text in context, to confirm, reject or
reassign one by one or all at once; ambiguous short forms to resolve; unknown names to
turn into an entity in one click. Every change is a POST with CSRF to the same URL, then a
redirect back. Saving an article in the admin refreshes its suggestions. The writes are
services in workflow.review; this module only reads the request and renders.

Each decision is an article write: every form carries the version the page shows
(`expected_version`), and a decision on a version someone else has moved past gets the
same message as a stale save, with nothing changed.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from articles.models import Mention, MentionState
from core.search_keys import key_parts, term_keys
from editorial.admin.links import entity_links
from entities.models import Alias, Entity, EntityKind
from mentions.models import CandidateKind, CandidateState, MentionCandidate
from mentions.suggestions import (
    article_document,
    article_publish_warnings,
    article_suggestions_refresh,
)
from workflow import review as services
from workflow.articles import StaleArticleError

CONTEXT_CHARS = 70


class ReassignForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=Entity.objects.active())

    def __init__(self, *args, admin_site=None, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        field = self.fields["entity"]
        field.widget = AutocompleteSelect(
            Mention._meta.get_field("entity"), admin_site or admin.site
        )
        field.widget.choices = field.choices


def in_context(text: str, start: int | None, end: int | None) -> dict[str, str]:
    """The matched text with some words around it, for the review page."""
    if start is None or end is None or end > len(text):
        return {"before": "", "match": "", "after": ""}
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS:
        before = "…" + before.split(" ", 1)[-1]
    if end + CONTEXT_CHARS < len(text):
        after = after.rsplit(" ", 1)[0] + "…"
    return {"before": _flat(before), "match": text[start:end], "after": _flat(after)}


def _occurrence_rows(document: dict[str, str], occurrences: list[dict]) -> list[dict]:
    """Each stored occurrence with its text in context, for the review page."""
    rows = []
    for index, where in enumerate(occurrences or ()):
        span = where.get("span") or [None, None]
        field = where.get("field", "")
        rows.append(
            {
                "index": index,
                "field": field,
                "context": in_context(document.get(field, ""), span[0], span[1]),
            }
        )
    return rows


def _flat(text: str) -> str:
    """Context on one line: paragraph breaks and subheading marks become " ¶ "."""
    return _BREAK.sub(" ¶ ", text)


_BREAK = re.compile(r"\s*\n\s*(?:## )?")
FIELD_ORDER = {"headline": 0, "standfirst": 1, "body": 2}


class SuggestionReviewAdminMixin:
    """Mix into the Article ModelAdmin (before admin.ModelAdmin)."""

    suggestions_template = "admin/articles/article/suggestions.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/suggestions/",
                self.admin_site.admin_view(
                    require_http_methods(["GET", "POST"])(self.suggestions_view)
                ),
                name="{}_{}_suggestions".format(*info),
            ),
            *super().get_urls(),
        ]

    def suggestions_notice(self, request, article) -> None:
        """The save services re-ran the finder; tell the editor what awaits review."""
        pending = article.mentions.filter(state=MentionState.SUGGESTED).count()
        open_names = MentionCandidate.objects.filter(
            article=article, state=CandidateState.OPEN
        ).count()
        if pending or open_names:
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_suggestions",
                args=[article.pk],
            )
            self.message_user(
                request,
                format_html(
                    '{} suggestion(s) and {} name(s) await review: <a href="{}">review them</a>.',
                    pending,
                    open_names,
                    url,
                ),
                messages.INFO,
            )

    def suggestions_view(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            try:
                note = self._apply(request, article)
            except services.PossibleDuplicateError as exc:
                self.message_user(
                    request,
                    format_html(
                        "Not created: {} may be {}. Link it to that record below, or "
                        "create a new one anyway.",
                        exc.name,
                        entity_links(exc.existing),
                    ),
                    messages.WARNING,
                )
            except StaleArticleError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                if note:
                    self.message_user(request, note, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return TemplateResponse(request, self.suggestions_template, self._context(request, article))

    def _context(self, request, article):
        document = article_document(article)
        mentions = list(
            Mention.objects.filter(article=article).select_related("entity").order_by("pk")
        )
        mentions.sort(key=lambda m: (FIELD_ORDER.get(m.field, 3), m.span_start or 0, m.pk))
        candidates = list(
            MentionCandidate.objects.filter(article=article, state=CandidateState.OPEN)
            .prefetch_related(Prefetch("candidates", queryset=Entity.objects.order_by("name")))
            .order_by("kind", "span_start", "pk")
        )
        rows = []
        for mention in mentions:
            rows.append(
                {
                    "mention": mention,
                    "context": in_context(
                        document.get(mention.field, ""), mention.span_start, mention.span_end
                    ),
                    "reassign": ReassignForm(admin_site=self.admin_site, prefix=f"m{mention.pk}"),
                }
            )
        duplicates = _existing_records(
            [c.text for c in candidates if c.kind == CandidateKind.UNKNOWN]
        )
        candidate_rows = [
            {
                "candidate": candidate,
                "context": in_context(
                    document.get(candidate.field, ""), candidate.span_start, candidate.span_end
                ),
                "existing": duplicates.get(candidate.text, []),
                "occurrences": _occurrence_rows(document, candidate.occurrences),
            }
            for candidate in candidates
        ]
        for row in rows:
            row["occurrences"] = _occurrence_rows(document, row["mention"].occurrences)
        suggested = [r for r in rows if r["mention"].state == MentionState.SUGGESTED]
        media = (
            self.media
            + forms.Media(js=["admin/js/jquery.init.js"])
            + (rows[0]["reassign"].media if rows else forms.Media())
        )
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Entity suggestions: {article}",
            "article": article,
            "suggested": suggested,
            "confirmed": [r for r in rows if r["mention"].state == MentionState.CONFIRMED],
            "rejected": [r for r in rows if r["mention"].state == MentionState.REJECTED],
            "ambiguous": [
                r for r in candidate_rows if r["candidate"].kind == CandidateKind.AMBIGUOUS
            ],
            "unknown": [r for r in candidate_rows if r["candidate"].kind == CandidateKind.UNKNOWN],
            # Creating an entity is an entity write: only for users who may add entities.
            "entity_kinds": [
                (kind, EntityKind(kind).label) for kind in services.CANDIDATE_ENTITY_KINDS
            ]
            if services.may_create_entities(request.user)
            else [],
            "warnings": article_publish_warnings(article),
            "media": media,
            "change_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[article.pk]
            ),
        }

    def _apply(self, request, article) -> str:
        """Carry out one POSTed decision; returns the message for the editor."""
        action = request.POST.get("action", "")
        if action == "refresh":
            result = article_suggestions_refresh(article=article)
            return (
                f"{len(result.suggested)} new suggestion(s), "
                f"{len(result.candidates)} new candidate(s)."
            )
        if action not in DECISIONS:
            raise ValidationError(f"Unknown action “{action}”.")
        if action == "confirm_all":
            count = services.mentions_confirm_all(article=article, **_write_as(request))
            return f"Confirmed {count} suggestion(s)."
        if action in {"confirm", "reject", "reassign"}:
            mention = get_object_or_404(
                Mention, article=article, pk=_int(request.POST.get("mention"))
            )
            write = _write_as(request)
            if action == "confirm":
                services.mention_confirm(mention=mention, **write)
                return f"Confirmed {mention.entity}."
            if action == "reject":
                services.mention_reject(mention=mention, **write)
                return f"Rejected {mention.entity}; it will not be suggested again."
            form = ReassignForm(request.POST, admin_site=self.admin_site, prefix=f"m{mention.pk}")
            if not form.is_valid():
                raise ValidationError("Choose the entity this text stands for.")
            target = services.mention_reassign(
                mention=mention, entity=form.cleaned_data["entity"], **write
            )
            return f"“{mention.matched_text}” now links to {target.entity}."
        if action in {"resolve", "dismiss", "create_entity", "resolve_occurrences"}:
            candidate = get_object_or_404(
                MentionCandidate, article=article, pk=_int(request.POST.get("candidate"))
            )
            write = _write_as(request)
            if action == "dismiss":
                services.candidate_dismiss(candidate=candidate, **write)
                return f"Dismissed “{candidate.text}”."
            if action == "resolve_occurrences":
                count = len(candidate.occurrences)
                choices = [request.POST.get(f"occurrence-{i}", "") for i in range(count)]
                links = services.candidate_resolve_occurrences(
                    candidate=candidate,
                    choices=[_int(choice) if choice else None for choice in choices],
                    **write,
                )
                names = ", ".join(str(link.entity) for link in links)
                return f"“{candidate.text}” links to {names}, occurrence by occurrence."
            if action == "resolve":
                pk = _int(request.POST.get("entity"))
                entity = candidate.candidates.filter(pk=pk).first() or next(
                    (e for e in services.possible_duplicates(names=[candidate.text]) if e.pk == pk),
                    None,
                )
                if entity is None:
                    raise ValidationError("Choose one of the listed entities.")
                services.candidate_resolve(candidate=candidate, entity=entity, **write)
                return f"“{candidate.text}” links to {entity}."
            entity = services.candidate_create_entity(
                candidate=candidate,
                kind=request.POST.get("kind", EntityKind.PERSON),
                allow_duplicate=request.POST.get("allow_duplicate") == "1",
                **write,
            )
            return f"Created {entity.get_kind_display().lower()} {entity} and linked it."
        raise ValidationError(f"Unknown action “{action}”.")


DECISIONS = {
    "confirm",
    "reject",
    "reassign",
    "confirm_all",
    "resolve",
    "dismiss",
    "create_entity",
    "resolve_occurrences",
}


def _write_as(request) -> dict:
    """Who decides, on which version of the article (the one the page showed)."""
    try:
        return {"actor": request.user, "expected_version": int(request.POST["expected_version"])}
    except (KeyError, ValueError):
        raise ValidationError(
            "This page is out of date (it did not say which version of the article it "
            "showed): reload it and decide again. Nothing was saved."
        ) from None


def _existing_records(names: list[str]) -> dict[str, list[Entity]]:
    """For each name, the active records it would duplicate (two queries for all)."""
    if not names:
        return {}
    found = list(
        Entity.objects.active()
        .sharing_a_name_with(names)
        .prefetch_related(Prefetch("aliases", queryset=Alias.objects.only("entity", "search_key")))
        .order_by("name")
    )
    keys_of = {
        entity.pk: key_parts(entity.search_key).union(
            *(key_parts(alias.search_key) for alias in entity.aliases.all())
        )
        for entity in found
    }
    return {
        name: [e for e in found if keys_of[e.pk].intersection(term_keys(name))] for name in names
    }


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such item.") from None
