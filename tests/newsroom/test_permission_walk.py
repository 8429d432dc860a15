"""The permission walk: every admin URL and API endpoint, as anonymous, a reporter, the
draft's author (another reporter) and an editor, by GET and by POST, against one declared
table. No 2xx the table does not declare; no text of someone else's unpublished article
in any response (body or redirect), whatever the status.

Object pages are walked on objects of Oleg's draft (Oleg is the "author" role, Rita the
"reporter"). Rita's own draft and the editor's embargoed and scheduled articles are in
the database too, so every list is walked with unpublished work of each person in it.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from articles.models import Article, Correction, Mention, Quote, Revision, Section, Statistic
from core.models import AuditLog
from entities.models import Alias, Entity, Participation, Relation, Role
from mentions.models import MentionCandidate
from tests.factories import make_article, make_entity, make_mention
from workflow import articles as services
from workflow.entities import entity_save
from workflow.tokens import token_issue

ANON, REP, AUTH, ED = "anonymous", "reporter", "author", "editor"
ROLES = (ANON, REP, AUTH, ED)
STAFF = frozenset({REP, AUTH, ED})
EVERYONE = frozenset(ROLES)
NOBODY = frozenset()
EDITOR = frozenset({ED})
AUTHOR_OR_EDITOR = frozenset({AUTH, ED})

# Words that only unpublished articles contain (headline, slug, body, parts), by owner.
SECRETS = {
    "rita": "ritasecret",
    "oleg": "olegsecret",
    "edna": "ednasecret",
}
# Which secrets each role may meet: their own, and all of them for editors.
MAY_SEE = {ANON: set(), REP: {"rita"}, AUTH: {"oleg"}, ED: set(SECRETS)}

# -------------------------------------------------------------------------------------
# The table: URL name → (roles that may get a 2xx on GET, on POST). A POST here is empty
# (or a harmless form), so a 2xx means "the page answered", typically a form with errors;
# the database fingerprint below proves nothing was written by those not allowed to.

READ_ONLY_LIST = (STAFF, STAFF)  # reporters and editors view it; POST re-renders the list
READ_ONLY_PAGE = (STAFF, NOBODY)  # a visible object's read-only page; POST refused
EDITOR_LIST = (STAFF, STAFF)
EDITOR_EDITS = (STAFF, EDITOR)  # staff view it, editors change it
EDITOR_ONLY = (EDITOR, EDITOR)
ADMINS_ONLY = (NOBODY, NOBODY)  # superusers only (no role in the walk is one)

ADMIN_TABLE: dict[str, tuple[frozenset, frozenset]] = {
    "admin:index": (STAFF, STAFF),
    "admin:login": ({ANON}, EVERYONE),  # the form (staff are redirected; a POST re-renders it)
    "admin:logout": (NOBODY, STAFF),  # POST only: "logged out"
    "admin:password_change": (STAFF, STAFF),
    "admin:password_change_done": (STAFF, STAFF),
    "admin:autocomplete": (STAFF, STAFF),
    "admin:jsi18n": (STAFF, STAFF),
    "admin:view_on_site": (NOBODY, NOBODY),  # a redirect, for those who may see it
    "admin:app_list": (STAFF, STAFF),
    # Articles: Oleg's draft. Rita may not even look; Oleg edits his draft.
    "admin:articles_article_changelist": (STAFF, STAFF),
    "admin:articles_article_add": (STAFF, STAFF),
    "admin:articles_article_change": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),
    "admin:articles_article_history": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),
    "admin:articles_article_delete": (NOBODY, NOBODY),  # superusers; editors withdraw
    "admin:articles_article_suggestions": (AUTHOR_OR_EDITOR, NOBODY),  # POST redirects
    "admin:articles_article_revisions": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),
    "admin:articles_article_revision_diff": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),
    "admin:articles_article_revision_restore": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),
    "admin:articles_article_preview": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),
    "admin:articles_dashboard": (STAFF, STAFF),
    # The article's parts: read-only lists of what the user may see.
    **{
        f"admin:articles_{model}_{view}": rule
        for model in ("mention", "quote", "statistic", "correction")
        for view, rule in (
            ("changelist", READ_ONLY_LIST),
            ("add", (NOBODY, NOBODY)),
            ("delete", (NOBODY, NOBODY)),
        )
    },
    # …and their object pages are walked on Oleg's draft (correction: the embargoed one).
    "admin:articles_mention_change": (AUTHOR_OR_EDITOR, NOBODY),
    "admin:articles_mention_history": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),
    "admin:articles_quote_change": (AUTHOR_OR_EDITOR, NOBODY),
    "admin:articles_quote_history": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),
    "admin:articles_statistic_change": (AUTHOR_OR_EDITOR, NOBODY),
    "admin:articles_statistic_history": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),
    "admin:articles_correction_change": (EDITOR, NOBODY),
    "admin:articles_correction_history": (EDITOR, EDITOR),
    "admin:articles_section_changelist": EDITOR_LIST,
    "admin:articles_section_add": EDITOR_ONLY,
    "admin:articles_section_change": EDITOR_EDITS,
    "admin:articles_section_history": (STAFF, STAFF),
    "admin:articles_section_delete": EDITOR_ONLY,
    # Name candidates: superusers only (no group holds their permissions).
    **{
        f"admin:mentions_mentioncandidate_{view}": ADMINS_ONLY
        for view in ("changelist", "add", "change", "history", "delete")
    },
    # History and the audit log: superusers.
    **{
        f"admin:{model}_{view}": ADMINS_ONLY
        for model in ("core_auditlog", "articles_revision", "auth_group", "otp_totp_totpdevice")
        for view in ("changelist", "add", "change", "history", "delete")
    },
    # Each staff user's own two-factor set-up page (an empty POST re-renders it).
    "two-factor": (STAFF, STAFF),
    # Login lockouts (django-axes): superusers.
    **{
        f"admin:axes_{model}_{view}": ADMINS_ONLY
        for model in ("accessattempt", "accesslog", "accessfailurelog")
        for view in ("changelist", "add", "change", "history", "delete")
    },
    # API tokens: each user lists and revokes their own (the token is Oleg's); editors
    # everyone's. Tokens are issued by logging in, never added or edited here.
    "admin:workflow_apitoken_changelist": READ_ONLY_LIST,
    "admin:workflow_apitoken_add": (NOBODY, NOBODY),
    "admin:workflow_apitoken_change": (AUTHOR_OR_EDITOR, NOBODY),
    "admin:workflow_apitoken_history": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),  # POST re-renders
    "admin:workflow_apitoken_delete": (AUTHOR_OR_EDITOR, AUTHOR_OR_EDITOR),
    # Users: editors manage reporters and editors (the target is Rita); no deleting.
    "admin:auth_user_changelist": EDITOR_ONLY,
    "admin:auth_user_add": EDITOR_ONLY,
    "admin:auth_user_change": EDITOR_ONLY,
    "admin:auth_user_history": EDITOR_ONLY,
    "admin:auth_user_password_change": EDITOR_ONLY,
    "admin:auth_user_delete": (NOBODY, NOBODY),
}
# Entities: every reporter may read them; editors curate.
for _model in ("entity", "person", "organization", "event", "place"):
    ADMIN_TABLE.update(
        {
            # History: staff read it, editors restore (walked on version 1).
            f"admin:entities_{_model}_revisions": (STAFF, STAFF),
            f"admin:entities_{_model}_revision_diff": (STAFF, STAFF),
            f"admin:entities_{_model}_revision_restore": EDITOR_ONLY,
            f"admin:entities_{_model}_changelist": EDITOR_LIST,
            f"admin:entities_{_model}_add": EDITOR_ONLY,
            f"admin:entities_{_model}_change": EDITOR_EDITS,
            f"admin:entities_{_model}_history": (STAFF, STAFF),
            f"admin:entities_{_model}_delete": EDITOR_ONLY,
        }
    )
for _model in ("alias", "role", "relation", "participation"):
    ADMIN_TABLE.update(
        {
            f"admin:entities_{_model}_changelist": EDITOR_LIST,
            f"admin:entities_{_model}_add": EDITOR_ONLY,
            f"admin:entities_{_model}_change": EDITOR_EDITS,
            f"admin:entities_{_model}_history": (STAFF, STAFF),
            f"admin:entities_{_model}_delete": EDITOR_ONLY,
        }
    )
for _action in ("submit", "send_back", "publish", "withdraw", "reinstate", "correct"):
    # Oleg submits his own draft; the rest are editors' (refused up front, 403).
    allowed = AUTHOR_OR_EDITOR if _action == "submit" else EDITOR
    ADMIN_TABLE[f"admin:articles_article_transition:{_action}"] = (allowed, allowed)

PUBLIC_READ = (EVERYONE, NOBODY)
API_TABLE: dict[str, tuple[frozenset, frozenset]] = {
    "api:api-root": PUBLIC_READ,
    "api:schema": PUBLIC_READ,
    "api:docs": PUBLIC_READ,
    "api:auth-token": (NOBODY, NOBODY),  # an empty POST is a 400; GET is 405
    # Each client lists its own user's tokens, editors everyone's; GET one: Oleg's token
    # (its owner and editors; others 404). DELETE is not walked; POST is 405.
    "api:auth-tokens": (STAFF, NOBODY),
    "api:auth-token-detail": (AUTHOR_OR_EDITOR, NOBODY),
    "api:auth-logout": (NOBODY, STAFF),  # ends the caller's token (none here): 204
    "api:article-list": (EVERYONE, NOBODY),  # POST needs If-Match/valid data: 4xx
    "api:article-detail": (AUTHOR_OR_EDITOR, NOBODY),  # Oleg's draft
    "api:article-import-article": (NOBODY, NOBODY),
    # GET: the author and editors read the suggestions; POST: an empty decision is a 400
    # (and a decision without If-Match a 428).
    "api:article-review": (AUTHOR_OR_EDITOR, NOBODY),
    **{
        f"api:article-{action}": (NOBODY, NOBODY)
        for action in ("submit", "publish", "withdraw", "reinstate", "correct")
    },
    **{
        f"api:{name}-{kind}": PUBLIC_READ
        for name in ("person", "organization", "event", "place", "section", "quote", "statistic")
        for kind in ("list", "detail")
    },
}
# Quotes and statistics of an unpublished article are not public: the API's details of
# Oleg's quote and statistic answer 404 to everyone (the public API shows public parts).
API_TABLE["api:quote-detail"] = (NOBODY, NOBODY)
API_TABLE["api:statistic-detail"] = (NOBODY, NOBODY)


# -------------------------------------------------------------------------------------
# The world the walk runs in


@pytest.fixture
def world(reporter, other_reporter, editor):
    now = timezone.now()
    place = make_entity("Harbour Town", kind="place")
    person = make_entity("Harbour Master")
    organization = make_entity("Harbour Board", kind="organization")
    event = make_entity("Harbour Festival", kind="event")
    section = Section.objects.create(name="Ports", slug="ports")

    def draft(user, marker, **fields):
        article = services.article_create(
            actor=user,
            headline=f"The {marker} plan",
            body=f"Body of the {marker} story. The envoy Keith Kellogg arrived.",
            slug=f"{marker}-plan",
            **fields,
        )
        return article

    rita = draft(reporter, SECRETS["rita"])
    oleg = draft(other_reporter, SECRETS["oleg"], section=section, dateline=place)
    embargoed = make_article(
        f"The {SECRETS['edna']} embargo",
        slug=f"{SECRETS['edna']}-embargo",
        author=editor,
        body=f"Body {SECRETS['edna']}.",
        embargo_until=now + dt.timedelta(hours=5),
        first_published_at=now + dt.timedelta(hours=5),
    )
    make_article(
        f"The {SECRETS['edna']} schedule",
        status="scheduled",
        slug=f"{SECRETS['edna']}-schedule",
        author=editor,
        publish_at=now + dt.timedelta(hours=3),
    )
    make_article("Public harbour news", author=other_reporter)
    quote = Quote.objects.create(
        slug=f"{SECRETS['oleg']}-quote",
        article=oleg,
        speaker=person,
        text=f"Quote {SECRETS['oleg']}.",
    )
    statistic = Statistic.objects.create(
        slug=f"{SECRETS['oleg']}-ships",
        article=oleg,
        value=Decimal(7),
        unit=f"{SECRETS['oleg']} ships",
        subject=organization,
        as_of=dt.date(2026, 1, 1),
        as_of_precision="day",
    )
    mention = make_mention(oleg, person, matched_text="Harbour Master")
    make_mention(rita, person)
    correction = Correction.objects.create(
        article=embargoed, note=f"Note {SECRETS['edna']}.", published_at=now
    )
    alias = Alias.objects.create(entity=person, name="The Master", kind="short")
    role = Role.objects.create(person=person, title="Harbour master", affiliation=organization)
    relation = Relation.objects.create(subject=person, kind="member", object=organization)
    participation = Participation.objects.create(event=event, participant=person, role="host")
    token, _key = token_issue(user=other_reporter, name="walk")
    for entity in (person, organization, event, place):
        entity_save(entity=entity, actor=editor, write=lambda: None)  # versions 1 and 2
    return {
        "article": oleg,
        "objects": {
            "articles.article": oleg,
            "articles.mention": mention,
            "articles.quote": quote,
            "articles.statistic": statistic,
            "articles.correction": correction,
            "articles.section": section,
            "articles.revision": Revision.objects.filter(article=oleg).first(),
            "mentions.mentioncandidate": MentionCandidate.objects.filter(article=oleg).first(),
            "core.auditlog": AuditLog.objects.filter(object_id=str(oleg.pk)).first(),
            "entities.entity": person,
            "entities.person": person,
            "entities.organization": organization,
            "entities.event": event,
            "entities.place": place,
            "entities.alias": alias,
            "entities.role": role,
            "entities.relation": relation,
            "entities.participation": participation,
            "auth.user": reporter,
            "auth.group": Group.objects.get(name="Reporter"),
            "workflow.apitoken": token,
        },
    }


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from (
                (namespace + name if name else None, route, callback)
                for name, route, callback in _walk(
                    pattern.url_patterns, prefix + str(pattern.pattern)
                )
            )
        elif isinstance(pattern, URLPattern):
            yield pattern.name, prefix + str(pattern.pattern), pattern.callback


def _routes(prefix: str):
    """(table key, route) for every named URL under `prefix` of the project's URLconf."""
    for name, route, _callback in _walk(get_resolver().url_patterns):
        if not route.startswith(prefix) or name is None or name.endswith("not-found"):
            continue
        if name == "admin:articles_article_transition":
            for action in ("submit", "send_back", "publish", "withdraw", "reinstate", "correct"):
                yield f"{name}:{action}", route.replace("<str:action>", action)
            continue
        yield name, route


