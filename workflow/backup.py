"""Export everything editors curated to one JSON file, and import it into a new database.

`newsroom_export` writes, in dependency order and with natural keys only (slugs,
usernames, group names): groups, users, sections, entities and their aliases, roles,
relations and participations, articles with their mentions, quotes, statistics,
corrections and revisions. Password hashes are left out unless asked for. The file is
written next to its destination and renamed over it, so a failed or interrupted export
never leaves truncated JSON behind (`dumpdata` did, failing on the search table).

Derived data is not exported (search index, alias normal forms, event periods, version
tokens, mention candidates): `newsroom_import` loads through the fixture loader (every
row validated, one transaction, all or nothing) and rebuilds it. The audit log is not
exported either: it names objects by database id, which a new database does not keep;
keep it with a database-level backup (README, "Backups").
"""

import datetime as dt
import decimal
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import serializers

from articles.models import Article
from entities.models import Entity
from workflow.loading import LoadResult, read_rows, rows_load

# Each model after every model it refers to.
EXPORT_MODELS = (
    "auth.group",
    "auth.user",
    "articles.section",
    "entities.entity",
    "entities.alias",
    "entities.role",
    "entities.relation",
    "entities.participation",
    "articles.article",
    "articles.mention",
    "articles.quote",
    "articles.statistic",
    "articles.correction",
    "articles.revision",
)
# References between entities (a merged record, a place's parent, an organization's
# country, an event's place): referenced entities are written first.
ENTITY_SELF_REFERENCES = ("merged_into_id", "parent_id", "country_id", "location_id")


class ImportRefused(Exception):
    """import_newsroom was pointed at a database that already has content."""


@dataclass
class ExportResult:
    path: Path
    per_model: dict[str, int]


def _encode(value):
    # Full precision (DjangoJSONEncoder cuts times to milliseconds, and a correction's
    # natural key is its publication time).
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"Cannot export {type(value).__name__}")


def _entities_in_reference_order() -> list:
    entities = {entity.pk: entity for entity in Entity.objects.order_by("pk")}
    ordered, done = [], set()

    def visit(entity, path: frozenset) -> None:
        if entity.pk in done or entity.pk in path:
            return
        for attribute in ENTITY_SELF_REFERENCES:
            target = entities.get(getattr(entity, attribute))
            if target is not None:
                visit(target, path | {entity.pk})
        done.add(entity.pk)
        ordered.append(entity)

    for entity in entities.values():
        visit(entity, frozenset())
    return ordered


def _objects(label: str):
    if label == "entities.entity":
        return _entities_in_reference_order()
    return apps.get_model(label)._default_manager.order_by("pk").iterator(chunk_size=500)


def _rows(label: str, *, with_passwords: bool):
    model = apps.get_model(label)
    has_natural_key = hasattr(model, "natural_key")
    for row in serializers.serialize(
        "python",
        _objects(label),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    ):
        if not has_natural_key:
            row.pop("pk", None)  # a new database numbers these rows itself
        if label == "auth.user" and not with_passwords:
            row["fields"].pop("password", None)
        yield row


def newsroom_export(*, path: Path, with_passwords: bool = False) -> ExportResult:
    """Write the curated content to `path` atomically (temporary file, then rename)."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    per_model: dict[str, int] = {}
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write("[")
            first = True
            for label in EXPORT_MODELS:
                per_model[label] = 0
                for row in _rows(label, with_passwords=with_passwords):
                    handle.write("\n" if first else ",\n")
                    handle.write(json.dumps(row, default=_encode, ensure_ascii=False))
                    first = False
                    per_model[label] += 1
            handle.write("\n]\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return ExportResult(path=path, per_model=per_model)


def _is_exported_model(label: str) -> bool:
    return label in EXPORT_MODELS


def _passwords_kept_or_unusable(rows: list[tuple[str, dict]]) -> None:
    """A user exported without a hash keeps the password they have here, if any, and
    otherwise gets an unusable one (an editor or `changepassword` sets a new one)."""
    existing = dict(get_user_model().objects.values_list("username", "password"))
    for _where, row in rows:
        if row.get("model") != "auth.user" or "password" in row.get("fields", {}):
            continue
        username = row["fields"].get("username")
        row["fields"]["password"] = existing.get(username) or make_password(None)


def newsroom_import(*, path: Path) -> LoadResult:
    """Load an export into a database without articles or entities; rebuild derived data."""
    if Article.objects.exists() or Entity.objects.exists():
        raise ImportRefused(
            "This database already has articles or entities: import_newsroom restores into "
            "a new database (run `manage.py migrate` on an empty one first)."
        )
    rows = read_rows(Path(path))
    _passwords_kept_or_unusable(rows)
    return rows_load(rows=rows, allowed=_is_exported_model)
