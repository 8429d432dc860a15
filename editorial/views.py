"""Editorial admin pages: workflow actions, revision history, diff, restore, dashboard, preview.

Wired into the admin by ArticleAdmin.get_urls (so every view runs behind admin_view:
staff login and CSRF). Writes go through workflow.articles; nothing changes on a GET.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from articles import selectors
from articles.models import (
    RELEASED_STATUSES,
    Article,
    ArticleStatus,
    CorrectionKind,
    EditorialStatus,
    Mention,
    MentionState,
    Revision,
    Section,
)
from articles.permissions import article_can, articles_visible_q
from core.zone import newsroom_zone
from entities.models import Entity
from mentions.suggestions import article_publish_warnings
from website.articles import article_context
from workflow import articles as services

from .diff import snapshot_diff
from .forms import NewsroomDateTimeInput, newsroom_zone_help

# ---------------------------------------------------------------------------------------
# Workflow actions


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class SendBackForm(TransitionForm):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(TransitionForm):
    publish_at = forms.DateTimeField(
        required=False,
        widget=NewsroomDateTimeInput,
        help_text="Empty: publish now. A future time schedules the article.",
    )
    embargo_until = forms.DateTimeField(
        required=False,
        widget=NewsroomDateTimeInput,
        help_text="Optional: not public before this time.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = newsroom_zone_help()
        for name in ("publish_at", "embargo_until"):
            self.fields[name].help_text += f" {zone}"


class WithdrawForm(TransitionForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class ReinstateForm(TransitionForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why it may be published again (kept in its history and the audit log).",
    )


class CorrectForm(TransitionForm):
    kind = forms.ChoiceField(choices=CorrectionKind.choices, initial=CorrectionKind.CORRECTION)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


ACTIONS = {
    "submit": ("Submit for review", TransitionForm),
    "send_back": ("Send back to draft", SendBackForm),
    "publish": ("Publish or schedule", PublishForm),
    "withdraw": ("Withdraw", WithdrawForm),
    "reinstate": ("Reinstate as draft", ReinstateForm),
    "correct": ("Publish a correction", CorrectForm),
}


def available_actions(article: Article, user) -> list[dict]:
    """The workflow actions this user may take on this article now, for buttons."""
    now = timezone.now()
    unreleased = article.status == ArticleStatus.SCHEDULED and not article.is_public(now)
    # Which the status allows now; whether this user may is articles.permissions' answer.
    possible = {
        "submit": article.status == ArticleStatus.DRAFT,
        "send_back": article.status == ArticleStatus.IN_REVIEW or unreleased,
        "publish": article.status in (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW) or unreleased,
        "withdraw": article.status in RELEASED_STATUSES,
        "reinstate": article.status == ArticleStatus.WITHDRAWN,
        "correct": bool(
            article.first_published_at
            and article.first_published_at <= now
            and article.status != ArticleStatus.WITHDRAWN
        ),
    }
    names = [name for name in ACTIONS if possible[name] and article_can(user, name, article)]
    return [
        {
            "name": name,
            "label": ACTIONS[name][0],
            "url": reverse("admin:articles_article_transition", args=[article.pk, name]),
        }
        for name in names
    ]


def _admin_context(request, title: str, article: Article | None = None) -> dict:
    return {
        **admin.site.each_context(request),
        "title": title,
        "opts": Article._meta,
        "article": article,
        "original": article,
    }


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _require_view(request) -> None:
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied("You may not see articles.")


def _article_for(request, pk: int, action: str = "view", queryset=None) -> Article:
    """The article, if this user may take `action` on it (articles.permissions): 404 when
    there is none, 403 up front when there is one they may not, before any form shows."""
    _require_view(request)
    article = get_object_or_404(queryset if queryset is not None else Article.objects, pk=pk)
    if not article_can(request.user, "view", article):
        raise PermissionDenied("You may not see this article.")
    if not article_can(request.user, action, article):
        raise PermissionDenied(f"You may not {ACTION_VERBS.get(action, action)} this article.")
    return article


ACTION_VERBS = {
    "edit": "edit",
    "preview": "preview",
    "submit": "submit",
    "send_back": "send back",
    "publish": "publish or schedule",
    "withdraw": "withdraw",
    "correct": "correct",
}


def _stale_html(error: services.StaleArticleError, article: Article):
    return format_html(
        '{} <a href="{}">Reload the latest version</a>.',
        error.message,
        reverse("admin:articles_article_change", args=[article.pk]),
    )


def _run_action(name: str, article: Article, user, data: dict):
    if name == "submit":
        return services.article_submit(article=article, actor=user)
    if name == "send_back":
        return services.article_send_back(article=article, actor=user, note=data.get("note", ""))
    if name == "publish":
        return services.article_publish(
            article=article,
            actor=user,
            publish_at=data.get("publish_at"),
            embargo_until=data.get("embargo_until"),
        )
    if name == "withdraw":
        return services.article_withdraw(article=article, actor=user, reason=data["reason"])
    if name == "reinstate":
        return services.article_reinstate(article=article, actor=user, reason=data["reason"])
    if name == "correct":
        return services.article_correct(
            article=article, actor=user, note=data["note"], kind=data["kind"]
        )
    raise Http404


def _publish_warnings(article: Article) -> list[str]:
    return article_publish_warnings(article)


@never_cache
@require_http_methods(["GET", "POST"])
def article_transition(request, pk: int, action: str):
    """GET shows the action's form; only a POST changes anything."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    article = _article_for(request, pk, action, Article.objects.select_related("author"))
    label, form_class = ACTIONS[action]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            article.version = form.cleaned_data["version"]
            try:
                _run_action(action, article, request.user, form.cleaned_data)
            except services.StaleArticleError as error:
                form.add_error(None, _stale_html(error, article))
                status = 409
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            except ValidationError as error:
                form.add_error(None, _error_text(error))
                status = 400
            else:
                messages.success(request, format_html("{}: “{}”.", label, article.headline))
                return redirect("admin:articles_article_change", article.pk)
        else:
            status = 400
    else:
        form = form_class(initial={"version": article.version})
    context = {
        **_admin_context(request, f"{label}: {article.headline}", article),
        "form": form,
        "action_label": label,
        "action_name": action,
        "warnings": _publish_warnings(article) if action == "publish" else [],
    }
    return TemplateResponse(
        request, "admin/articles/article/transition.html", context, status=status
    )


