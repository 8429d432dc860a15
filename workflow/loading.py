"""Load the curated fixtures: validate every row, write all or nothing, rebuild derived data."""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers import base
from django.db import DatabaseError, transaction

from core.text import clean_text, clean_text_with_offsets
from entities.services import entity_derived_data_rebuild
from search.services import search_index_rebuild
from workflow.articles import TYPED_TEXT_FIELDS, article_revisions_baseline

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
# Order matters: rows may only refer to rows of earlier files (or earlier in the same file).
DEFAULT_FIXTURES = ["groups.json", "entities.json", "articles.json"]
# Services that rebuild derived data (normalised aliases, event periods, suggestions) and
# give loaded articles the first revision that later saves are diffed against.
DERIVED_DATA_REBUILDERS: list[Callable[[], object]] = [
    entity_derived_data_rebuild,
    article_revisions_baseline,
    search_index_rebuild,
]
MAX_REPORTED_ERRORS = 20
# What a fixture may hold: the content apps and the role groups. Users, permissions,
# sessions, the audit log and derived tables are refused by name (a fixture could
# otherwise create a superuser); import_newsroom adds users, from its own export only.
CONTENT_APPS = frozenset({"entities", "articles"})
CONTENT_MODELS = frozenset({"auth.group"})


def is_content_model(label: str) -> bool:
    """Whether fixtures may carry rows of the model `label` ("app_label.modelname")."""
    return label in CONTENT_MODELS or label.partition(".")[0] in CONTENT_APPS


# Rows that hold a span of an article's text (`field`, `span_start`, `span_end`) and the
# text it covers (`matched_text` or `text`): moved with the text when it is cleaned.
SPAN_MODELS = {"articles.mention": "matched_text", "mentions.mentioncandidate": "text"}


class FixtureError(Exception):
    """A fixture could not be loaded; nothing was written."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass
class LoadResult:
    objects: int = 0
    per_model: dict[str, int] = field(default_factory=dict)


def fixtures_load(
    *, paths: Sequence[Path] | None = None, using: str = "default", rebuild: bool = True
) -> LoadResult:
    """Load fixture files in one transaction; raise FixtureError naming every bad row."""
    paths = [Path(p) for p in paths] if paths else [FIXTURES_DIR / n for n in DEFAULT_FIXTURES]
    rows = [row for path in paths for row in read_rows(path)]
    return rows_load(rows=rows, using=using, rebuild=rebuild)


def rows_load(
    *,
    rows: Sequence[tuple[str, dict]],
    using: str = "default",
    rebuild: bool = True,
    allowed: Callable[[str], bool] = is_content_model,
) -> LoadResult:
    """Load (where, row) pairs in one transaction: every row's model must be `allowed`."""
    result = LoadResult()
    errors: list[str] = []
    # Per loaded article whose text was cleaned: {field: old offset → new offset}.
    moved: dict[int, dict[str, list[int]]] = {}
    with transaction.atomic(using=using):
        for where, row in rows:
            try:
                _load_row(row, using, allowed, moved)
            except _RowError as exc:
                errors.append(f"{where} ({row.get('model', '?')}): {exc}")
                if len(errors) >= MAX_REPORTED_ERRORS:
                    break
                continue
            result.objects += 1
            result.per_model[row["model"]] = result.per_model.get(row["model"], 0) + 1
        if errors:
            transaction.set_rollback(True, using=using)
            raise FixtureError(errors)
        if rebuild:
            derived_data_rebuild()
    return result


def derived_data_rebuild() -> None:
    for rebuilder in DERIVED_DATA_REBUILDERS:
        rebuilder()


class _RowError(Exception):
    pass


