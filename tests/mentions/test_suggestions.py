"""Mention suggestions: refresh, the editor's decisions, candidates, publish warnings."""

import pytest
from django.core.management import call_command

from articles.models import ArticleStatus, Mention, MentionState
from core.models import AuditLog
from entities.models import Entity
from mentions.models import CandidateKind, CandidateState, MentionCandidate
from mentions.suggestions import (
    article_publish_warnings,
    article_suggestions_refresh,
    current_finder,
)
from tests.factories import SEED_ARTICLE, make_article, make_editor, make_mention, person
from workflow import review as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "sviatlana": person(
            "Sviatlana Tsikhanouskaya",
            "Svetlana Tikhanovskaya",
            "Святлана Ціханоўская",
            short=("Tsikhanouskaya",),
            description="Belarusian opposition leader.",
        ),
        "siarhei": person("Sergei Tikhanovsky", "Siarhei Tsikhanouski", description="Her husband."),
        "zelenskyy": person("Volodymyr Zelenskyy", "Zelensky", short=("Zelenskyy",)),
    }


def _suggested(article):
    return {
        m.entity.slug: m for m in Mention.objects.filter(article=article).select_related("entity")
    }


def test_refresh_suggests_each_entity_once_with_text_field_and_span(people):
    """Every spelling is found; one suggestion per entity, with its first text and span."""
    article = make_article(
        "Tikhanovskaya meets Zelensky",
        standfirst="Святлана Ціханоўская in Vilnius.",
        body="Volodymyr Zelenskyy met Sviatlana Tsikhanouskaya. Zelenskyy spoke first.",
        status=ArticleStatus.DRAFT,
    )
    result = article_suggestions_refresh(article=article)
    mentions = _suggested(article)
    assert set(mentions) == {"sviatlana-tsikhanouskaya", "volodymyr-zelenskyy"}
    assert sorted(result.suggested) == sorted(m.entity_id for m in mentions.values())
    for mention in mentions.values():
        assert mention.state == MentionState.SUGGESTED
        source = getattr(article, mention.field)
        assert source[mention.span_start : mention.span_end] == mention.matched_text
    # The husband's surname differs by one ending: never linked.
    assert "sergei-tikhanovsky" not in mentions
    assert not article_suggestions_refresh(article=article).changed  # idempotent


def test_rejected_suggestion_stays_rejected_after_the_next_refresh(people):
    """A rejected suggestion is not suggested again when the article is saved again."""
    editor = make_editor()
    article = make_article(body="Zelensky spoke.", status=ArticleStatus.DRAFT)
    article_suggestions_refresh(article=article)
    mention = Mention.objects.get(article=article)
    services.mention_reject(mention=mention, actor=editor)
    article.body = "Zelensky spoke. Zelensky spoke again."
    article.save()
    result = article_suggestions_refresh(article=article)
    assert result.suggested == []
    mention.refresh_from_db()
    assert mention.state == MentionState.REJECTED
    assert mention.decided_by == editor
    assert Mention.objects.filter(article=article).count() == 1


def test_confirm_and_confirm_all(people):
    """Confirm one, then all the rest at once; confirmed rows are not downgraded later."""
    editor = make_editor()
    article = make_article(
        body="Zelensky met Svetlana Tikhanovskaya and Siarhei Tsikhanouski.",
        status=ArticleStatus.DRAFT,
    )
    article_suggestions_refresh(article=article)
    mentions = _suggested(article)
    assert len(mentions) == 3
    services.mention_confirm(mention=mentions["volodymyr-zelenskyy"], actor=editor)
    assert services.mentions_confirm_all(article=article, actor=editor) == 2
    article_suggestions_refresh(article=article)
    states = set(Mention.objects.filter(article=article).values_list("state", flat=True))
    assert states == {MentionState.CONFIRMED}


def test_reassign_links_another_entity_and_the_original_is_not_suggested_again(people):
    """Reassigning moves the text to another entity; the finder's guess stays rejected."""
    editor = make_editor()
    other = person("Sviatlana Tsikhanouskaya (journalist)", description="A namesake.")
    article = make_article(body="Sviatlana Tsikhanouskaya wrote.", status=ArticleStatus.DRAFT)
    article_suggestions_refresh(article=article)
    original = Mention.objects.get(article=article, entity=people["sviatlana"])
    new = services.mention_reassign(mention=original, entity=other, actor=editor)
    assert (new.entity, new.state) == (other, MentionState.CONFIRMED)
    assert (new.matched_text, new.span_start) == ("Sviatlana Tsikhanouskaya", 0)
    original.refresh_from_db()
    assert original.state == MentionState.REJECTED
    article_suggestions_refresh(article=article)
    assert Mention.objects.get(article=article, entity=people["sviatlana"]).state == "rejected"
    assert Mention.objects.filter(article=article).count() == 2


