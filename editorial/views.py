"""Editorial admin pages: workflow actions, revision history, diff, restore, dashboard, preview.

Wired into the admin by ArticleAdmin.get_urls (so every view runs behind admin_view:
staff login and CSRF). Writes go through workflow.articles; nothing changes on a GET.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
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
    Mention,
    MentionState,
    Revision,
    Section,
)
from entities.models import Entity
from mentions.suggestions import article_publish_warnings
from website.articles import article_context
from workflow import articles as services

from .diff import snapshot_diff

# ---------------------------------------------------------------------------------------
# Workflow actions


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class SendBackForm(TransitionForm):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(TransitionForm):
    publish_at = forms.SplitDateTimeField(
        required=False,
        widget=AdminSplitDateTime,
        help_text="Empty: publish now. A future time schedules the article.",
    )
    embargo_until = forms.SplitDateTimeField(
        required=False,
        widget=AdminSplitDateTime,
        help_text="Optional: not public before this time.",
    )


class WithdrawForm(TransitionForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class CorrectForm(TransitionForm):
    kind = forms.ChoiceField(choices=CorrectionKind.choices, initial=CorrectionKind.CORRECTION)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


ACTIONS = {
    "submit": ("Submit for review", TransitionForm),
    "send_back": ("Send back to draft", SendBackForm),
    "publish": ("Publish or schedule", PublishForm),
    "withdraw": ("Withdraw", WithdrawForm),
    "correct": ("Publish a correction", CorrectForm),
}


def available_actions(article: Article, user) -> list[dict]:
    """The workflow actions this user may take on this article now, for buttons."""
    now = timezone.now()
    names = []
    editor = services.user_is_editor(user)
    if (
        article.status == ArticleStatus.DRAFT
        and user.has_perm("articles.submit_article")
        and (editor or article.author_id == user.pk)
    ):
        names.append("submit")
    if editor:
        if article.status == ArticleStatus.IN_REVIEW or (
            article.status == ArticleStatus.SCHEDULED and not article.is_public(now)
        ):
            names.append("send_back")
        if article.status in (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW) or (
            article.status == ArticleStatus.SCHEDULED and not article.is_public(now)
        ):
            names.append("publish")
    if article.status in RELEASED_STATUSES and user.has_perm("articles.withdraw_article"):
        names.append("withdraw")
    if (
        article.first_published_at
        and article.first_published_at <= now
        and article.status != ArticleStatus.WITHDRAWN
        and user.has_perm("articles.correct_article")
    ):
        names.append("correct")
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


def _require_view(request, article: Article | None = None) -> None:
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied("You may not see articles.")


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
    _require_view(request)
    article = get_object_or_404(Article.objects.select_related("author"), pk=pk)
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
    _require_view(request)
    article = get_object_or_404(Article, pk=pk)
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


@never_cache
def revision_diff(request, pk: int):
    """What changed between any two revisions, field by field, words marked."""
    _require_view(request)
    article = get_object_or_404(Article, pk=pk)
    try:
        first, second = sorted(int(request.GET[key]) for key in ("a", "b"))
    except (KeyError, ValueError):
        return HttpResponseBadRequest("Choose two revisions (a and b).")
    revisions = {
        r.version: r
        for r in article.revisions.select_related("actor").filter(version__in=[first, second])
    }
    if first not in revisions or second not in revisions:
        raise Http404("No such revision.")
    old, new = revisions[first], revisions[second]
    context = {
        **_admin_context(request, f"Changes: {article.headline}", article),
        "old": old,
        "new": new,
        "changes": snapshot_diff(old.snapshot, new.snapshot, _labels([old.snapshot, new.snapshot])),
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
    _require_view(request)
    article = get_object_or_404(Article, pk=pk)
    revision = get_object_or_404(Revision, article=article, version=version)
    if not services.article_can_edit(article=article, user=request.user):
        raise PermissionDenied("You may not edit this article.")
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
    articles = Article.objects.select_related("author", "section")
    context = {
        **_admin_context(request, "Editorial dashboard"),
        "now": now,
        "in_review": list(
            articles.filter(status=ArticleStatus.IN_REVIEW).order_by("updated_at")[:50]
        ),
        "scheduled": list(
            articles.filter(status__in=RELEASED_STATUSES, publish_at__gt=now).order_by(
                "publish_at"
            )[:50]
        ),
        "embargoed": list(
            articles.filter(status__in=RELEASED_STATUSES, embargo_until__gt=now).order_by(
                "embargo_until"
            )[:50]
        ),
        "recently_published": list(
            articles.public(now).filter(publish_at__gte=now - dt.timedelta(days=7))[:20]
        ),
        # Entity suggestions waiting for an editor (the finder writes them).
        "pending_suggestions": Mention.objects.filter(state=MentionState.SUGGESTED).count(),
    }
    return TemplateResponse(request, "admin/editorial/dashboard.html", context)


def article_preview(request, pk: int):
    """The article as readers will see it, for staff with articles.preview_article: the
    public page's template and data (website.articles.article_context over
    articles.selectors.article_for_preview), with the template's preview banner.

    Never cached, never indexed, visibly marked.
    """
    if not (request.user.is_active and request.user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not request.user.has_perm("articles.preview_article"):
        raise PermissionDenied("You may not preview articles.")
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