def read_rows(path: Path) -> list[tuple[str, dict]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FixtureError([f"{path}: no such fixture file."]) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FixtureError([f"{path}: not valid JSON: {exc}"]) from exc
    if not isinstance(data, list):
        raise FixtureError([f"{path}: a fixture is a JSON list of objects."])
    rows = []
    for index, row in enumerate(data, start=1):
        where = f"{path.name} object {index}"
        if not isinstance(row, dict) or not isinstance(row.get("fields"), dict):
            raise FixtureError([f"{where}: each object needs a 'model' and a 'fields' object."])
        rows.append((where, row))
    return rows


def _clean_article_row(row: dict) -> tuple[dict, dict[str, list[int]]]:
    """The row with its typed text cleaned as the write services clean it, and the
    offset maps of the fields that changed."""
    fields = dict(row["fields"])
    maps = {}
    for name in TYPED_TEXT_FIELDS:
        value = fields.get(name)
        if isinstance(value, str):
            cleaned, offsets = clean_text_with_offsets(value)
            if cleaned != value:
                fields[name] = cleaned
                maps[name] = offsets
    return {**row, "fields": fields}, maps


def _move_span(instance, text_attribute: str, moved: dict[int, dict[str, list[int]]]) -> None:
    """Put a span row on its article's cleaned text."""
    setattr(instance, text_attribute, clean_text(getattr(instance, text_attribute) or ""))
    offsets = moved.get(instance.article_id, {}).get(instance.field)
    if offsets is None or instance.span_start is None or instance.span_end is None:
        return
    if not 0 <= instance.span_start < instance.span_end < len(offsets):
        raise _RowError(
            f"span {instance.span_start}–{instance.span_end} lies outside its article's "
            f"{instance.field}"
        )
    instance.span_start = offsets[instance.span_start]
    instance.span_end = offsets[instance.span_end]


def _load_row(
    row: dict,
    using: str,
    allowed: Callable[[str], bool],
    moved: dict[int, dict[str, list[int]]],
) -> None:
    try:
        model = apps.get_model(row.get("model", ""))
    except (LookupError, ValueError) as exc:
        raise _RowError(f"unknown model {row.get('model')!r}") from exc
    label = model._meta.label_lower
    if not allowed(label):
        raise _RowError(
            f"{label} is not content: fixtures may hold only entities, articles and the role groups"
        )
    offsets: dict[str, list[int]] = {}
    if label == "articles.article":
        row, offsets = _clean_article_row(row)
    try:
        (deserialized,) = serializers.deserialize("python", [row], using=using)
    except (base.DeserializationError, FieldDoesNotExist, ValidationError) as exc:
        raise _RowError(_describe_bad_field(model, row["fields"], using) or str(exc)) from exc
    instance = deserialized.object
    if label in SPAN_MODELS:
        _move_span(instance, SPAN_MODELS[label], moved)
    # A pk resolved from the natural key means the row exists: validate it as an update.
    instance._state.adding = instance.pk is None
    try:
        # Check constraints are left to the database (one query each otherwise); it names
        # the violated constraint. Fields (choices, NULL, length) and uniqueness are named here.
        instance.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise _RowError(_describe_validation_error(exc)) from exc
    try:
        with transaction.atomic(using=using):
            deserialized.save(using=using)
    except DatabaseError as exc:
        raise _RowError(f"the database refused the row: {exc}") from exc
    if offsets:
        moved[instance.pk] = offsets


def _describe_bad_field(model, fields: dict, using: str) -> str:
    """Find which field of a row failed to deserialize, and say why."""
    for name, value in fields.items():
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return f"field {name!r}: {model._meta.label} has no such field"
        if value is None or not model_field.is_relation:
            continue
        related = model_field.remote_field.model._meta.label
        try:
            if model_field.many_to_many:
                base.deserialize_m2m_values(
                    model_field, value, using, handle_forward_references=False
                )
            else:
                base.deserialize_fk_value(
                    model_field, value, using, handle_forward_references=False
                )
        except Exception:
            return f"field {name!r}: no {related} with natural key {value!r}"
    return ""


def _describe_validation_error(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages)
    return "; ".join(
        f"field {name!r}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
        for name, messages in exc.message_dict.items()
    )
