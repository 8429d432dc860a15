"""Content of the public pages with the seed data."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from articles.models import Article, Correction, CorrectionKind
from entities.models import Entity, EntityKind
from tests.factories import SEED_ARTICLE, make_article, make_entity, make_mention, make_section

ARTICLE_URL = f"/articles/{SEED_ARTICLE}/"


def json_ld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def test_home_lists_latest_sections_and_most_mentioned(client, seed):
    """Home shows the latest public articles, the sections and the most-mentioned people
    and organizations of the weeks up to the newest article."""
    html = client.get("/").text
    assert Article.objects.get().headline in html
    assert 'href="/sections/europe/"' in html and 'href="/sections/world/"' in html
    most = html.split('id="most-mentioned-heading"')[1]
    assert 'href="/people/volodymyr-zelenskyy/"' in most
    assert 'href="/organizations/viasna-human-rights-center/"' in most
    assert 'href="/places/' not in most  # people and organizations only


def test_article_links_first_confirmed_mention_of_each_entity(client, seed):
    """The body links the first confirmed mention of each entity, and only the first."""
    html = client.get(ARTICLE_URL).text
    body = html.split('<div class="body">')[1].split("</div>")[0]
    assert body.count('href="/people/volodymyr-zelenskyy/"') == 1
    assert '<a href="/people/volodymyr-zelenskyy/" title="' in body
    assert ">Volodymyr Zelenskyy</a>" in body
    assert body.count('href="/organizations/viasna-human-rights-center/"') == 1
    assert "<h2>From brief encounters to formal talks</h2>" in body


def test_article_panel_groups_entities_by_kind_with_descriptions(client, seed):
    """The panel lists people, organizations, places and events, each with its description."""
    html = client.get(ARTICLE_URL).text
    panel = html.split('id="involved-heading"')[1]
    headings = re.findall(r"<h3>(\w+)</h3>", panel)
    assert headings == ["People", "Organizations", "Places", "Events"]
    zelenskyy = Entity.objects.get(slug="volodymyr-zelenskyy")
    assert zelenskyy.description in panel


def test_article_quotes_statistics_and_meta(client, seed):
    """Quotes name and link their speaker with when and where; statistics say as of when
    and according to whom, with a source link; byline, dateline and time are shown."""
    html = client.get(ARTICLE_URL).text
    quotes = html.split('id="quotes-heading"')[1].split("</section>")[0]
    assert '— <a href="/people/sviatlana-tsikhanouskaya/">Sviatlana Tsikhanouskaya</a>' in quotes
    # "on X", with X (the quote's medium) linked in place (issue 17, point 10).
    assert "25 January 2026" in quotes and 'on <a href="/organizations/x/">X</a>' in quotes
    assert "January 2024" in quotes and "in an interview" in quotes
    assert 'href="/events/zelenskyy-tsikhanouskaya-meeting-2026/"' in quotes
    figures = html.split('id="statistics-heading"')[1].split("</section>")[0]
    assert "<strong>1,131</strong> political prisoners" in figures
    assert "as of <time" in figures and "31 December 2025" in figures
    assert 'according to <a href="/organizations/viasna-human-rights-center/">' in figures
    assert 'href="https://spring96.org/en"' in figures
    assert "June 2025" in figures  # month precision
    assert "VILNIUS" in html


def test_article_corrections_newest_first_and_updated(client, db):
    """Corrections are listed newest first, and an article changed after publication says
    "Updated"."""
    published = timezone.now() - dt.timedelta(days=2)
    article = make_article("Corrected story", publish_at=published)
    Article.objects.filter(pk=article.pk).update(updated_at=published + dt.timedelta(hours=3))
    Correction.objects.create(
        article=article, note="Older fix.", published_at=published + dt.timedelta(hours=1)
    )
    Correction.objects.create(
        article=article,
        kind=CorrectionKind.CLARIFICATION,
        note="Newer fix.",
        published_at=published + dt.timedelta(hours=2),
    )
    html = client.get(article.get_absolute_url()).text
    assert html.index("Newer fix.") < html.index("Older fix.")
    assert '<strong class="updated">Updated</strong>' in html


def test_article_not_updated_has_no_updated_label(client, db):
    """An article never changed after publication shows no "Updated"."""
    article = make_article("Fresh story")
    Article.objects.filter(pk=article.pk).update(updated_at=article.publish_at)
    assert "Updated</strong>" not in client.get(article.get_absolute_url()).text


def test_article_json_ld_opengraph_and_canonical(client, seed):
    """NewsArticle JSON-LD names subjects in `about` and others in `mentions`, each typed
    and linked; OpenGraph and canonical point to the absolute URL."""
    html = client.get(ARTICLE_URL).text
    data = json_ld(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Zelenskyy and Tsikhanouskaya")
    assert data["datePublished"].startswith("2026-01-25")
    assert data["author"]["name"]
    about = {node["url"]: node["@type"] for node in data["about"]}
    assert about["http://testserver/people/volodymyr-zelenskyy/"] == "Person"
    types = {node["@type"] for node in data["mentions"]}
    assert {"Person", "Organization", "Place", "Event"} <= types
    assert all(node["url"].startswith("http://testserver/") for node in data["mentions"])
    assert f'<link rel="canonical" href="http://testserver{ARTICLE_URL}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="http://testserver{ARTICLE_URL}">' in html


def test_json_ld_cannot_close_its_script(client, db):
    """A headline with </script> stays inside the JSON-LD block."""
    article = make_article("Bad </script><script>alert(1)</script> headline")
    html = client.get(article.get_absolute_url()).text
    assert "<script>alert(1)" not in html
    assert json_ld(html)["headline"].startswith("Bad </script>")


def test_preview_flag_shows_banner_and_noindex(rf, db):
    """The staff preview renders the article template with a banner and noindex."""
    from django.template.loader import render_to_string

    draft = make_article("Draft in preview", status="draft", body="Some words.")
    html = render_to_string("articles/article_detail.html", {"article": draft, "preview": True})
    assert "Preview — not published" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Some words." in html
    public = render_to_string("articles/article_detail.html", {"article": draft})
    assert "Preview — not published" not in public and "noindex" not in public


def test_person_page(client, seed):
    """A person page shows aliases, role, relations both ways, timeline with precision,
    quotes, co-mentioned entities, articles and the feed link."""
    html = client.get("/people/sviatlana-tsikhanouskaya/").text
    assert "Also spelled:" in html and "Ціханоўская" in html
    assert "Leader of the Belarusian democratic opposition" in html
    assert 'Spouse of</dt><dd><a href="/people/sergei-tikhanovsky/"' in html
    assert 'Opponent of</dt><dd><a href="/people/alexander-lukashenka/"' in html
    timeline = html.split('id="timeline-heading"')[1].split("</section>")[0]
    assert "May 2023" in timeline and "Charlemagne Prize ceremony 2023" in timeline
    assert timeline.index("2026") < timeline.index("May 2023")  # newest first
    assert 'id="quotes-heading"' in html and "in an interview" in html
    co = html.split('id="co-mentioned-heading"')[1].split("</section>")[0]
    assert co.count("<li>") == 8 and "/people/sviatlana-tsikhanouskaya/" not in co
    assert SEED_ARTICLE in html
    assert 'href="/people/sviatlana-tsikhanouskaya/feed/rss/"' in html
    assert json_ld(html)["@type"] == "Person"


def test_person_relation_seen_from_the_other_side(client, seed):
    """A one-way relation reads from the object's side too: Belarus is led by Lukashenka."""
    html = client.get("/places/belarus/").text
    assert 'Led by</dt><dd><a href="/people/alexander-lukashenka/"' in html
    html = client.get("/people/alexander-lukashenka/").text
    assert 'Leader of</dt><dd><a href="/places/belarus/"' in html


