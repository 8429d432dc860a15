"""Merging duplicate entities: everything moves, names become aliases, one transaction."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Mention, MentionState, Quote, Statistic
from core.models import AuditLog
from entities.models import Alias, AliasKind, Entity, EntityKind, Participation, Relation, Role
from mentions.models import MentionCandidate
from tests.factories import make_article, make_editor, make_entity, make_mention, person
from workflow import merge as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(db):
    survivor = person("Sviatlana Tsikhanouskaya", "Tsikhanouskaya", description="Leader.")
    duplicate = person("Svetlana Tikhanovskaya", "Tsikhanouskaya", "Тихановская")
    return survivor, duplicate


def _snapshot():
    return {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (Entity, Alias, Mention, Quote, Statistic, Role, Relation, Participation)
    }


def test_merge_moves_everything_and_keeps_one_row_per_conflict(pair):
    """Mentions, quotes, statistics, roles, relations, participations and aliases move."""
    survivor, duplicate = pair
    editor = make_editor()
    husband = person("Sergei Tikhanovsky")
    belarus = make_entity("Belarus", EntityKind.PLACE)
    event = make_entity("Meeting", EntityKind.EVENT)
    both, only_dup, only_surv = make_article(), make_article(), make_article()
    make_mention(both, survivor, state=MentionState.SUGGESTED)
    make_mention(both, duplicate, state=MentionState.CONFIRMED)
    make_mention(only_dup, duplicate, state=MentionState.REJECTED)
    make_mention(only_surv, survivor)
    quote = Quote.objects.create(slug="q", article=both, speaker=duplicate, text="Words.")
    stat = Statistic.objects.create(
        slug="s",
        value=1,
        unit="votes",
        subject=duplicate,
        as_of="2025-01-01",
        as_of_precision="day",
    )
    Role.objects.create(person=survivor, title="Leader")
    Role.objects.create(person=duplicate, title="Leader")
    Role.objects.create(person=duplicate, title="Candidate")
    Relation.objects.create(subject=husband, kind="spouse", object=survivor)
    Relation.objects.create(subject=husband, kind="spouse", object=duplicate)
    Relation.objects.create(subject=duplicate, kind="opponent", object=belarus)
    Relation.objects.create(subject=duplicate, kind="ally", object=survivor)
    Participation.objects.create(event=event, participant=survivor, role="host")
    Participation.objects.create(event=event, participant=duplicate, role="host")
    Participation.objects.create(event=event, participant=duplicate, role="speaker")

    result = services.entity_merge(survivor=survivor, duplicate=duplicate, actor=editor)

    assert result.survivor == survivor
    assert not Mention.objects.filter(entity=duplicate).exists()
    assert Mention.objects.get(article=both, entity=survivor).state == MentionState.CONFIRMED
    assert Mention.objects.get(article=only_dup, entity=survivor).state == MentionState.REJECTED
    assert Mention.objects.filter(entity=survivor).count() == 3
    quote.refresh_from_db()
    stat.refresh_from_db()
    assert (quote.speaker, stat.subject) == (survivor, survivor)
    assert set(survivor.roles.values_list("title", flat=True)) == {"Leader", "Candidate"}
    assert Relation.objects.filter(subject=husband, object=survivor).count() == 1
    assert Relation.objects.filter(subject=survivor, kind="opponent", object=belarus).exists()
    assert not Relation.objects.filter(subject=survivor, object=survivor).exists()
    assert not Relation.objects.filter(subject=duplicate).exists()
    assert set(
        Participation.objects.filter(participant=survivor).values_list("role", flat=True)
    ) == {"host", "speaker"}
    aliases = dict(survivor.aliases.values_list("name", "kind"))
    assert aliases["Svetlana Tikhanovskaya"] == AliasKind.MERGED
    assert aliases["Тихановская"] == AliasKind.SPELLING
    assert list(survivor.aliases.values_list("name", flat=True)).count("Tsikhanouskaya") == 1
    assert not duplicate.aliases.exists()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor


def test_merged_url_redirects_permanently_to_the_survivor(pair, client):
    survivor, duplicate = pair
    services.entity_merge(survivor=survivor, duplicate=duplicate, actor=make_editor())
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()


def test_merge_is_recorded_in_the_audit_log(pair):
    survivor, duplicate = pair
    editor = make_editor()
    services.entity_merge(survivor=survivor, duplicate=duplicate, actor=editor)
    entry = AuditLog.objects.get(action="entity.merge")
    assert (entry.actor, entry.object_id) == (editor, str(survivor.pk))
    assert entry.details["duplicate"]["slug"] == duplicate.slug


def test_a_failure_midway_leaves_nothing_changed(pair, monkeypatch):
    """The merge is one transaction: if its last step fails, no row has moved."""
    survivor, duplicate = pair
    article = make_article()
    make_mention(article, duplicate)
    Role.objects.create(person=duplicate, title="Candidate")
    before = _snapshot()

    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.entity_merge(survivor=survivor, duplicate=duplicate, actor=make_editor())
    assert _snapshot() == before
    assert Entity.objects.get(pk=duplicate.pk).merged_into is None


def test_merge_refuses_itself_other_kinds_and_merged_records(pair):
    survivor, duplicate = pair
    editor = make_editor()
    place = make_entity("Vilnius", EntityKind.PLACE)
    with pytest.raises(ValidationError):
        services.entity_merge(survivor=survivor, duplicate=survivor, actor=editor)
    with pytest.raises(ValidationError):
        services.entity_merge(survivor=survivor, duplicate=place, actor=editor)
    services.entity_merge(survivor=survivor, duplicate=duplicate, actor=editor)
    with pytest.raises(ValidationError):
        services.entity_merge(survivor=survivor, duplicate=duplicate, actor=editor)


def test_candidates_listing_the_duplicate_list_the_survivor(pair):
    survivor, duplicate = pair
    article = make_article()
    candidate = MentionCandidate.objects.create(
        article=article, kind="ambiguous", text="Tsikhanouskaya"
    )
    candidate.candidates.set([survivor, duplicate])
    services.entity_merge(survivor=survivor, duplicate=duplicate, actor=make_editor())
    assert list(candidate.candidates.all()) == [survivor]


def test_earlier_merges_follow_to_the_new_survivor(pair, client):
    """A record merged into the duplicate before now points at the survivor directly."""
    survivor, duplicate = pair
    older = person("Sviatlana Cichanouskaja")
    editor = make_editor()
    services.entity_merge(survivor=duplicate, duplicate=older, actor=editor)
    services.entity_merge(survivor=survivor, duplicate=duplicate, actor=editor)
    older.refresh_from_db()
    assert older.merged_into == survivor
    assert client.get(older.get_absolute_url())["Location"] == survivor.get_absolute_url()
    assert {"Svetlana Tikhanovskaya", "Sviatlana Cichanouskaja"} <= set(
        survivor.aliases.values_list("name", flat=True)
    )
