"""Search: ranking, alias-aware folding, hostile input, index kept in step (both databases)."""

import datetime as dt
import time

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article, MentionState
from search.query import NEWEST, RELEVANCE, article_search, entity_search, public_search_page
from search.services import search_index_rebuild
from search.text import highlight, query_keys
from tests.factories import SEED_ARTICLE, make_article, make_mention, person
from workflow import articles as article_services
from workflow import articles as services


def ids(queryset):
    return [article.pk for article in queryset]


def test_headline_outranks_standfirst_outranks_body(db):
    """All words in the headline rank above the standfirst, which ranks above the body;
    within a tier, newer first."""
    body = make_article("Other", body="The sanctions were discussed at length.")
    standfirst = make_article("Another", standfirst="On sanctions", body="Nothing.")
    headline = make_article("Sanctions tightened", body="Nothing.")
    older = make_article("Sanctions old", body="Nothing.")
    Article.objects.filter(pk=older.pk).update(publish_at=headline.publish_at.replace(year=2020))
    search_index_rebuild()
    result = article_search(Article.objects.public(), "sanctions")
    assert ids(result) == [headline.pk, older.pk, standfirst.pk, body.pk]
    assert [a.search_tier for a in result] == [3, 3, 2, 1]
    newest = article_search(Article.objects.public(), "sanctions", order=NEWEST)
    assert ids(newest)[-1] == older.pk


def test_all_words_must_match(db):
    """A query of two words finds only articles holding both."""
    both = make_article("Prisoners freed", body="Political prisoners were freed in June.")
    make_article("Prisoners held", body="Political prisoners remain.")
    assert ids(article_search(Article.objects.public(), "prisoners freed")) == [both.pk]


@pytest.mark.parametrize(
    "query", ["Lukashenko", "Лукашэнка", "Лукашенко", "Łukašenka", "LUKASHENKA", "lukashenka's"]
)
def test_spellings_and_scripts_find_the_same_articles(client, seed, query):
    """Any spelling or script of a name finds the articles and shows the entity first."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.text
    entities = html.split('id="entity-results-heading"')[1].split("</section>")[0]
    assert 'href="/people/alexander-lukashenka/"' in entities
    assert html.index("entity-results-heading") < html.index("article-results-heading")
    assert SEED_ARTICLE in html
    assert "<mark>Lukashenka</mark>" in html


def test_entity_search_matches_whole_alias_words(seed):
    """ "Tikhanovskaya" finds Tsikhanouskaya (her, not her husband)."""
    names = [entity.name for entity in entity_search("Tikhanovskaya")]
    assert names == ["Sviatlana Tsikhanouskaya"]
    assert entity_search("!!!") == []


def test_snippets_are_highlighted_and_escaped(client, db):
    """Snippets mark the matched words and escape everything else."""
    make_article("Quiet", body="Before <b>bold</b> the word zanzibarite appears here.")
    search_index_rebuild()
    html = client.get("/search/", {"q": "zanzibarite"}).text
    assert "<mark>zanzibarite</mark>" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert highlight("a " * 300 + "target word", ["target"], limit=80).startswith("… ")


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "Lukashenka " * 1000,
        "!!! ??? ... ;;; '' \"\" ((( )))",
        "null\x00byte\x00",
        "\x00" * 5000,
        "' OR 1=1 --",
        '"unbalanced',
        "NEAR(a b) AND OR NOT * ^ :",
        "headline : (x)",
        "-+&|!(){}[]^~*?:\\/",
        "😀" * 2000,
    ],
)
def test_hostile_queries_are_fast_and_never_500(client, db, query):
    """Huge, punctuation-only, NUL-laden or syntax-laden queries answer 200 quickly."""
    started = time.perf_counter()
    response = client.get("/search/", {"q": query, "page": "99999999999"})
    assert response.status_code == 200
    assert time.perf_counter() - started < 2
    assert len(query_keys(query)) <= 8


def test_empty_query_returns_none(db):
    """A query without any word matches nothing (not everything)."""
    make_article("Anything")
    search_index_rebuild()
    assert ids(article_search(Article.objects.public(), "   ...  ")) == []


def test_index_follows_saves_and_deletes(db, django_user_model):
    """Saving an article through the services re-indexes it and deleting it drops it, in
    the writer's transaction, with no rebuild and no signal."""
    admin = django_user_model.objects.create_superuser("root", "r@x.test", "pw")
    article = article_services.article_create(
        actor=admin, headline="Marmalade report", body="Text."
    )
    assert ids(article_search(Article.objects.all(), "marmalade")) == [article.pk]
    article_services.article_update(
        article=article,
        actor=admin,
        expected_version=article.version,
        changes={"headline": "Jam report"},
    )
    assert ids(article_search(Article.objects.all(), "marmalade")) == []
    assert ids(article_search(Article.objects.all(), "jam")) == [article.pk]
    article_services.article_publish(article=article, actor=admin)
    assert ids(article_search(Article.objects.public(), "jam")) == [article.pk]
    article_services.article_delete(article=article, actor=admin)
    assert ids(article_search(Article.objects.all(), "jam")) == []


def test_load_newsroom_rebuilds_the_index(seed):
    """Loading the fixtures (raw saves) ends with a full index."""
    assert article_search(Article.objects.public(), "Viasna").count() == 1


def test_uses_a_real_index(seed):
    """The search goes through the full-text index (FTS5 or GIN tsvector), not LIKE."""
    sql = str(article_search(Article.objects.public(), "Viasna").query)
    if connection.vendor == "postgresql":
        assert "@@" in sql and "search_articledocument" in sql
    else:
        assert "search_articlefts" in sql and "MATCH" in sql
    assert "LIKE" not in sql.upper()