def test_event_page(client, seed):
    """An event page shows its date, its place and its participants with their roles."""
    html = client.get("/events/charlemagne-prize-ceremony-2023/").text
    assert "<dt>Date</dt><dd>May 2023</dd>" in html
    assert 'href="/places/aachen/"' in html
    participants = html.split('id="participants-heading"')[1].split("</section>")[0]
    assert 'href="/people/volodymyr-zelenskyy/"' in participants and "Laureate" in participants
    data = json_ld(html)
    assert data["@type"] == "Event" and data["startDate"] == "2023-05"


def test_place_page_shows_what_is_inside(client, seed):
    """A place page lists the places inside it and the events held there."""
    html = client.get("/places/lithuania/").text
    assert 'href="/places/vilnius/"' in html.split('id="inside-heading"')[1]
    vilnius = client.get("/places/vilnius/").text
    assert 'href="/events/zelenskyy-tsikhanouskaya-meeting-2026/"' in vilnius
    assert json_ld(vilnius)["containedInPlace"]["url"].endswith("/places/lithuania/")


def test_entity_articles_are_paginated_newest_first(client, db):
    """An entity's articles are listed newest first, 20 a page, with a next link."""
    person = make_entity("Paged Person")
    now = timezone.now()
    for i in range(25):
        article = make_article(f"Story {i:02d}", publish_at=now - dt.timedelta(hours=i + 1))
        make_mention(article, person)
    first = client.get(person.get_absolute_url()).text
    assert first.index("Story 00") < first.index("Story 01")
    assert "Story 24" not in first and 'rel="next" href="?page=2"' in first
    second = client.get(person.get_absolute_url() + "?page=2").text
    assert "Story 24" in second and "Story 00" not in second
    assert client.get(person.get_absolute_url() + "?page=abc").status_code == 200


def test_merged_entity_redirects_permanently(client, db):
    """The URL of a merged entity answers 301 to its survivor."""
    survivor = make_entity("Survivor Person")
    merged = make_entity("Merged Person", merged_into=survivor)
    response = client.get(merged.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()


def test_entity_of_another_kind_is_404(client, seed):
    """/people/<slug>/ only serves people."""
    assert client.get("/people/vilnius/").status_code == 404


def test_section_page(client, db):
    """A section page lists its public articles and links its feeds."""
    section = make_section("Culture")
    make_article("In culture", section=section)
    make_article("Elsewhere")
    html = client.get("/sections/culture/").text
    assert "In culture" in html and "Elsewhere" not in html
    assert 'href="/sections/culture/feed/atom/"' in html


@pytest.mark.parametrize("kind", [k.value for k in EntityKind])
def test_every_kind_has_a_page(client, db, kind):
    """Every kind of entity has a page under its own prefix."""
    entity = make_entity(f"Some {kind}", kind=kind)
    assert client.get(entity.get_absolute_url()).status_code == 200


def test_co_mentioned_ranked_by_shared_public_articles(client, db):
    """Entities sharing more public articles with this one come first; drafts don't count."""
    me, often, once = make_entity("Me Person"), make_entity("Often Person"), make_entity("Once")
    for i in range(2):
        article = make_article(f"Together {i}")
        make_mention(article, me)
        make_mention(article, often)
    make_mention(article, once)
    hidden = make_entity("Hidden Person")
    draft = make_article("Draft together", status="draft")
    make_mention(draft, me)
    make_mention(draft, hidden)
    co = client.get(me.get_absolute_url()).text.split('id="co-mentioned-heading"')[1]
    assert co.index("Often Person") < co.index("Once")
    assert "Hidden Person" not in co
