"""Named version tokens kept by the database: the one way derived data learns of a change.

A version is a random token under a name ("public", "aliases") that database triggers
rewrite, in the writer's own transaction, whenever a watched table changes. Whatever is
derived from those tables (cached pages keyed on "public", the mention finder keyed on
"aliases") stores the token it was built from and is rebuilt when the token moves.

Triggers, not Django signals, so that no write path can forget it: services, admin saves,
`QuerySet.update()`, bulk creates, fixture loads, raw SQL and migrations all go through
the tables. And the token commits or rolls back with the data: a reader that sees a token
sees the committed data it stands for, and a rolled-back write takes its token with it
(tokens are random, so a rolled-back token can never come back for other data).

Each app declares what it watches in its `AppConfig.ready()` with `watch(...)`: a table,
the token it moves and, optionally, a SQL condition on the written row (`{row}` stands for
NEW or OLD) so that writes nobody can see (a draft's rows, for "public") leave the token
alone. This module knows no app's tables; the apps know their own.

SQLite keeps one row per name (its writers take turns anyway) and fires row triggers;
PostgreSQL keeps `SLOTS` rows per name, so that concurrent writers never wait for each
other on one hot row (see `_postgresql_rewrite`), and fires one trigger per statement,
checking a condition over the statement's transition tables, so a bulk write rewrites
the token once.

The triggers are (re)installed after every `migrate` and `flush` (core's AppConfig):
SQLite drops a table's triggers when a migration rebuilds the table, and a flush empties
the version table.
"""

import hashlib
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["ALIASES", "PUBLIC", "Watch", "current", "install", "token_sql", "watch", "watched"]

# The tokens in use: cached public pages are kept under PUBLIC (website.page_cache), the
# mention finder is built under ALIASES (mentions.suggestions).
PUBLIC = "public"
ALIASES = "aliases"

TABLE = "core_version"
_PREFIX = "core_version"
_EVENT_ROWS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}


@dataclass(frozen=True)
class Watch:
    """Writes to `table` move the token `name`, when `condition` (on `{row}`) holds."""

    name: str
    table: str
    condition: str | None = None

    def row_condition(self, event: str) -> str | None:
        """SQL true when this event's rows (NEW, OLD or both) meet the condition."""
        if self.condition is None:
            return None
        return " OR ".join(f"({self.condition.format(row=row)})" for row in _EVENT_ROWS[event])


_watches: dict[tuple[str, str], Watch] = {}


def watch(name: str, table: str, condition: str | None = None) -> None:
    """Declare that writes to `table` move the version `name` (idempotent)."""
    _watches[(name, table)] = Watch(name=name, table=table, condition=condition)


def watched(name: str | None = None) -> list[Watch]:
    return sorted(
        (w for w in _watches.values() if name is None or w.name == name),
        key=lambda w: (w.name, w.table),
    )


def _trigger_name(watch_: Watch, event: str, body: str) -> str:
    # The definition's hash is in the name: a changed definition replaces the old one.
    digest = hashlib.sha256(body.encode()).hexdigest()[:8]
    return f"{_PREFIX}_{watch_.name}_{watch_.table}_{event.lower()}_{digest}"[:63]


def _sqlite_triggers(watches: list[Watch]) -> dict[str, str]:
    triggers = {}
    for w in watches:
        bump = (
            f"UPDATE {TABLE} SET token = lower(hex(randomblob(16))) "
            f"WHERE name = '{w.name}' AND slot = 1;"
        )
        for event in _EVENT_ROWS:
            when = w.row_condition(event)
            body = (
                f'AFTER {event} ON "{w.table}" FOR EACH ROW '
                f"{f'WHEN {when} ' if when else ''}BEGIN {bump} END"
            )
            name = _trigger_name(w, event, body)
            triggers[name] = f'CREATE TRIGGER "{name}" {body}'
    return triggers


# PostgreSQL: each name's token is spread over SLOTS rows, and a transaction rewrites one
# it can lock without waiting (SKIP LOCKED), then keeps it (a transaction-local setting):
# writers never queue behind each other on one hot row, so a version adds no lock waits
# and no deadlocks to any write. The version is every slot's token, read together.
SLOTS = 64


def _postgresql_rewrite(name: str) -> str:
    setting = f"newsroom.version_slot_{name}"
    return f"""
    chosen := nullif(current_setting('{setting}', true), '')::integer;
    IF chosen IS NULL THEN
        SELECT v.slot INTO chosen FROM {TABLE} v WHERE v.name = '{name}'
            ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
        chosen := coalesce(chosen, 1);  -- every slot busy: wait for one
        PERFORM set_config('{setting}', chosen::text, true);
    END IF;
    UPDATE {TABLE} v SET token = md5(random()::text || clock_timestamp()::text)
        WHERE v.name = '{name}' AND v.slot = chosen;
"""


