"""Fixtures every test package shares: the seed, users in their roles, the browser."""

import contextlib
import copy
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Q

from articles.models import Article, Correction, Mention, Quote, Revision, Section, Statistic
from entities.models import Alias, Entity, Participation, Relation, Role
from search.services import search_index_update
from workflow.loading import LoadResult, fixtures_load

# What loading the seed writes, parents before children. The loader validates every row
# (hundreds of queries), so it runs once per test session; each test that asks for the
# seed gets the very rows it wrote back with one bulk insert per table, inside the test's
# own rolled-back transaction.
SEEDED_MODELS = [
    Entity,
    Alias,
    Role,
    Relation,
    Participation,
    Section,
    Article,
    Mention,
    Quote,
    Statistic,
    Correction,
    Revision,
]


@dataclass(frozen=True)
class SeedSnapshot:
    result: LoadResult
    rows: list[tuple[type, list]]
    groups: dict[str, list[tuple[str, str]]]  # name -> (app label, codename) of each permission


@pytest.fixture(scope="session")
def seed_snapshot(django_db_setup, django_db_blocker) -> SeedSnapshot:
    with django_db_blocker.unblock(), transaction.atomic():
        result = fixtures_load()
        rows = [(model, list(model._base_manager.order_by("pk"))) for model in SEEDED_MODELS]
        groups = {
            group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        }
        transaction.set_rollback(True)
    return SeedSnapshot(result=result, rows=rows, groups=groups)


@contextlib.contextmanager
def _timestamps_as_given(models):
    """bulk_create() stamps auto_now and auto_now_add fields with the time of the insert;
    the seed's rows keep the times they were loaded with."""
    stamped = [
        (field, flag)
        for model in models
        for field in model._meta.concrete_fields
        for flag in ("auto_now", "auto_now_add")
        if getattr(field, flag, False)
    ]
    for field, flag in stamped:
        setattr(field, flag, False)
    try:
        yield
    finally:
        for field, flag in stamped:
            setattr(field, flag, True)


@pytest.fixture
def seed(db, seed_snapshot) -> LoadResult:
    """The demo newsroom: the seed article with its entities, quotes and statistics, as
    `load_newsroom` leaves it (derived data, baseline revision and search index too)."""
    with _timestamps_as_given(SEEDED_MODELS):
        for model, rows in seed_snapshot.rows:
            model._base_manager.bulk_create(copy.deepcopy(rows))
    for name, permissions in seed_snapshot.groups.items():
        wanted = Q()
        for app_label, codename in permissions:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group, _ = Group.objects.get_or_create(name=name)  # `groups` may have made it
        group.permissions.set(Permission.objects.filter(wanted))
    with connection.cursor() as cursor:  # PostgreSQL: ids were given, move the sequences on
        for sql in connection.ops.sequence_reset_sql(no_style(), [*SEEDED_MODELS, Group]):
            cursor.execute(sql)
    search_index_update(articles=Article.objects.all())
    return seed_snapshot.result


@pytest.fixture
def groups(db):
    """The Reporter and Editor groups from fixtures/groups.json."""
    call_command("loaddata", "fixtures/groups.json", verbosity=0)
    return {group.name: group for group in Group.objects.all()}


def make_user(username: str, group: Group | None = None, **fields) -> User:
    """A staff user whose password is `pw-<username>-long`, in `group` if given."""
    fields.setdefault("is_staff", group is not None)
    user = User.objects.create_user(username=username, password=f"pw-{username}-long", **fields)
    if group is not None:
        user.groups.add(group)
    return User.objects.get(pk=user.pk)  # fresh: no stale permission cache


@pytest.fixture
def reporter(groups):
    return make_user("rita", groups["Reporter"], first_name="Rita", last_name="Reporter")


@pytest.fixture
def other_reporter(groups):
    return make_user("oleg", groups["Reporter"])


@pytest.fixture
def editor(groups):
    return make_user("edna", groups["Editor"], first_name="Edna", last_name="Editor")


@pytest.fixture
def other_editor(groups):
    return make_user("emil", groups["Editor"], first_name="Emil", last_name="Editor")


@pytest.fixture
def outsider(db):
    """Logged in, but neither reporter nor editor."""
    return make_user("olga")


@pytest.fixture
def admin_user_(db):
    return User.objects.create_superuser(username="root", password="pw-root", email="r@x.test")


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's package), driven by Playwright.

    Fails rather than skips when Chromium is missing: CI installs it (.ci/run).
    """
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or CHROMIUM
    if not os.path.exists(executable):
        pytest.fail("Chromium is not installed: apt-get install chromium (see .ci/run).")
    # Playwright's sync API runs an event loop; let Django's ORM work beside it in tests.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