# ---------------------------------------------------------------------------------------
# Revisions


@never_cache
def revision_list(request, pk: int):
    article = _article_for(request, pk)
    revisions = list(article.revisions.select_related("actor").order_by("-version"))
    context = {
        **_admin_context(request, f"History: {article.headline}", article),
        "revisions": revisions,
        "can_restore": services.article_can_edit(article=article, user=request.user),
    }
    return TemplateResponse(request, "admin/editorial/revision_list.html", context)


def _labels(snapshots: list[dict]) -> dict[str, dict]:
    """Display names for the foreign keys in snapshots (3 queries at most)."""
    wanted = {"section": set(), "dateline": set(), "author": set()}
    for snapshot in snapshots:
        for name, values in wanted.items():
            if snapshot.get(name) is not None:
                values.add(snapshot[name])
    models = {"section": Section, "dateline": Entity, "author": get_user_model()}
    return {
        name: {pk: str(obj) for pk, obj in models[name].objects.in_bulk(values).items()}
        for name, values in wanted.items()
        if values
    }


CHOOSE_TWO_REVISIONS = "Choose two revisions (a and b)."


def revision_pair(request, revisions) -> tuple | None:
    """The two revisions of `revisions` (an article's or an entity's) that ?a= and ?b=
    name, older first: None when they are not two numbers, 404 when one is missing."""
    try:
        first, second = sorted(int(request.GET[key]) for key in ("a", "b"))
    except (KeyError, ValueError):
        return None
    found = {
        r.version: r for r in revisions.select_related("actor").filter(version__in=[first, second])
    }
    if first not in found or second not in found:
        raise Http404("No such revision.")
    return found[first], found[second]