def test_confirmed_mention_whose_text_disappears_is_flagged(people):
    """The flag goes up when the text leaves the article and down when it returns."""
    article = make_article(body="Zelensky spoke in Kyiv.", status=ArticleStatus.DRAFT)
    article_suggestions_refresh(article=article)
    services.mentions_confirm_all(article=article, actor=make_editor())
    article.body = "The president spoke in Kyiv."
    article.save()
    result = article_suggestions_refresh(article=article)
    mention = Mention.objects.get(article=article)
    assert (mention.state, mention.text_missing, result.flagged) == ("confirmed", True, 1)
    article.body = "Later, Zelensky spoke in Kyiv."
    article.save()
    article_suggestions_refresh(article=article)
    mention.refresh_from_db()
    assert mention.text_missing is False
    assert article.body[mention.span_start : mention.span_end] == "Zelensky"


def test_unmatched_suggestion_is_dropped_when_its_text_goes(people):
    """A pending suggestion whose text was edited out is removed, not left dangling."""
    article = make_article(body="Zelensky spoke.", status=ArticleStatus.DRAFT)
    article_suggestions_refresh(article=article)
    article.body = "The president spoke."
    article.save()
    assert article_suggestions_refresh(article=article).removed == 1
    assert not Mention.objects.filter(article=article).exists()


def test_curated_mentions_without_finder_match_are_not_flagged(seed):
    """Fixture mentions of phrases (an event described in words) keep their state."""
    article = Mention.objects.filter(article__slug=SEED_ARTICLE).first().article
    before = dict(Mention.objects.filter(article=article).values_list("entity__slug", "state"))
    article_suggestions_refresh(article=article)
    after = Mention.objects.filter(article=article)
    assert dict(after.values_list("entity__slug", "state")) == before
    assert not after.filter(text_missing=True).exists()
    for mention in after:
        source = getattr(article, mention.field)
        assert source[mention.span_start : mention.span_end] == mention.matched_text


def test_ambiguous_short_form_is_a_candidate_with_its_entities(people):
    """A surname shared by two people, with no full name nearby, is left to the editor."""
    namesake = person("Anna Tsikhanouskaya", short=("Tsikhanouskaya",))
    article = make_article(body="Yesterday Tsikhanouskaya spoke.", status=ArticleStatus.DRAFT)
    article_suggestions_refresh(article=article)
    assert not Mention.objects.filter(article=article).exists()
    candidate = MentionCandidate.objects.get(article=article, kind=CandidateKind.AMBIGUOUS)
    assert candidate.text == "Tsikhanouskaya"
    assert set(candidate.candidates.all()) == {people["sviatlana"], namesake}
    assert any("Tsikhanouskaya" in w for w in article_publish_warnings(article))
    mention = services.candidate_resolve(candidate=candidate, entity=namesake, actor=make_editor())
    assert (mention.entity, mention.state) == (namesake, MentionState.CONFIRMED)
    article_suggestions_refresh(article=article)
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.RESOLVED
    assert MentionCandidate.objects.filter(article=article).count() == 1


def test_unknown_name_becomes_an_entity_in_one_step(people):
    """A capitalised name matching no entity is a candidate; creating links it."""
    editor = make_editor()
    article = make_article(
        body="Zelensky met the US envoy Keith Kellogg on Monday.", status=ArticleStatus.DRAFT
    )
    article_suggestions_refresh(article=article)
    candidate = MentionCandidate.objects.get(
        article=article, kind=CandidateKind.UNKNOWN, text="Keith Kellogg"
    )
    entity = services.candidate_create_entity(candidate=candidate, actor=editor)
    assert (entity.name, entity.slug, entity.kind) == ("Keith Kellogg", "keith-kellogg", "person")
    mention = Mention.objects.get(article=article, entity=entity)
    assert (mention.state, mention.matched_text) == (MentionState.CONFIRMED, "Keith Kellogg")
    candidate.refresh_from_db()
    assert (candidate.state, candidate.resolved_entity) == (CandidateState.RESOLVED, entity)
    # The alias table changed: the next refresh finds the new entity, no new candidate.
    article.body += " Kellogg's visit, Keith Kellogg said, was short."
    article.save()
    article_suggestions_refresh(article=article)
    assert not MentionCandidate.objects.filter(
        article=article, text="Keith Kellogg", state=CandidateState.OPEN
    ).exists()


