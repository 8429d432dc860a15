"""The public version: a token that changes with every write a public page could show.

Pages cached on the server (newsroom.page_cache) are stored under this token. It is kept
by database triggers, not by Django signals, so that no write path can forget it: admin
saves, services, `QuerySet.update()`, bulk creates, fixture loads, raw SQL and migrations
all go through the tables. Every table of the apps in `WATCHED_APPS` has triggers that
write a new random token into `newsroom_publicversion`, in the writer's own transaction,
whenever the write can show (see `watched_tables`: a draft and its rows cannot). SQLite
keeps one row (its writers take turns anyway); PostgreSQL keeps `SLOTS` rows so that
concurrent writers never wait for each other there (see `_POSTGRESQL_REWRITE`).

- a reader that sees a token sees the committed data it stands for (the token and the
  data commit together), and a rolled-back write rolls its token back with it; tokens
  are random, so the token of a rolled-back write can never come back and stand for
  other data;
- SQLite has row triggers only (one new token per row written); PostgreSQL runs one
  trigger per statement where every write counts, per row where the row decides.

The triggers are (re)installed after every `migrate` and `flush`: SQLite drops a table's
triggers when a migration rebuilds the table, and a flush empties the version table.
"""

import hashlib

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["WATCHED_APPS", "current", "install", "token_sql", "watched_tables"]

# Everything a public page shows comes from these apps' tables...
WATCHED_APPS = ("articles", "entities")
# ...but not from these: name candidates are an editor's to-do list, never published.
UNWATCHED_MODELS = ("entities.MentionCandidate",)
TABLE = "newsroom_publicversion"
_PREFIX = "newsroom_pv"


def _released() -> str:
    from articles.models import RELEASED_STATUSES

    return ", ".join(f"'{status}'" for status in RELEASED_STATUSES)


def watched_tables() -> dict[str, str]:
    """Each watched table and what a write to one of its rows depends on: "always",
    "article" (the row is an article: only released ones, before or after the write, can
    be on a page) or "child" (the row belongs to an article through `article_id`: only
    a released article's rows can). So editors saving drafts leave cached pages alone."""
    from articles.models import Article

    unwatched = {apps.get_model(label) for label in UNWATCHED_MODELS}
    tables = {}
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.managed or model._meta.proxy or model in unwatched:
                continue
            article_fk = next(
                (
                    f
                    for f in model._meta.concrete_fields
                    if f.name == "article" and f.related_model is Article
                ),
                None,
            )
            if model is Article:
                tables[model._meta.db_table] = "article"
            elif article_fk is not None and article_fk.column == "article_id":
                tables[model._meta.db_table] = "child"
            else:
                tables[model._meta.db_table] = "always"
    return dict(sorted(tables.items()))


def _row_condition(scope: str, row: str, article_table: str) -> str | None:
    """SQL that is true when the write of `row` (NEW or OLD) can change a public page."""
    if scope == "article":
        return f"{row}.status IN ({_released()})"
    if scope == "child":
        return (
            f'EXISTS (SELECT 1 FROM "{article_table}" a '
            f"WHERE a.id = {row}.article_id AND a.status IN ({_released()}))"
        )
    return None


_EVENT_ROWS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}


def _name(table: str, event: str, body: str) -> str:
    # The definition's hash is in the name: a changed definition replaces the old one.
    digest = hashlib.sha256(body.encode()).hexdigest()[:8]
    return f"{_PREFIX}_{table}_{event.lower()}_{digest}"[:63]


def _sqlite_triggers(tables: dict[str, str]) -> dict[str, str]:
    bump = f"UPDATE {TABLE} SET token = lower(hex(randomblob(16))) WHERE id = 1;"
    triggers = {}
    for table, scope in tables.items():
        for event, rows in _EVENT_ROWS.items():
            conditions = [_row_condition(scope, row, "articles_article") for row in rows]
            when = " OR ".join(c for c in conditions if c)
            body = (
                f'AFTER {event} ON "{table}" FOR EACH ROW '
                f"{f'WHEN {when} ' if when else ''}BEGIN {bump} END"
            )
            name = _name(table, event, body)
            triggers[name] = f'CREATE TRIGGER "{name}" {body}'
    return triggers