def test_search_page_ranks_and_pages_like_article_search(db):
    """The search page's ranked pages (cut in the index) hold the same rows, in the same
    order and tiers, as article_search; "next page" is known without counting."""
    made = [make_article(f"Kestrel {n}", body="Nothing.") for n in range(3)]
    made += [make_article(f"Other {n}", standfirst="A kestrel", body="x") for n in range(2)]
    made += [make_article(f"More {n}", body="The kestrel flew.") for n in range(2)]
    make_article("Kestrel draft", status="draft")
    # Two matches published long ago: newest-first search reaches them past its window of
    # recent months, after every recent match.
    long_ago = timezone.now() - dt.timedelta(days=800)
    Article.objects.filter(pk__in=[made[1].pk, made[5].pk]).update(publish_at=long_ago)
    search_index_rebuild()
    for order in (RELEVANCE, NEWEST):
        expected = list(article_search(Article.objects.public(), "kestrel", order=order))
        pages = [public_search_page("kestrel", order=order, number=n, size=3) for n in (1, 2, 3)]
        assert [len(p) for p in pages] == [3, 3, 1]
        assert [p.has_next for p in pages] == [True, True, False]
        rows = [article for p in pages for article in p]
        assert ids(rows) == ids(expected)
        assert [a.search_tier for a in rows] == [a.search_tier for a in expected]
        assert set(ids(rows)) == {a.pk for a in made}
    assert ids(rows)[-2:] == [made[5].pk, made[1].pk]


def test_search_follows_publish_and_withdraw_through_the_services(db, django_user_model):
    """Publishing and withdrawing with the article services (which write with UPDATE, not
    save) are reflected by search on the next query."""
    editor = django_user_model.objects.create_superuser("ed", "ed@x.test", "pw")
    article = make_article("Ptarmigan census", status="draft")
    assert ids(public_search_page("ptarmigan")) == []
    services.article_publish(article=article, actor=editor)
    assert ids(public_search_page("ptarmigan")) == [article.pk]
    services.article_withdraw(article=article, actor=editor, reason="Legal request.")
    assert ids(public_search_page("ptarmigan")) == []
    assert ids(article_search(Article.objects.all(), "ptarmigan")) == [article.pk]


def test_a_stale_index_row_never_shows_a_draft(db):
    """Rows shown are loaded through public(): an index row left behind by a write that
    bypassed every hook cannot put a non-public article on the page."""
    article = make_article("Quokka sighting")
    Article.objects.filter(pk=article.pk).update(status="draft")  # no signal, no revision
    assert ids(public_search_page("quokka")) == []


def test_embargo_lifts_in_search_at_its_second(db):
    """An embargoed article is found from the second its embargo lifts, not before."""
    lifts = timezone.now() + dt.timedelta(hours=1)
    article = make_article("Narwhal report", embargo_until=lifts)
    assert ids(public_search_page("narwhal", now=lifts - dt.timedelta(seconds=1))) == []
    assert ids(public_search_page("narwhal", now=lifts)) == [article.pk]


@pytest.mark.parametrize(
    "query", ["Svetlana Tikhanovskaya", '"Svetlana Tikhanovskaya"', "svetlana  TIKHANOVSKAYA"]
)
def test_a_full_listed_alias_finds_the_articles_that_mention_the_entity(client, seed, query):
    """ "Svetlana Tikhanovskaya" (a listed alias whose first name the article never
    writes) finds her page and the articles that mention her, on the site and the API,
    as a phrase or as words."""
    found = public_search_page(query)
    assert SEED_ARTICLE in [article.slug for article in found]
    assert SEED_ARTICLE in [
        article.slug for article in article_search(Article.objects.public(), query)
    ]
    html = client.get("/search/", {"q": query}).text
    assert 'href="/people/sviatlana-tsikhanouskaya/"' in html
    assert f"/articles/{SEED_ARTICLE}/" in html
    api = client.get("/api/v1/articles/", {"q": query}).json()
    assert [row["slug"] for row in api["results"]] == [SEED_ARTICLE]


def test_an_alias_in_another_script_finds_mentioning_articles_only(db):
    """An alias in any script finds the articles with a confirmed mention of its entity,
    public ones only, and not those where the mention is merely suggested or rejected;
    an alias plus another word needs that word in the text too."""
    maria = person("Maria Kalesnikava", "Мария Колесникова")
    confirmed = make_article("Flautist sentenced", body="Maria Kalesnikava was sentenced.")
    make_mention(confirmed, maria)
    suggested = make_article("Flautist again", body="Maria Kalesnikava again.")
    make_mention(suggested, maria, state=MentionState.SUGGESTED)
    draft = make_article("Flautist draft", status="draft", body="Maria Kalesnikava.")
    make_mention(draft, maria)
    other = make_article("Unrelated", body="Nothing about her.")
    public = Article.objects.public()
    assert ids(article_search(public, "Мария Колесникова")) == [confirmed.pk]
    assert [a.pk for a in public_search_page("Мария Колесникова")] == [confirmed.pk]
    assert [a.pk for a in public_search_page("Мария Колесникова", order=NEWEST)] == [confirmed.pk]
    assert ids(article_search(public, "Мария Колесникова sentenced")) == [confirmed.pk]
    assert ids(article_search(public, "Мария Колесникова again")) == []
    assert other.pk not in ids(article_search(public, "Колесникова"))
