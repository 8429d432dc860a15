"""The linker's quality on the wire-copy set of issue 12 (tests/data/annotated_wire_copy.json)."""

import json

import pytest

from benchmarks.finder_quality import DATA, WIRE_COPY, score, unmark, wire_copy_texts
from mentions.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def wire():
    return json.loads(WIRE_COPY.read_text(encoding="utf-8"))


def test_the_set_is_large_enough(wire):
    seed = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(wire["entities"]) - len(seed["entities"]) >= 40
    assert len(wire["texts"]) >= 20


def test_wire_copy_precision_recall_and_must_nots(wire):
    scores = score(wire, wire_copy_texts(wire), Gazetteer.default())
    assert scores.entity_precision >= 0.98, scores.notes
    assert scores.entity_recall >= 0.95, scores.notes
    assert scores.must_not_violations == 0, scores.notes
    assert scores.candidate_recall >= 0.95, scores.notes
    assert scores.wrong == 0, scores.notes


def test_inline_gold_spans_are_the_text():
    text, gold, unknown = unmark("[[Nato|nato]] met {{Keith Kellogg}} in [[Riga|riga]].")
    assert text == "Nato met Keith Kellogg in Riga."
    assert [(text[s:e], slug) for s, e, slug in gold] == [("Nato", "nato"), ("Riga", "riga")]
    assert unknown == ["Keith Kellogg"]