_ADMIN_MODEL = re.compile(r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_")


def _admin_url(name: str, route: str, world) -> str:
    objects = world["objects"]
    match = _ADMIN_MODEL.match(name)
    obj = None
    if match:
        obj = objects.get(f"{match['app']}.{match['model']}")
    if name.startswith("admin:articles_article") or name == "admin:view_on_site":
        obj = world["article"]
    url = "/" + route
    if name == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(Article)
        url = url.replace("<path:content_type_id>", str(content_type.pk))
    if name == "admin:app_list":
        return "/admin/articles/"
    for placeholder in ("<path:object_id>", "<int:pk>", "<id>"):
        if placeholder in url:
            # Superusers-only models (devices, lockouts) have no row here: any id is refused.
            url = url.replace(placeholder, str(obj.pk) if obj is not None else "1")
    url = url.replace("<int:version>", "1")
    if name.endswith("_revision_diff"):
        url += "?a=1&b=1"
    if name == "admin:autocomplete":
        url += "?app_label=articles&model_name=quote&field_name=article&term=the"
    return url


def _api_url(name: str, route: str, world) -> str:
    if "(?P<slug>" in route:
        slugs = {
            "article": world["article"].slug,
            "quote": world["objects"]["articles.quote"].slug,
            "statistic": world["objects"]["articles.statistic"].slug,
            "section": world["objects"]["articles.section"].slug,
        }
        kind = name.split(":")[1].split("-")[0]
        slug = slugs.get(kind) or world["objects"][f"entities.{kind}"].slug
        route = route.replace("(?P<slug>[^/]+)", slug)
    if "<str:public_id>" in route:  # Oleg's token
        route = route.replace("<str:public_id>", world["objects"]["workflow.apitoken"].public_id)
    return "/" + route.replace("^", "").replace("$", "")


def _fingerprint() -> tuple:
    """What a write would move: row counts, article versions and statuses, users' roles."""
    from django.contrib.auth.models import User

    return (
        tuple(Article.objects.order_by("pk").values_list("pk", "version", "status")),
        *(
            model.objects.count()
            for model in (
                Revision,
                AuditLog,
                Mention,
                Quote,
                Statistic,
                Correction,
                Entity,
                Alias,
                MentionCandidate,
            )
        ),
        tuple(User.objects.order_by("pk").values_list("pk", "is_superuser", "is_active")),
        tuple(User.groups.through.objects.order_by("pk").values_list("user_id", "group_id")),
    )


def _leaks(role: str, response) -> list[str]:
    text = response.content.decode(errors="replace") + response.get("Location", "")
    text = text.lower()
    return [owner for owner, word in SECRETS.items() if owner not in MAY_SEE[role] and word in text]


def _client_for(role, users, surface):
    """The admin by session; the API as its clients call it, with a token (a session
    POST would stop at DRF's CSRF check and prove nothing about permissions)."""
    if role == ANON:
        return Client()
    if surface == "api":
        _token, key = token_issue(user=users[role], name="walk")
        return Client(HTTP_AUTHORIZATION=f"Token {key}")
    client = Client()
    client.force_login(users[role])
    return client


@pytest.mark.parametrize("surface", ["admin", "api"])
def test_permission_walk(world, reporter, other_reporter, editor, surface):
    users = {REP: reporter, AUTH: other_reporter, ED: editor}
    table = ADMIN_TABLE if surface == "admin" else API_TABLE
    prefix = "admin/" if surface == "admin" else "api/v1/"
    routes = dict(_routes(prefix))
    routes.pop("admin:?", None)
    assert set(routes) == set(table), (
        "every URL is declared, and the table names only URLs that exist: "
        f"undeclared {sorted(set(routes) - set(table))}, gone {sorted(set(table) - set(routes))}"
    )
    make_url = _admin_url if surface == "admin" else _api_url
    unexpected, leaks = [], []
    for role in ROLES:
        for name, route in sorted(routes.items()):
            url = make_url(name, route, world)
            get_allowed, post_allowed = table[name]
            for method, allowed in (("GET", get_allowed), ("POST", post_allowed)):
                # A fresh client each time: the walk's logouts end sessions and tokens.
                # (Issuing an API token is itself audited: before the fingerprint.)
                http = _client_for(role, users, surface)
                before = _fingerprint()
                response = http.get(url) if method == "GET" else http.post(url, {})
                status = response.status_code
                if 200 <= status < 300 and role not in allowed:
                    unexpected.append(f"{role} {method} {url} → {status}")
                if role in allowed and not 200 <= status < 300 and method == "GET":
                    unexpected.append(f"{role} {method} {url} → {status} (declared allowed)")
                leaks.extend(f"{role} {method} {url} shows {who}" for who in _leaks(role, response))
                if role not in allowed:  # refused requests write nothing
                    assert _fingerprint() == before, f"{role} {method} {url} wrote something"
    assert not unexpected, "\n".join(unexpected)
    assert not leaks, "\n".join(leaks)