@never_cache
def revision_diff(request, pk: int):
    """What changed between any two revisions, field by field, words marked."""
    article = _article_for(request, pk)
    pair = revision_pair(request, article.revisions)
    if pair is None:
        return HttpResponseBadRequest(CHOOSE_TWO_REVISIONS)
    old, new = pair
    context = {
        **_admin_context(request, f"Changes: {article.headline}", article),
        "old": old,
        "new": new,
        "changes": snapshot_diff(
            old.snapshot,
            new.snapshot,
            _labels([old.snapshot, new.snapshot]),
            zone=newsroom_zone(),
        ),
    }
    return TemplateResponse(request, "admin/editorial/revision_diff.html", context)


class RestoreForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    minor = forms.BooleanField(required=False, label="Minor change")
    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="After publication, restoring changed text needs minor or a note.",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def revision_restore(request, pk: int, version: int):
    """Restore a revision's text as a new revision (POST); GET asks for confirmation."""
    article = _article_for(request, pk, "edit")
    revision = get_object_or_404(Revision, article=article, version=version)
    status = 200
    if request.method == "POST":
        form = RestoreForm(request.POST)
        if form.is_valid():
            try:
                services.article_restore(
                    article=article,
                    actor=request.user,
                    revision=revision,
                    expected_version=form.cleaned_data["expected_version"],
                    minor=form.cleaned_data["minor"],
                    correction_note=form.cleaned_data["correction_note"],
                )
            except services.StaleArticleError as error:
                form.add_error(None, _stale_html(error, article))
                status = 409
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _error_text(error))
                status = 400
            else:
                messages.success(
                    request,
                    format_html(
                        "Restored version {} of “{}” as version {}.",
                        version,
                        article.headline,
                        article.version,
                    ),
                )
                return redirect("admin:articles_article_revisions", article.pk)
    else:
        form = RestoreForm(initial={"expected_version": article.version})
    context = {
        **_admin_context(request, f"Restore version {version}: {article.headline}", article),
        "form": form,
        "revision": revision,
    }
    return TemplateResponse(
        request, "admin/editorial/revision_restore.html", context, status=status
    )


# ---------------------------------------------------------------------------------------
# Dashboard and preview


@never_cache
def dashboard(request):
    """The desk: in review, scheduled, embargoed, recently published, pending suggestions."""
    _require_view(request)
    now = timezone.now()
    visible = articles_visible_q(request.user)
    articles = Article.objects.filter(visible).select_related("author", "section")
    context = {
        **_admin_context(request, "Editorial dashboard"),
        "now": now,
        # Each list is one editorial status decided now (articles.models), the same
        # rule as the changelist's status column and filter, the API and the public.
        "in_review": list(
            articles.in_editorial_status(EditorialStatus.IN_REVIEW, now).order_by("updated_at")[:50]
        ),
        "scheduled": list(
            articles.in_editorial_status(EditorialStatus.SCHEDULED, now).order_by("publish_at")[:50]
        ),
        "embargoed": list(
            articles.in_editorial_status(EditorialStatus.EMBARGOED, now).order_by("embargo_until")[
                :50
            ]
        ),
        "recently_published": list(
            articles.public(now).filter(publish_at__gte=now - dt.timedelta(days=7))[:20]
        ),
        # Entity suggestions waiting for an editor (the finder writes them).
        "pending_suggestions": Mention.objects.filter(
            articles_visible_q(request.user, prefix="article__"), state=MentionState.SUGGESTED
        ).count(),
    }
    return TemplateResponse(request, "admin/editorial/dashboard.html", context)


def article_preview(request, pk: int):
    """The article as readers will see it, for editors and for its author: the public
    page's template and data (website.articles.article_context over
    articles.selectors.article_for_preview), with the template's preview banner.

    Never cached, never indexed, visibly marked.
    """
    if not (request.user.is_active and request.user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    _article_for(request, pk, "preview")  # 404 if none, 403 if this user may not
    article = selectors.article_for_preview(pk)
    if article is None:
        raise Http404("No such article.")
    context = {
        **article_context(request, article),
        "preview": True,
        "preview_is_public": article.is_public(),
    }
    response = TemplateResponse(request, "articles/article_detail.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