def test_creating_an_entity_that_exists_under_that_name_is_a_warning_to_override(people):
    """An unknown name whose record was created meanwhile (from another article) is not
    created twice by accident: the service names the record; an override is audited."""
    editor = make_editor()
    first, second = (
        make_article(body="Keith Kellogg arrived.", status=ArticleStatus.DRAFT) for _ in range(2)
    )
    for article in (first, second):
        article_suggestions_refresh(article=article)
    one, other = (
        MentionCandidate.objects.get(article=article, text="Keith Kellogg")
        for article in (first, second)
    )
    kellogg = services.candidate_create_entity(candidate=one, actor=editor)
    with pytest.raises(services.PossibleDuplicateError) as raised:
        services.candidate_create_entity(candidate=other, actor=editor)
    assert raised.value.existing == [kellogg]
    assert "Keith Kellogg (keith-kellogg)" in raised.value.messages[0]
    other.refresh_from_db()
    assert other.state == CandidateState.OPEN
    # An editor who insists gets a second person.
    services.candidate_create_entity(candidate=other, actor=editor, allow_duplicate=True)
    assert Entity.objects.filter(name="Keith Kellogg", kind="person").count() == 2
    entry = AuditLog.objects.filter(action="entity.create_from_candidate").latest("pk")
    assert entry.details["despite_possible_duplicates"] == ["keith-kellogg"]


def test_dismissed_candidate_is_not_listed_again(people):
    article = make_article(body="Zelensky met Keith Kellogg.", status=ArticleStatus.DRAFT)
    article_suggestions_refresh(article=article)
    candidate = MentionCandidate.objects.get(article=article, text="Keith Kellogg")
    services.candidate_dismiss(candidate=candidate, actor=make_editor())
    article_suggestions_refresh(article=article)
    assert list(
        MentionCandidate.objects.filter(article=article, text="Keith Kellogg").values_list(
            "state", flat=True
        )
    ) == [CandidateState.DISMISSED]


def test_finder_is_built_once_per_alias_table_version(people):
    """The cached finder is reused until an entity or alias changes."""
    first = current_finder()
    assert current_finder() is first
    people["zelenskyy"].aliases.create(name="Зеленський", kind="native")
    second = current_finder()
    assert second is not first
    assert current_finder() is second


def test_publish_warnings_name_undescribed_entities(people):
    """Publishing with a linked entity that has no description is a warning, not a pass."""
    article = make_article(body="Zelensky spoke.", status=ArticleStatus.DRAFT)
    make_mention(article, people["zelenskyy"])
    make_mention(article, people["sviatlana"])
    warnings = article_publish_warnings(article)
    assert len(warnings) == 1 and "Volodymyr Zelenskyy" in warnings[0]
    assert "Tsikhanouskaya" not in warnings[0]


def test_rebuild_mentions_command_over_all_articles_keeps_curation(seed):
    """rebuild_mentions refreshes every article in batches and never downgrades."""
    drafts = [
        make_article(body=f"Zelensky met Siarhei Tsikhanouski ({n}).", status="draft")
        for n in range(3)
    ]
    confirmed_before = Mention.objects.filter(state=MentionState.CONFIRMED).count()
    call_command("rebuild_mentions", "--batch-size", "2", "--no-progress")
    for draft in drafts:
        assert set(_suggested(draft)) == {"volodymyr-zelenskyy", "sergei-tikhanovsky"}
    assert Mention.objects.filter(state=MentionState.CONFIRMED).count() == confirmed_before
    total = Mention.objects.count()
    call_command("rebuild_mentions", "--no-progress")
    assert Mention.objects.count() == total


def test_every_write_service_reruns_the_finder(seed, django_user_model):
    """Saving through the services (any path: admin, API, import) records suggestions."""
    from django.contrib.auth.models import Group

    from workflow import articles as services

    editor = django_user_model.objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    article = services.article_create(
        actor=editor, headline="Talks in Vilnius", body="Lukashenko said nothing.", source="api"
    )
    suggested = set(article.mentions.values_list("entity__slug", "state"))
    assert suggested == {("vilnius", "suggested"), ("alexander-lukashenka", "suggested")}
    services.article_update(
        article=article,
        actor=editor,
        expected_version=article.version,
        changes={"body": "Lukashenko met Zelensky."},
        source="api",
    )
    assert article.mentions.filter(entity__slug="volodymyr-zelenskyy").exists()


def test_the_publish_page_warns_about_undescribed_entities(admin_client, seed):
    """Publishing an article linked to an entity without a description warns the editor."""
    from articles.models import Article
    from entities.models import Entity

    Entity.objects.filter(slug="aachen").update(description="")
    article = Article.objects.get()
    response = admin_client.get(f"/admin/articles/article/{article.pk}/workflow/publish/")
    assert response.status_code == 200
    assert "Check before publishing" in response.text and "Aachen" in response.text