# PostgreSQL: the token is spread over SLOTS rows, and a transaction rewrites one it can
# lock without waiting (SKIP LOCKED), then keeps it (a transaction-local setting): writers
# never queue behind each other on one hot row, so the version adds no lock waits and no
# deadlocks to any write. The version is every slot's token, read together.
SLOTS = 64
_POSTGRESQL_REWRITE = f"""
    slot := nullif(current_setting('newsroom.public_version_slot', true), '')::integer;
    IF slot IS NULL THEN
        SELECT id INTO slot FROM {TABLE} ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
        slot := coalesce(slot, 1);  -- every slot busy: wait for one
        PERFORM set_config('newsroom.public_version_slot', slot::text, true);
    END IF;
    UPDATE {TABLE} SET token = md5(random()::text || clock_timestamp()::text) WHERE id = slot;
"""
_POSTGRESQL_BUMP = f"""
CREATE OR REPLACE FUNCTION {_PREFIX}_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE slot integer;
BEGIN
{_POSTGRESQL_REWRITE}
    RETURN NULL;
END
$$
"""


def _postgresql_child_function(table: str, event: str) -> tuple[str, str]:
    """PostgreSQL allows no subquery in a trigger's WHEN: the check is in a function."""
    rows = _EVENT_ROWS[event]
    condition = " OR ".join(_row_condition("child", row, "articles_article") for row in rows)
    function = f"{_PREFIX}_{table}_{event.lower()}"[:63]
    sql = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE slot integer;
BEGIN
    IF {condition} THEN
{_POSTGRESQL_REWRITE}
    END IF;
    RETURN NULL;
END
$$
"""
    return function, sql


def _postgresql_triggers(tables: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    functions = [_POSTGRESQL_BUMP]
    triggers = {}
    for table, scope in tables.items():
        if scope == "always":
            body = (
                f'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {_PREFIX}_bump()"
            )
            name = _name(table, "all", body)
            triggers[name] = f'CREATE TRIGGER "{name}" {body}'
            continue
        body = f'AFTER TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {_PREFIX}_bump()'
        triggers[_name(table, "truncate", body)] = body
        for event, rows in _EVENT_ROWS.items():
            if scope == "article":
                when = " OR ".join(_row_condition(scope, row, "") for row in rows)
                body = (
                    f'AFTER {event} ON "{table}" FOR EACH ROW WHEN ({when}) '
                    f"EXECUTE FUNCTION {_PREFIX}_bump()"
                )
            else:
                function, sql = _postgresql_child_function(table, event)
                functions.append(sql)
                body = f'AFTER {event} ON "{table}" FOR EACH ROW EXECUTE FUNCTION {function}()'
            triggers[_name(table, event, body)] = body
    triggers = {
        name: sql if sql.startswith("CREATE") else f'CREATE TRIGGER "{name}" {sql}'
        for name, sql in triggers.items()
    }
    return functions, triggers


def _existing_triggers(connection) -> dict[str, str]:
    """Our triggers in the database: name -> table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        return {name: table for name, table in cursor.fetchall() if name.startswith(_PREFIX)}


def install(using: str = DEFAULT_DB_ALIAS) -> int:
    """Create the version row and any missing trigger, drop outdated ones; returns how
    many triggers were created."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return 0
    present = set(connection.introspection.table_names())
    if TABLE not in present:
        return 0  # not migrated yet
    tables = {t: scope for t, scope in watched_tables().items() if t in present}
    if connection.vendor == "sqlite":
        functions, wanted = [], _sqlite_triggers(tables)
    else:
        functions, wanted = _postgresql_triggers(tables)
    existing = _existing_triggers(connection)
    missing = [sql for name, sql in wanted.items() if name not in existing]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, table in existing.items():
            if name not in wanted:
                on = "" if connection.vendor == "sqlite" else f" ON {quote(table)}"
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}{on}")
        if missing:
            for sql in functions:
                cursor.execute(sql)
        for sql in missing:
            cursor.execute(sql)
        slots = SLOTS if connection.vendor == "postgresql" else 1
        cursor.execute(f"SELECT id FROM {TABLE}")
        have = {row[0] for row in cursor.fetchall()}
        for slot in range(1, slots + 1):
            if slot not in have:
                cursor.execute(f"INSERT INTO {TABLE} (id, token) VALUES (%s, %s)", [slot, "new"])
    return len(missing)


def token_sql(using: str = DEFAULT_DB_ALIAS) -> str:
    """A scalar SQL subquery that reads the version: NULL when no slot is there."""
    if connections[using].vendor == "postgresql":
        return f"(SELECT string_agg(token, '.' ORDER BY id) FROM {TABLE})"
    return f"(SELECT token FROM {TABLE} WHERE id = 1)"


def current(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The version now, or None when it is missing (caching then stops)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {token_sql(using)}")
        return cursor.fetchone()[0]
