"""Precision and recall of MentionFinder on the annotated texts in tests/data.

Run from the repository root: python benchmarks/finder_quality.py [--verbose]

Two sets. `annotated_mentions.json` (the seed's world, gold as offsets) and
`annotated_wire_copy.json` (issue 12: wire copy and exile media, 60 entities, gold
written inline as [[surface|slug]], unknown names as {{Name}}, plus entities that must
not be linked).

Figures:
- occurrence level: a resolved mention is correct when its span and entity equal a gold
  mention; precision over resolved mentions, recall over gold mentions. Flagged and
  ambiguous mentions (entity_id None) are handed to an editor: neither right nor wrong
  for precision, missed for recall.
- entity level: per text, the set of linked entities against the gold set.
- must-not violations: texts in which an entity that must not be linked was linked.
- candidate recall: gold unknown names offered as candidates (an unknown name, or a name
  blocked by a conflicting first name).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # a script, not an installed package

from mentions.finder import AliasEntry, MentionFinder, find_candidate_names  # noqa: E402
from mentions.gazetteer import Gazetteer  # noqa: E402

DATA = ROOT / "tests" / "data" / "annotated_mentions.json"
WIRE_COPY = ROOT / "tests" / "data" / "annotated_wire_copy.json"

_MARK = re.compile(r"\[\[(.+?)\|([a-z0-9-]+)\]\]|\{\{(.+?)\}\}")


def load_aliases(data: dict) -> list[AliasEntry]:
    """The alias table of an annotated set, with its entities' facts, as the finder takes it."""
    ids = {entity["slug"]: entity["id"] for entity in data["entities"]}
    entries = []
    for entity in data["entities"]:
        facts = {
            "country": entity.get("country", ""),
            "place_kind": entity.get("place_kind", ""),
            "years": tuple(entity["years"]) if entity.get("years") else None,
            "location_id": ids.get(entity.get("location", "")),
        }
        for is_short, names in ((False, entity["aliases"]), (True, entity["short_forms"])):
            for name in names:
                entries.append(AliasEntry(entity["id"], name, entity["kind"], is_short, **facts))
    return entries


def unmark(marked: str) -> tuple[str, list[tuple[int, int, str]], list[str]]:
    """The plain text of an inline-annotated one, its gold (start, end, slug) mentions and
    its gold unknown names."""
    parts, gold, unknown = [], [], []
    position = last = 0
    for hit in _MARK.finditer(marked):
        parts.append(marked[last : hit.start()])
        position += hit.start() - last
        surface = hit.group(1) or hit.group(3)
        if hit.group(1):
            gold.append((position, position + len(surface), hit.group(2)))
        else:
            unknown.append(surface)
        parts.append(surface)
        position += len(surface)
        last = hit.end()
    parts.append(marked[last:])
    return "".join(parts), gold, unknown


def wire_copy_texts(data: dict) -> list[dict]:
    texts = []
    for item in data["texts"]:
        text, gold, unknown = unmark(item["marked"])
        texts.append(
            {
                "id": item["id"],
                "text": text,
                "mentions": [{"start": s, "end": e, "entity": slug} for s, e, slug in gold],
                "unknown": unknown,
                "must_not": item.get("must_not", []),
            }
        )
    return texts


