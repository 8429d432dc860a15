"""The server-side page cache: hits cost one query, and nothing it serves is ever stale.

Every other page test runs through the cache too (it is on in the test settings); these
tests pin down the cases that are about the cache itself.
"""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import override_settings

from articles.models import Article, ArticleStatus, Correction, Mention, Section
from core import versions
from entities.models import Alias, Entity, Role
from tests.factories import SEED_ARTICLE, make_article, make_entity, make_mention
from workflow import articles as services

NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
PERSON = "/people/sviatlana-tsikhanouskaya/"


@pytest.fixture
def article(seed):
    return Article.objects.get()


def test_a_second_request_is_one_query_and_the_same_page(client, seed, django_assert_num_queries):
    first = client.get(PERSON)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the public version and the next change, together
        second = client.get(PERSON)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]


def test_every_watched_table_has_its_triggers(db):
    tables = {w.table: w.condition for w in versions.watched(versions.PUBLIC)}
    assert "status IN ('scheduled', 'published')" in tables["articles_article"]
    for child in ("articles_mention", "articles_correction"):
        assert '"articles_article" a WHERE a.id = {row}.article_id' in tables[child]
    assert tables["entities_entity"] is None and tables["entities_alias"] is None
    assert "mentions_mentioncandidate" not in tables  # an editor's to-do list, never shown
    assert "articles_revision" not in tables
    triggers = versions._existing_triggers(connection)
    for table in tables:
        assert any(triggers[name] == table for name in triggers), table
    assert versions.install() == 0  # idempotent: nothing left to create


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda: make_entity("New Person"), id="create"),
        pytest.param(lambda: Entity.objects.filter(slug="vilnius").update(name="V"), id="update"),
        pytest.param(lambda: Alias.objects.filter(name="Zelensky").delete(), id="delete"),
        pytest.param(
            lambda: Role.objects.bulk_create(
                [Role(person=Entity.objects.get(slug="volodymyr-zelenskyy"), title="Actor")]
            ),
            id="bulk-create",
        ),
        pytest.param(
            lambda: connection.cursor().execute("UPDATE articles_article SET byline = 'Raw SQL'"),
            id="raw-sql",
        ),
        pytest.param(lambda: Section.objects.create(name="Sport", slug="sport"), id="section"),
    ],
)
def test_any_write_to_a_watched_table_changes_the_token(seed, write):
    before = versions.current(versions.PUBLIC)
    write()
    assert versions.current(versions.PUBLIC) not in (None, before)


def test_drafts_and_their_rows_leave_the_token_alone(seed):
    """Editors saving drafts (and the suggestions that come with them) do not empty the
    cache; publishing one does."""
    editor = User.objects.create_superuser("chief", password="pw-for-tests-only")
    person = Entity.objects.get(slug="sviatlana-tsikhanouskaya")
    before = versions.current(versions.PUBLIC)
    draft = make_article("zqxdraft story", status=ArticleStatus.DRAFT)
    make_mention(draft, person, state="suggested")
    Article.objects.filter(pk=draft.pk).update(headline="zqxdraft story, edited")
    Mention.objects.filter(article=draft).update(state="confirmed")
    assert versions.current(versions.PUBLIC) == before
    services.article_publish(article=draft, actor=editor)
    published = versions.current(versions.PUBLIC)
    assert published != before
    Mention.objects.filter(article=draft).update(state="rejected")  # now it shows
    assert versions.current(versions.PUBLIC) != published


def test_update_through_the_orm_shows_on_the_next_request(client, article):
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    Article.objects.filter(pk=article.pk).update(headline="A headline changed by update()")
    assert "A headline changed by update()" in client.get(url).text


def test_correction_withdrawal_and_publication_show_on_the_next_request(client, article):
    editor = User.objects.create_superuser("chief", password="pw-for-tests-only")
    url = article.get_absolute_url()
    assert "zqxcorrection" not in client.get(url).text
    assert article.headline in client.get(PERSON).text

    services.article_correct(article=article, actor=editor, note="zqxcorrection: a date was wrong.")
    assert "zqxcorrection" in client.get(url).text

    services.article_withdraw(article=article, actor=editor, reason="Legal request.")
    assert client.get(url).status_code == 410
    assert article.headline not in client.get(PERSON).text

    fresh = make_article("zqxfresh story", status=ArticleStatus.DRAFT)
    make_mention(fresh, Entity.objects.get(slug="sviatlana-tsikhanouskaya"))
    assert "zqxfresh" not in client.get(PERSON).text
    services.article_publish(article=fresh, actor=editor)
    assert "zqxfresh" in client.get(PERSON).text


