"""Databases made before the layers migrate in place."""

import importlib
from types import SimpleNamespace

from django.db import connection

from articles.models import Section

core_initial = importlib.import_module("core.migrations.0001_initial")


def test_the_old_public_version_triggers_go_with_their_table(db):
    """A database of the newsroom app's era has triggers that write newsroom_publicversion;
    core's first migration drops them before the table, so writes (and SQLite's table
    renames) keep working."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE newsroom_publicversion (id integer PRIMARY KEY, token text)")
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER newsroom_pv_articles_section_insert AFTER INSERT ON "
                "articles_section BEGIN UPDATE newsroom_publicversion SET token = 'x'; END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION newsroom_pv_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN UPDATE newsroom_publicversion SET token = 'x'; RETURN NULL; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER newsroom_pv_articles_section_all AFTER INSERT ON "
                "articles_section FOR EACH STATEMENT EXECUTE FUNCTION newsroom_pv_bump()"
            )
    # The migration function reads only the schema editor's connection.
    core_initial.drop_public_version_triggers(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE newsroom_publicversion")
    Section.objects.create(name="Culture", slug="culture")  # no trigger left to fail
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'newsroom_pv%'")
        else:
            cursor.execute(
                "SELECT (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'newsroom_pv%') "
                "+ (SELECT count(*) FROM pg_proc WHERE proname LIKE 'newsroom_pv%')"
            )
        assert cursor.fetchone()[0] == 0