def _postgresql_function(function: str, name: str, condition: str | None = None) -> str:
    rewrite = _postgresql_rewrite(name)
    if condition:
        rewrite = f"    IF {condition} THEN\n{rewrite}\n    END IF;"
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE chosen integer;
BEGIN
{rewrite}
    RETURN NULL;
END
$$
"""


# Transition tables of a statement-level trigger, per event: the rows it wrote.
_TRANSITION_TABLES = {
    "INSERT": {"NEW": "new_rows"},
    "UPDATE": {"OLD": "old_rows", "NEW": "new_rows"},
    "DELETE": {"OLD": "old_rows"},
}


def _postgresql_triggers(watches: list[Watch]) -> tuple[list[str], dict[str, str]]:
    """Statement-level triggers only: a statement that writes 20,000 rows rewrites a
    token once, not 20,000 times (each rewrite is a new row version of the slot). Where
    the rows decide, the condition is checked over the statement's transition tables."""
    functions: list[str] = []
    triggers: dict[str, str] = {}

    def add(w: Watch, event: str, body: str) -> None:
        name = _trigger_name(w, event, body)
        triggers[name] = f'CREATE TRIGGER "{name}" {body}'

    for w in watches:
        bump = f"{_PREFIX}_bump_{w.name}"[:63]
        functions.append(_postgresql_function(bump, w.name))
        if w.condition is None:
            add(
                w,
                "all",
                f'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{w.table}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {bump}()",
            )
            continue
        add(
            w,
            "truncate",
            f'AFTER TRUNCATE ON "{w.table}" FOR EACH STATEMENT EXECUTE FUNCTION {bump}()',
        )
        for event, tables in _TRANSITION_TABLES.items():
            condition = " OR ".join(
                f"EXISTS (SELECT 1 FROM {alias} r WHERE {w.condition.format(row='r')})"
                for alias in tables.values()
            )
            function = f"{_PREFIX}_{w.name}_{w.table}_{event.lower()}"[:63]
            functions.append(_postgresql_function(function, w.name, condition))
            referencing = " ".join(f"{kind} TABLE AS {alias}" for kind, alias in tables.items())
            add(
                w,
                event,
                f'AFTER {event} ON "{w.table}" REFERENCING {referencing} '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            )
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
    """Create each version's rows and any missing trigger, drop outdated ones; returns
    how many triggers were created."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return 0
    present = set(connection.introspection.table_names())
    if TABLE not in present:
        return 0  # not migrated yet
    watches = [w for w in watched() if w.table in present]
    if connection.vendor == "sqlite":
        functions, wanted = [], _sqlite_triggers(watches)
    else:
        functions, wanted = _postgresql_triggers(watches)
    existing = _existing_triggers(connection)
    missing = [sql for name, sql in wanted.items() if name not in existing]
    quote = connection.ops.quote_name
    slots = SLOTS if connection.vendor == "postgresql" else 1
    with connection.cursor() as cursor:
        for name, table in existing.items():
            if name not in wanted:
                on = "" if connection.vendor == "sqlite" else f" ON {quote(table)}"
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}{on}")
        for sql in functions:  # CREATE OR REPLACE: a changed definition takes effect
            cursor.execute(sql)
        for sql in missing:
            cursor.execute(sql)
        cursor.execute(f"SELECT name, slot FROM {TABLE}")
        have = set(cursor.fetchall())
        for name in sorted({w.name for w in watches}):
            for slot in range(1, slots + 1):
                if (name, slot) not in have:
                    cursor.execute(
                        f"INSERT INTO {TABLE} (name, slot, token) VALUES (%s, %s, %s)",
                        [name, slot, "new"],
                    )
    return len(missing)


def token_sql(name: str, using: str = DEFAULT_DB_ALIAS) -> str:
    """A scalar SQL subquery that reads the version `name`: NULL when it is missing."""
    if connections[using].vendor == "postgresql":
        return f"(SELECT string_agg(token, '.' ORDER BY slot) FROM {TABLE} WHERE name = '{name}')"
    return f"(SELECT token FROM {TABLE} WHERE name = '{name}' AND slot = 1)"


def current(name: str, using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The version `name` now, or None when it is missing (caches then stop)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {token_sql(name, using)}")
        return cursor.fetchone()[0]