def test_a_scheduled_article_appears_at_its_second_though_the_page_was_cached(
    client, seed, django_assert_num_queries
):
    person = Entity.objects.get(slug="sviatlana-tsikhanouskaya")
    at = NOW + dt.timedelta(minutes=10)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        scheduled = make_article(
            "zqxscheduled story", status=ArticleStatus.SCHEDULED, publish_at=at
        )
        make_mention(scheduled, person)
        assert "zqxscheduled" not in client.get(PERSON).text
    just_before = at - dt.timedelta(microseconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=just_before),
        django_assert_num_queries(1),  # still the cached page
    ):
        assert "zqxscheduled" not in client.get(PERSON).text
    with mock.patch("django.utils.timezone.now", return_value=at):
        assert "zqxscheduled" in client.get(PERSON).text
    # A clock set back never reuses a page rendered later.
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        assert "zqxscheduled" not in client.get(PERSON).text


def test_a_rolled_back_write_leaves_no_page_behind(client, article):
    url = article.get_absolute_url()
    before = client.get(url).text
    token = versions.current(versions.PUBLIC)
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(headline="zqxrolledback headline")
        assert "zqxrolledback" in client.get(url).text  # seen inside the transaction
        raise RuntimeError("roll back")
    assert versions.current(versions.PUBLIC) == token
    assert client.get(url).text == before


def test_the_host_is_part_of_the_key(client, seed):
    assert 'href="http://testserver/people/' in client.get(PERSON).text
    assert 'href="http://localhost/people/' in client.get(PERSON, HTTP_HOST="localhost").text


def test_only_successful_pages_are_kept(client, seed, django_assert_max_num_queries):
    client.get("/people/nobody-by-this-name/")
    with django_assert_max_num_queries(8) as queries:
        assert client.get("/people/nobody-by-this-name/").status_code == 404
    assert len(queries) > 1  # the 404 was worked out again, not served from the cache


@override_settings(NEWSROOM_PAGE_CACHE=False)
def test_the_cache_can_be_switched_off(client, seed, django_assert_max_num_queries):
    client.get(PERSON)
    with django_assert_max_num_queries(8) as queries:
        assert client.get(PERSON).status_code == 200
    assert len(queries) > 1
    assert not any("core_version" in q["sql"] for q in queries.captured_queries)


def test_mentions_and_corrections_are_watched(seed):
    """The tables an article page is built from, besides the article itself."""
    tables = {w.table for w in versions.watched(versions.PUBLIC)}
    for model in (Mention, Correction, Alias, Role, Section):
        assert model._meta.db_table in tables


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_wait_for_the_version():
    """On PostgreSQL a writer holding the version open does not hold up another writer
    (SQLite's writers take turns on the whole database by design)."""
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself")
    first, second = make_entity("First Writer"), make_entity("Second Writer")
    before = versions.current(versions.PUBLIC)
    holding, done = threading.Event(), threading.Event()
    errors = []

    def hold_open():
        try:
            with transaction.atomic():
                Entity.objects.filter(pk=first.pk).update(name="First, renamed")
                holding.set()
                done.wait(10)  # keep the transaction (and its version slot) open
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def write_meanwhile():
        try:
            holding.wait(10)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
                Entity.objects.filter(pk=second.pk).update(name="Second, renamed")
        except Exception as error:
            errors.append(error)
        finally:
            done.set()
            connections.close_all()

    threads = [threading.Thread(target=hold_open), threading.Thread(target=write_meanwhile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    assert versions.current(versions.PUBLIC) != before
    assert Entity.objects.get(pk=second.pk).name == "Second, renamed"


def test_a_bulk_write_rewrites_the_version_once(seed):
    """PostgreSQL: one statement writing many rows of a released article rewrites the
    public token once (statement-level triggers over transition tables), so bulk writes
    neither crawl nor bloat the version table."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite rewrites its one row in place, per row")
    article = Article.objects.get(slug=SEED_ARTICLE)
    people = [make_entity(f"Bulk Person {n}") for n in range(30)]

    def updates() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'core_version'"
            )
            return cursor.fetchone()[0]

    before = updates()
    Mention.objects.bulk_create([Mention(article=article, entity=p) for p in people])
    assert updates() - before == 1
