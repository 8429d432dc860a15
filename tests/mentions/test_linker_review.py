"""What the linker stores for the editor: notes, occurrences, probable entities, places,
and decisions per occurrence (issue 12), through the services, the admin and the API."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import ArticleStatus, Mention, MentionState
from entities.models import Alias, AliasKind, EntityKind, PlaceKind
from mentions.models import CandidateKind, CandidateState, MentionCandidate
from mentions.suggestions import article_suggestions_refresh
from tests.api.conftest import client_for, review_post
from tests.factories import make_article, make_editor, make_entity, person
from workflow import review as services

pytestmark = pytest.mark.django_db


def _draft(body: str, headline: str = "Talks"):
    article = make_article(headline, body=body, status=ArticleStatus.DRAFT)
    article_suggestions_refresh(article=article)
    return article


def test_a_relatives_full_name_is_an_unknown_candidate_and_the_surname_a_question():
    yulia = person("Yulia Tymoshenko", short=("Tymoshenko",))
    article = _draft("Lyudmila Tymoshenko spoke. Tymoshenko left.")
    assert not Mention.objects.filter(article=article).exists()
    unknown = MentionCandidate.objects.get(article=article, kind=CandidateKind.UNKNOWN)
    assert unknown.text == "Lyudmila Tymoshenko" and unknown.note
    flagged = MentionCandidate.objects.get(article=article, kind=CandidateKind.AMBIGUOUS)
    assert (flagged.text, list(flagged.candidates.all()), bool(flagged.note)) == (
        "Tymoshenko",
        [yulia],
        True,
    )
    # Named in full as well: suggested, but with a note, so never confirmed in bulk.
    article = _draft("Lyudmila Tymoshenko spoke. Yulia Tymoshenko did not. Tymoshenko left.")
    mention = Mention.objects.get(article=article)
    assert mention.entity == yulia and mention.note == ""  # one occurrence is sure
    assert [o["text"] for o in mention.occurrences] == ["Yulia Tymoshenko", "Tymoshenko"]


def test_confirm_all_leaves_suggestions_found_by_a_similar_spelling():
    """A skeleton match with evidence is suggested with a note; Confirm all skips it."""
    editor = make_editor()
    sikorski = person("Radosław Sikorski", short=("Sikorski",))
    zelensky = person("Volodymyr Zelensky", short=("Zelensky",))
    article = _draft("Foreign Minister Sikorsky said Zelensky agreed.")
    noted = Mention.objects.get(article=article, entity=sikorski)
    assert noted.state == MentionState.SUGGESTED and noted.note
    assert services.mentions_confirm_all(article=article, actor=editor) == 1
    assert Mention.objects.get(article=article, entity=zelensky).state == MentionState.CONFIRMED
    noted.refresh_from_db()
    assert noted.state == MentionState.SUGGESTED  # the editor confirms it by itself
    services.mention_confirm(mention=noted, actor=editor)
    noted.refresh_from_db()
    assert noted.state == MentionState.CONFIRMED


def test_every_occurrence_is_stored_with_its_span():
    zelensky = person("Volodymyr Zelensky", short=("Zelensky",))
    article = _draft("Zelensky spoke. Later Zelensky left.", headline="Zelensky in Vilnius")
    mention = Mention.objects.get(article=article, entity=zelensky)
    assert [(o["field"], o["span"], o["text"]) for o in mention.occurrences] == [
        ("headline", [0, 8], "Zelensky"),
        ("body", [0, 8], "Zelensky"),
        ("body", [22, 30], "Zelensky"),
    ]


def test_an_ambiguous_surname_is_decided_per_occurrence_one_mention_per_entity():
    """The father three times and the son once: one question, four answers, two links."""
    editor = make_editor()
    father = person("Alexander Lukashenka", short=("Lukashenka",))
    son = person("Viktor Lukashenka", short=("Lukashenka",))
    article = _draft("Lukashenka said. Lukashenka added. Lukashenka, his son, nodded. Lukashenka.")
    (candidate,) = MentionCandidate.objects.filter(article=article, kind=CandidateKind.AMBIGUOUS)
    assert len(candidate.occurrences) == 4
    with pytest.raises(ValidationError):
        services.candidate_resolve_occurrences(
            candidate=candidate, choices=[father.pk], actor=editor
        )
    outsider = make_entity("Someone Else")
    with pytest.raises(ValidationError):
        services.candidate_resolve_occurrences(
            candidate=candidate, choices=[father.pk, father.pk, outsider.pk, None], actor=editor
        )
    assert not Mention.objects.filter(article=article).exists()  # nothing half-written
    services.candidate_resolve_occurrences(
        candidate=candidate, choices=[father.pk, father.pk, son.pk, father.pk], actor=editor
    )
    links = {m.entity_id: m for m in Mention.objects.filter(article=article)}
    assert set(links) == {father.pk, son.pk}
    assert all(m.state == MentionState.CONFIRMED for m in links.values())
    assert [o["span"][0] for o in links[father.pk].occurrences] == [0, 17, 64]
    assert [o["span"][0] for o in links[son.pk].occurrences] == [35]
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.RESOLVED and candidate.resolved_entity == father


def test_a_lacinka_spelling_of_a_known_name_is_probably_that_person():
    bialiatski = person("Ales Bialiatski")
    article = _draft("Aleś Bialacki was awarded the prize.")
    candidate = MentionCandidate.objects.get(article=article, kind=CandidateKind.UNKNOWN)
    assert candidate.text == "Aleś Bialacki"
    assert list(candidate.candidates.all()) == [bialiatski]  # shown as "probably X"


def test_a_gazetteer_place_is_a_candidate_and_its_entity_is_prefilled():
    editor = make_editor()
    belarus = make_entity(
        "Belarus", EntityKind.PLACE, place_kind=PlaceKind.COUNTRY, geonames_id=630336
    )
    article = _draft("The trial opened in Hrodna on Monday.")
    assert not Mention.objects.filter(article=article).exists()  # never linked unasked
    candidate = MentionCandidate.objects.get(article=article, kind=CandidateKind.UNKNOWN)
    assert (candidate.text, candidate.entity_kind, candidate.geonames_id) == (
        "Hrodna",
        EntityKind.PLACE,
        627904,
    )
    assert candidate.country_code == "BY" and round(float(candidate.latitude)) == 54
    hrodna = services.candidate_create_entity(
        candidate=candidate, actor=editor, kind=EntityKind.PLACE
    )
    assert (hrodna.geonames_id, hrodna.place_kind, hrodna.parent) == (
        627904,
        PlaceKind.CITY,
        belarus,
    )
    assert hrodna.wikidata_id == ""  # empty unless an editor sets it
    assert hrodna.same_as == ["https://www.geonames.org/627904"]


def test_a_wikidata_id_must_look_like_one():
    entity = make_entity("Minsk", EntityKind.PLACE)
    entity.wikidata_id = "Minsk"
    with pytest.raises(ValidationError):
        entity.full_clean()
    entity.wikidata_id = "Q2280"
    entity.full_clean()


def test_review_screen_shows_occurrences_and_decides_per_occurrence(client):
    editor = make_editor()
    father = person("Alexander Lukashenka", short=("Lukashenka",))
    son = person("Viktor Lukashenka", short=("Lukashenka",))
    article = _draft("Lukashenka said. Lukashenka, his son, nodded.")
    client.force_login(editor)
    url = reverse("admin:articles_article_suggestions", args=[article.pk])
    page = client.get(url).content.decode()
    assert page.count('name="occurrence-') == 2 and "Decide per occurrence" in page
    candidate = MentionCandidate.objects.get(article=article, kind=CandidateKind.AMBIGUOUS)
    response = client.post(
        url,
        {
            "action": "resolve_occurrences",
            "candidate": candidate.pk,
            "occurrence-0": father.pk,
            "occurrence-1": son.pk,
            "expected_version": article.version,  # as the page shows it
        },
    )
    assert response.status_code == 302
    assert set(Mention.objects.filter(article=article).values_list("entity", flat=True)) == {
        father.pk,
        son.pk,
    }


def test_api_review_payload_has_occurrences_and_decides_per_occurrence(groups, editor):
    father = person("Alexander Lukashenka", short=("Lukashenka",))
    person("Viktor Lukashenka", short=("Lukashenka",))
    Alias(entity=father, name="Lukashenko", kind=AliasKind.SPELLING).save()
    api = client_for(editor)
    created = api.post(
        "/api/v1/articles/",
        {"headline": "Talks", "body": "Lukashenka said. Lukashenka, his son, nodded."},
        format="json",
    )
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    document = api.get(f"/api/v1/articles/{slug}/").json()
    (candidate,) = [c for c in document["candidates"] if c["kind"] == "ambiguous"]
    assert [o["span"] for o in candidate["occurrences"]] == [[0, 10], [17, 27]]
    review = f"/api/v1/articles/{slug}/review/"
    bad = {"decision": "resolve_occurrences", "candidate": candidate["id"]}
    assert review_post(api, review, bad).status_code == 400
    bad["occurrences"] = ["nobody", None]
    assert review_post(api, review, bad).status_code == 400
    bad["occurrences"] = ["alexander-lukashenka"]
    assert review_post(api, review, bad).status_code == 400
    done = review_post(
        api,
        review,
        {
            "decision": "resolve_occurrences",
            "candidate": candidate["id"],
            "occurrences": ["alexander-lukashenka", "viktor-lukashenka"],
        },
    )
    assert done.status_code == 200, done.content
    suggestions = {s["entity"]: s for s in done.json()["suggestions"]}
    assert suggestions["alexander-lukashenka"]["occurrences"][0]["span"] == [0, 10]
    assert suggestions["viktor-lukashenka"]["occurrences"][0]["span"] == [17, 27]
    assert json.dumps(done.json())  # plain JSON throughout
