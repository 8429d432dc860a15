"""The seed fixtures: every fact of the seed article, a clean round trip, all-or-nothing loads."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from articles.models import Article, Mention, MentionState, Quote, Statistic
from entities.models import Alias, Entity, Participation, Relation, Role
from tests.factories import SEED_ARTICLE
from workflow.loading import FixtureError, fixtures_load

DUMPED_MODELS = ["auth.group", "entities", "articles"]
# History is not curated content: fixtures carry no revisions (loading writes a baseline).
NOT_DUMPED = ["articles.revision"]


def test_every_person_with_role_and_spellings(seed):
    zelenskyy = Entity.objects.get(slug="volodymyr-zelenskyy", kind="person")
    assert zelenskyy.roles.get().title == "President of Ukraine"
    assert {"Zelensky", "Zelenskiy", "Володимир Зеленський"} <= set(
        zelenskyy.aliases.values_list("name", flat=True)
    )
    tsikhanouskaya = Entity.objects.get(slug="sviatlana-tsikhanouskaya", kind="person")
    assert "opposition leader" in tsikhanouskaya.description
    assert {"Svetlana Tikhanovskaya", "Cichanoŭskaja", "Святлана Ціханоўская"} <= set(
        tsikhanouskaya.aliases.values_list("name", flat=True)
    )
    lukashenka = Entity.objects.get(slug="alexander-lukashenka", kind="person")
    assert lukashenka.roles.get().title == "Ruler of Belarus"
    assert {"Lukashenko", "Łukašenka", "Аляксандр Лукашэнка"} <= set(
        lukashenka.aliases.values_list("name", flat=True)
    )
    husband = Entity.objects.get(slug="sergei-tikhanovsky", kind="person")
    assert "five years" in husband.description and "June 2025" in husband.description
    assert {"Siarhei Tsikhanouski", "Сяргей Ціханоўскі"} <= set(
        husband.aliases.values_list("name", flat=True)
    )
    assert Relation.objects.filter(subject=husband, kind="spouse", object=tsikhanouskaya).exists()


def test_aliases_carry_kind_language_script_and_normal_form(seed):
    alias = Alias.objects.get(name="Аляксандр Лукашэнка")
    assert (alias.kind, alias.language, alias.script) == ("native", "be", "Cyrl")
    assert alias.normalized  # rebuilt after loading
    assert Alias.objects.exclude(normalized="").count() == Alias.objects.count()


def test_organizations_and_places_with_parents(seed):
    kinds = dict(
        Entity.objects.filter(kind="organization").values_list("slug", "organization_kind")
    )
    assert kinds == {
        "viasna-human-rights-center": "ngo",
        "european-political-community": "intergovernmental",
        "x": "platform",
    }
    parents = {
        slug: Entity.objects.get(slug=slug).parent.slug
        for slug in ("vilnius", "aachen", "copenhagen")
    }
    assert parents == {"vilnius": "lithuania", "aachen": "germany", "copenhagen": "denmark"}
    for slug in ("belarus", "ukraine", "russia", "lithuania"):
        assert Entity.objects.get(slug=slug).place_kind == "country"
    assert Entity.objects.get(slug="vilnius").latitude == Decimal("54.687200")


@pytest.mark.parametrize(
    ("slug", "display", "place"),
    [
        ("zelenskyy-tsikhanouskaya-meeting-2026", "25 January 2026", "vilnius"),
        ("charlemagne-prize-ceremony-2023", "May 2023", "aachen"),
        ("european-political-community-summit-2025", "October 2025", "copenhagen"),
        ("release-of-14-political-prisoners-2025", "June 2025", "belarus"),
        ("january-uprising", "1863", None),
        ("january-uprising-commemoration-2026", "January 2026", None),
        ("russian-invasion-of-ukraine", "February 2022", "ukraine"),
    ],
)
def test_events_with_dates_at_their_precision(seed, slug, display, place):
    event = Entity.objects.get(slug=slug, kind="event")
    assert event.date_display == display
    assert (event.location.slug if event.location else None) == place


def test_event_participants_have_roles(seed):
    assert Participation.objects.filter(
        event__slug="charlemagne-prize-ceremony-2023",
        participant__slug="volodymyr-zelenskyy",
        role="laureate",
    ).exists()
    meeting = Participation.objects.filter(event__slug="zelenskyy-tsikhanouskaya-meeting-2026")
    assert set(meeting.values_list("participant__slug", flat=True)) == {
        "volodymyr-zelenskyy",
        "sviatlana-tsikhanouskaya",
    }


def test_article_keeps_its_three_subheadings_and_is_public(seed):
    article = Article.objects.public().get(slug=SEED_ARTICLE)
    subheadings = [b.text for b in article.body_blocks if b.kind == "subheading"]
    assert subheadings == [
        "From brief encounters to formal talks",
        "Political prisoners and Lukashenka accountability on agenda",
        "Two Belaruses: war enabler vs. Ukraine's future ally",
    ]
    assert article.headline and article.dateline.slug == "vilnius"
    assert "1,131 political prisoners" in article.body_text


def test_three_quotes_with_when_and_where(seed):
    quotes = {q.slug: q for q in Quote.objects.filter(speaker__slug="sviatlana-tsikhanouskaya")}
    assert len(quotes) == 3
    solidarity = quotes["tsikhanouskaya-solidarity-with-ukrainian-people"]
    assert solidarity.text.startswith("On behalf of Belarusians")
    assert (solidarity.said_where, solidarity.medium.slug) == ("on X", "x")
    assert solidarity.said_on_date.display() == "25 January 2026"
    interview = quotes["tsikhanouskaya-previous-encounters"]
    assert (interview.said_where, interview.said_on_date.display()) == (
        "in an interview",
        "January 2024",
    )
    article = Article.objects.get(slug=SEED_ARTICLE)
    for quote in quotes.values():
        assert quote.text in article.body


def test_statistics_with_source_and_date(seed):
    prisoners = Statistic.objects.get(value=1131)
    assert prisoners.unit == "political prisoners"
    assert prisoners.subject.slug == "belarus"
    assert prisoners.as_of == dt.date(2025, 12, 31)
    assert prisoners.source.slug == "viasna-human-rights-center"
    assert prisoners.value_display == "1,131"
    freed = Statistic.objects.get(value=14)
    assert freed.as_of_date.display() == "June 2025"


def test_every_entity_is_mentioned_and_confirmed_with_a_role(seed):
    mentions = Mention.objects.filter(article__slug=SEED_ARTICLE)
    assert set(mentions.values_list("entity__slug", flat=True)) >= set(
        Entity.objects.exclude(slug__in=["germany", "denmark"]).values_list("slug", flat=True)
    )
    assert not mentions.exclude(state=MentionState.CONFIRMED).exists()
    roles = dict(mentions.values_list("entity__slug", "role"))
    assert roles["volodymyr-zelenskyy"] == "subject"
    assert roles["viasna-human-rights-center"] == "source"
    assert roles["vilnius"] == "location"


def test_editorial_groups_with_permissions(seed):
    reporter = set(
        Group.objects.get(name="Reporter").permissions.values_list("codename", flat=True)
    )
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "submit_article"} <= reporter
    assert "publish_article" not in reporter
    assert {"publish_article", "withdraw_article", "correct_article"} <= editor


def test_loading_twice_changes_nothing(seed):
    before = _dump()
    result = fixtures_load()
    assert result.objects == seed.objects
    assert _dump() == before


def test_dump_loads_into_an_empty_database_and_dumps_identically(seed, tmp_path):
    first = _dump()
    _empty_database()
    assert Entity.objects.count() == 0
    fixture = tmp_path / "dump.json"
    fixture.write_text(first)
    fixtures_load(paths=[fixture], rebuild=False)
    assert _dump() == first
    assert '"pk"' not in first  # natural keys only, no numeric ids


def _dump() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        *DUMPED_MODELS,
        exclude=NOT_DUMPED,
        natural_foreign=True,
        natural_primary=True,
        indent=1,
        stdout=out,
    )
    return out.getvalue()


def _empty_database() -> None:
    for model in (Mention, Quote, Statistic, Article, Participation, Relation, Role, Alias):
        model.objects.all().delete()
    Entity.objects.update(parent=None, country=None, location=None, merged_into=None)
    Entity.objects.all().delete()
    Group.objects.all().delete()
    from articles.models import Section

    Section.objects.all().delete()


def _bad_fixture(tmp_path, bad_row: dict):
    rows = [
        {"model": "articles.section", "fields": {"name": "Tests", "slug": "tests"}},
        {
            "model": "entities.entity",
            "fields": {"kind": "person", "name": "Jane Doe", "slug": "jane-doe"},
        },
        bad_row,
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(rows))
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_row", "model", "field"),
    [
        (
            {
                "model": "entities.alias",
                "fields": {"entity": ["nobody"], "name": "N", "kind": "short"},
            },
            "entities.alias",
            "'entity'",
        ),
        (
            {"model": "entities.entity", "fields": {"kind": "town", "name": "X", "slug": "x"}},
            "entities.entity",
            "'kind'",
        ),
        (
            {
                "model": "articles.article",
                "fields": {"headline": None, "slug": "a", "body": "Text."},
            },
            "articles.article",
            "'headline'",
        ),
        (
            {
                "model": "articles.article",
                "fields": {"headline": "H", "slug": "a", "body": "T", "status": "live"},
            },
            "articles.article",
            "'status'",
        ),
    ],
    ids=["dangling-reference", "invalid-choice", "null", "invalid-status"],
)
def test_a_bad_row_names_model_and_field_and_writes_nothing(tmp_path, bad_row, model, field):
    path = _bad_fixture(tmp_path, bad_row)
    with pytest.raises(FixtureError) as excinfo:
        fixtures_load(paths=[path])
    message = str(excinfo.value)
    assert "bad.json object 3" in message and model in message and field in message
    assert Entity.objects.count() == 0
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_the_command_reports_bad_json_clearly(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"model": "entities.entity", ')
    with pytest.raises(CommandError, match=r"(?s)Nothing was loaded.*not valid JSON"):
        call_command("load_newsroom", str(path))


@pytest.mark.django_db
def test_the_command_loads_and_reports_counts():
    out = io.StringIO()
    call_command("load_newsroom", stdout=out)
    assert "articles.article: 1" in out.getvalue()
    assert Article.objects.public().count() == 1
