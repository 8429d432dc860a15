"""The public version: a token that changes with every write a public page could show.

Pages cached on the server (newsroom.page_cache) are stored under this token. It is kept
by database triggers, not by Django signals, so that no write path can forget it: admin
saves, services, `QuerySet.update()`, bulk creates, fixture loads, raw SQL and migrations
all go through the tables. Every table of the apps in `WATCHED_APPS` has a trigger that
writes a new random token into the single row of `newsroom_publicversion`, in the
writer's own transaction:

- a reader that sees a token sees the committed data it stands for (the token and the
  data commit together), and a rolled-back write rolls its token back with it; tokens
  are random, so the token of a rolled-back write can never come back and stand for
  other data;
- SQLite has row triggers only (one new token per row written); PostgreSQL runs one
  trigger per statement.

The triggers are (re)installed after every `migrate` and `flush`: SQLite drops a table's
triggers when a migration rebuilds the table, and a flush empties the version table.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["WATCHED_APPS", "current", "install", "watched_tables"]

# Everything a public page shows comes from these apps' tables.
WATCHED_APPS = ("articles", "entities")
TABLE = "newsroom_publicversion"
_PREFIX = "newsroom_pv"


def watched_tables() -> list[str]:
    tables = set()
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables)


def _sqlite_statements(tables: list[str], existing: set[str]) -> list[str]:
    bump = f"UPDATE {TABLE} SET token = lower(hex(randomblob(16))) WHERE id = 1;"
    statements = []
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"{_PREFIX}_{table}_{event.lower()}"
            if name not in existing:
                statements.append(
                    f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" '
                    f"FOR EACH ROW BEGIN {bump} END"
                )
    return statements


_POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {_PREFIX}_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {TABLE} SET token = md5(random()::text || clock_timestamp()::text) WHERE id = 1;
    RETURN NULL;
END
$$
"""


def _postgresql_statements(tables: list[str], existing: set[str]) -> list[str]:
    statements = [_POSTGRESQL_FUNCTION]
    for table in tables:
        name = f"{_PREFIX}_{table}"[:63]
        if name not in existing:
            statements.append(
                f'CREATE TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {_PREFIX}_bump()'
            )
    return statements


def _existing_triggers(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


def install(using: str = DEFAULT_DB_ALIAS) -> int:
    """Create the version row and any missing trigger; returns how many were created."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return 0
    if TABLE not in connection.introspection.table_names():
        return 0  # not migrated yet
    existing = _existing_triggers(connection)
    build = _sqlite_statements if connection.vendor == "sqlite" else _postgresql_statements
    present = set(connection.introspection.table_names())
    statements = build([t for t in watched_tables() if t in present], existing)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE id = 1")
        if not cursor.fetchone()[0]:
            cursor.execute(f"INSERT INTO {TABLE} (id, token) VALUES (1, %s)", ["initial"])
    return len(statements) - (connection.vendor == "postgresql")


def current(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The token now, or None when the version row is missing (caching then stops)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None
