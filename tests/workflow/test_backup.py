"""export_newsroom / import_newsroom round-trip what editors curated; load_newsroom refuses
rows outside the content apps (issue 11, point 14)."""

import json
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import (
    Article,
    Correction,
    CorrectionKind,
    Mention,
    Quote,
    Revision,
    Section,
    Statistic,
)
from entities.models import Alias, Entity, Participation, Relation, Role
from tests.conftest import make_user
from tests.factories import SEED_ARTICLE
from workflow import backup


def _wipe() -> None:
    """Empty the content tables and users, as a new database would be."""
    for model in (Revision, Correction, Statistic, Quote, Mention, Article, Section):
        model.objects.all().delete()
    Entity.objects.update(merged_into=None, parent=None, country=None, location=None)
    for model in (Participation, Relation, Role, Alias, Entity, User):
        model.objects.all().delete()


def _export(path, *args) -> list[dict]:
    call_command("export_newsroom", str(path), *args, stdout=StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def curated(seed, groups):
    editor = make_user("desk", groups["Editor"])
    editor.set_password("desk-password-1")
    editor.save()
    article = Article.objects.get(slug=SEED_ARTICLE)
    Correction.objects.create(
        article=article,
        kind=CorrectionKind.CORRECTION,
        note="A name was misspelt.",
        created_by=editor,
    )
    Revision.objects.filter(article=article).update(actor=editor)
    return editor


def test_export_then_import_into_an_empty_database_gives_back_the_same_content(
    curated, tmp_path, client
):
    before = _export(tmp_path / "before.json")
    assert {row["model"] for row in before} == set(backup.EXPORT_MODELS)
    _wipe()
    out = StringIO()
    call_command("import_newsroom", str(tmp_path / "before.json"), stdout=out)
    assert "Imported" in out.getvalue()
    after = _export(tmp_path / "after.json")
    assert after == before
    # Derived data is rebuilt, not carried: the article is searchable again.
    assert SEED_ARTICLE in client.get("/search/?q=Tsikhanouskaya").text
    assert Article.objects.get(slug=SEED_ARTICLE).corrections.get().created_by.username == "desk"


def test_passwords_are_left_out_unless_asked_for(curated, tmp_path):
    rows = _export(tmp_path / "plain.json")
    users = [row for row in rows if row["model"] == "auth.user"]
    assert users and all("password" not in row["fields"] for row in users)
    _wipe()
    call_command("import_newsroom", str(tmp_path / "plain.json"), stdout=StringIO())
    assert not User.objects.get(username="desk").has_usable_password()

    _wipe()
    Group.objects.all().delete()
    call_command("import_newsroom", str(tmp_path / "plain.json"), stdout=StringIO())
    curated_again = User.objects.get(username="desk")
    curated_again.set_password("desk-password-1")
    curated_again.save()
    rows = _export(tmp_path / "secret.json", "--with-passwords")
    assert all(row["fields"]["password"] for row in rows if row["model"] == "auth.user")
    _wipe()
    call_command("import_newsroom", str(tmp_path / "secret.json"), stdout=StringIO())
    assert User.objects.get(username="desk").check_password("desk-password-1")


def test_import_refuses_a_database_that_has_content(curated, tmp_path):
    _export(tmp_path / "dump.json")
    with pytest.raises(CommandError, match="already has articles"):
        call_command("import_newsroom", str(tmp_path / "dump.json"), stdout=StringIO())


def test_a_failed_export_leaves_the_previous_file_and_no_temporary_file(curated, tmp_path):
    target = tmp_path / "backup.json"
    target.write_text("previous backup")
    with (
        mock.patch.object(backup, "_rows", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        call_command("export_newsroom", str(target), stdout=StringIO())
    assert target.read_text() == "previous backup"
    assert [path.name for path in tmp_path.iterdir()] == ["backup.json"]


def test_load_newsroom_refuses_rows_outside_the_content_apps(groups, tmp_path):
    """A fixture cannot create a superuser (or any non-content row); nothing is written."""
    fixture = tmp_path / "evil.json"
    fixture.write_text(
        json.dumps(
            [
                {"model": "articles.section", "fields": {"name": "Evil", "slug": "evil"}},
                {
                    "model": "auth.user",
                    "fields": {
                        "username": "intruder",
                        "password": "pbkdf2_sha256$1$x$y",
                        "is_superuser": True,
                        "is_staff": True,
                    },
                },
            ]
        )
    )
    with pytest.raises(CommandError, match=r"auth\.user is not content"):
        call_command("load_newsroom", str(fixture), stdout=StringIO())
    assert not User.objects.filter(username="intruder").exists()
    assert not Section.objects.filter(slug="evil").exists()
