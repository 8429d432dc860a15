"""Who may see and do what with an article, by role and authorship: declared once.

The admin (querysets, object permissions, editorial pages), the API (what a client may
read) and the write services (workflow.articles) all read this module, so a reporter
meets the same answer on every surface.

Roles come from Django permissions granted through the "Reporter" and "Editor" groups:

- editor: holds articles.publish_article; sees and acts on every article;
- reporter: holds articles.change_article but not publish; sees their own articles and
  what is public, writes only their own drafts;
- reader: anyone else (anonymous, or staff without article rights); sees what is public.

On top of the role, each action needs its own permission (an editor without
withdraw_article cannot withdraw). Whether the article's *status* allows the action
(submit only a draft, withdraw only a published article) is the services' business: they
answer with a ValidationError, not a refusal.
"""

from __future__ import annotations

import enum

from django.db.models import Q

from .models import Article, ArticleStatus, public_q


class Role(enum.StrEnum):
    EDITOR = "editor"
    REPORTER = "reporter"
    READER = "reader"


class Scope(enum.StrEnum):
    EVERY = "every article"
    OWN_OR_PUBLIC = "own or public articles"
    OWN = "own articles"
    OWN_DRAFT = "own drafts"
    PUBLIC = "public articles"
    NONE = "none"


EDITOR_PERMISSION = "articles.publish_article"
REPORTER_PERMISSION = "articles.change_article"

# action: (permission the user must hold, {role: which articles}). A role missing from
# an action's map may not take it. "view" covers every page that shows an article's
# content or history (change form, revisions, diff, suggestions, preview, API detail);
# "edit" every write to its text or parts (quotes, statistics, mentions, suggestion
# decisions, restore).
ARTICLE_RULES: dict[str, tuple[str, dict[Role, Scope]]] = {
    "view": (
        "articles.view_article",
        {
            Role.EDITOR: Scope.EVERY,
            Role.REPORTER: Scope.OWN_OR_PUBLIC,
            Role.READER: Scope.PUBLIC,
        },
    ),
    "preview": ("articles.view_article", {Role.EDITOR: Scope.EVERY, Role.REPORTER: Scope.OWN}),
    # See the finder's suggestions and open names (deciding them is "edit").
    "review": ("articles.change_article", {Role.EDITOR: Scope.EVERY, Role.REPORTER: Scope.OWN}),
    "edit": (
        "articles.change_article",
        {Role.EDITOR: Scope.EVERY, Role.REPORTER: Scope.OWN_DRAFT},
    ),
    "submit": (
        "articles.submit_article",
        {Role.EDITOR: Scope.EVERY, Role.REPORTER: Scope.OWN_DRAFT},
    ),
    "send_back": ("articles.publish_article", {Role.EDITOR: Scope.EVERY}),
    "publish": ("articles.publish_article", {Role.EDITOR: Scope.EVERY}),
    "withdraw": ("articles.withdraw_article", {Role.EDITOR: Scope.EVERY}),
    "reinstate": ("articles.withdraw_article", {Role.EDITOR: Scope.EVERY}),
    "correct": ("articles.correct_article", {Role.EDITOR: Scope.EVERY}),
}


def user_role(user) -> Role:
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.READER
    if user.has_perm(EDITOR_PERMISSION):
        return Role.EDITOR
    if user.has_perm(REPORTER_PERMISSION):
        return Role.REPORTER
    return Role.READER


def user_is_editor(user) -> bool:
    return user_role(user) is Role.EDITOR


def _scope(user, action: str) -> Scope:
    permission, scopes = ARTICLE_RULES[action]
    role = user_role(user)
    if role is Role.READER and action == "view":
        return Scope.PUBLIC  # readers need no permission to read what is public
    if not user.has_perm(permission):
        return Scope.NONE
    return scopes.get(role, Scope.NONE)


def _scope_q(scope: Scope, user, prefix: str) -> Q:
    if scope is Scope.EVERY:
        return Q()
    if scope is Scope.NONE:
        return Q(pk__in=[])
    public = public_q(prefix=prefix)
    own = Q(**{f"{prefix}author": user.pk})
    if scope is Scope.PUBLIC:
        return public
    if scope is Scope.OWN_OR_PUBLIC:
        return public | own
    if scope is Scope.OWN:
        return own
    return own & Q(**{f"{prefix}status": ArticleStatus.DRAFT})  # OWN_DRAFT


def article_q(user, action: str = "view", *, prefix: str = "") -> Q:
    """The articles `user` may take `action` on, as a Q (`prefix` for joins: "article__").

    Everything public stays readable: a reporter's view scope adds their unpublished work
    to the public, never hides the public.
    """
    return _scope_q(_scope(user, action), user, prefix)


def articles_visible_q(user, *, prefix: str = "") -> Q:
    return article_q(user, "view", prefix=prefix)


def articles_visible_to(user):
    """Every article this user may see: the start of every editorial list and page."""
    return Article.objects.filter(articles_visible_q(user))


def article_can(user, action: str, article: Article) -> bool:
    """Whether `user` may take `action` on this loaded article (mirror of article_q)."""
    scope = _scope(user, action)
    if scope is Scope.EVERY:
        return True
    if scope is Scope.NONE:
        return False
    own = article.author_id is not None and article.author_id == user.pk
    if scope is Scope.OWN_DRAFT:
        return own and article.status == ArticleStatus.DRAFT
    if scope is Scope.OWN:
        return own
    if scope is Scope.OWN_OR_PUBLIC and own:
        return True
    return article.is_public()