@dataclass
class Scores:
    gold: int = 0
    correct: int = 0
    wrong: int = 0
    flagged: int = 0
    entity_gold: int = 0
    entity_linked: int = 0
    entity_correct: int = 0
    must_not_violations: int = 0
    candidates_gold: int = 0
    candidates_offered: int = 0
    notes: list[str] = field(default_factory=list)

    def ratio(self, part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def precision(self) -> float:
        return self.ratio(self.correct, self.correct + self.wrong)

    @property
    def recall(self) -> float:
        return self.ratio(self.correct, self.gold)

    @property
    def entity_precision(self) -> float:
        return self.ratio(self.entity_correct, self.entity_linked)

    @property
    def entity_recall(self) -> float:
        return self.ratio(self.entity_correct, self.entity_gold)

    @property
    def candidate_recall(self) -> float:
        return self.ratio(self.candidates_offered, self.candidates_gold)


def score(data: dict, texts: list[dict], gazetteer: Gazetteer | None) -> Scores:
    ids = {entity["slug"]: entity["id"] for entity in data["entities"]}
    finder = MentionFinder(load_aliases(data), gazetteer)
    scores = Scores()
    for item in texts:
        text = item["text"]
        gold = {(m["start"], m["end"]): ids[m["entity"]] for m in item["mentions"]}
        scores.gold += len(gold)
        found = finder.find(text)
        linked = set()
        for mention in found:
            expected = gold.get((mention.start, mention.end))
            if mention.ambiguous:
                scores.flagged += 1
                verdict = f"flagged ({mention.note or 'ambiguous'})"
            elif expected == mention.entity_id:
                scores.correct += 1
                linked.add(mention.entity_id)
                verdict = "ok"
            else:
                scores.wrong += 1
                linked.add(mention.entity_id)
                verdict = f"WRONG (gold {expected})"
            scores.notes.append(
                f"  [{item['id']}] {mention.text!r} -> {mention.entity_id}: {verdict}"
            )
        found_spans = {(m.start, m.end) for m in found if not m.ambiguous}
        for start, end in gold:
            if (start, end) not in found_spans:
                scores.notes.append(f"  [{item['id']}] missed {text[start:end]!r}")
        gold_entities = set(gold.values())
        scores.entity_gold += len(gold_entities)
        scores.entity_linked += len(linked)
        scores.entity_correct += len(linked & gold_entities)
        for slug in item.get("must_not", []):
            if ids[slug] in linked:
                scores.must_not_violations += 1
                scores.notes.append(f"  [{item['id']}] MUST NOT link {slug}")
        if "unknown" in item:
            known = [(m.start, m.end) for m in found]
            offered = {c.text for c in find_candidate_names(text, known, gazetteer)}
            offered |= {m.text for m in found if m.ambiguous and not m.candidate_ids}
            scores.candidates_gold += len(item["unknown"])
            for name in item["unknown"]:
                if name in offered:
                    scores.candidates_offered += 1
                else:
                    scores.notes.append(f"  [{item['id']}] candidate not offered: {name!r}")
    return scores


def report(title: str, scores: Scores, texts: int, verbose: bool) -> None:
    print(f"== {title}: {texts} texts, {scores.gold} gold mentions")
    for note in scores.notes:
        if verbose or ": ok" not in note:
            print(note)
    print(
        f"occurrences: precision {scores.precision:.3f}, recall {scores.recall:.3f} "
        f"(correct {scores.correct}, wrong {scores.wrong}, flagged for an editor {scores.flagged})"
    )
    print(
        f"entities:    precision {scores.entity_precision:.3f}, recall {scores.entity_recall:.3f}"
    )
    print(f"must-not violations: {scores.must_not_violations}")
    if scores.candidates_gold:
        print(
            f"candidate recall: {scores.candidate_recall:.3f} "
            f"({scores.candidates_offered} of {scores.candidates_gold} unknown names)"
        )


def main(verbose: bool = False) -> None:
    gazetteer = Gazetteer.default()
    seed = json.loads(DATA.read_text(encoding="utf-8"))
    report("seed world", score(seed, seed["texts"], gazetteer), len(seed["texts"]), verbose)
    wire = json.loads(WIRE_COPY.read_text(encoding="utf-8"))
    texts = wire_copy_texts(wire)
    report(
        f"wire copy and exile media ({len(wire['entities'])} entities)",
        score(wire, texts, gazetteer),
        len(texts),
        verbose,
    )


if __name__ == "__main__":
    main(verbose="--verbose" in sys.argv)
