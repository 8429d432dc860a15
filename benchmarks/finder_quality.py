"""Precision and recall of MentionFinder on the annotated texts in tests/data.

Run from the repository root: python benchmarks/finder_quality.py [--verbose]

A resolved mention counts as correct when its span and entity equal a gold mention.
Ambiguous mentions (entity_id None) are neither right nor wrong for precision: they are
handed to an editor. They are reported apart, with how many had the gold entity among
their candidates.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # a script, not an installed package

from mentions.finder import AliasEntry, MentionFinder  # noqa: E402

DATA = ROOT / "tests" / "data" / "annotated_mentions.json"


def load_aliases(data: dict) -> list[AliasEntry]:
    """The alias table of the annotated set, as the finder takes it."""
    return [
        AliasEntry(entity["id"], name, entity["kind"], is_short)
        for entity in data["entities"]
        for is_short, names in ((False, entity["aliases"]), (True, entity["short_forms"]))
        for name in names
    ]


def main(verbose: bool = False) -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    ids = {entity["slug"]: entity["id"] for entity in data["entities"]}
    finder = MentionFinder(load_aliases(data))

    gold_total = correct = wrong = ambiguous = ambiguous_with_gold = 0
    for item in data["texts"]:
        gold = {(m["start"], m["end"]): ids[m["entity"]] for m in item["mentions"]}
        gold_total += len(gold)
        for mention in finder.find(item["text"]):
            expected = gold.get((mention.start, mention.end))
            if mention.ambiguous:
                ambiguous += 1
                ambiguous_with_gold += expected in mention.candidate_ids
                verdict = "ambiguous"
            elif expected == mention.entity_id:
                correct += 1
                verdict = "ok"
            else:
                wrong += 1
                verdict = f"WRONG (gold {expected})"
            if verbose or verdict != "ok":
                print(f"  [{item['id']}] {mention.text!r} -> {mention.entity_id}: {verdict}")
        found = {(m.start, m.end) for m in finder.find(item["text"])}
        for (start, end), _entity_id in gold.items():
            if (start, end) not in found:
                print(f"  [{item['id']}] missed {item['text'][start:end]!r}")

    resolved = correct + wrong
    precision = correct / resolved if resolved else 1.0
    recall = correct / gold_total if gold_total else 1.0
    print(f"texts: {len(data['texts'])}, gold mentions: {gold_total}")
    print(f"resolved: {resolved} (correct {correct}, wrong {wrong})")
    print(f"ambiguous: {ambiguous} (gold entity among candidates: {ambiguous_with_gold})")
    print(f"precision: {precision:.3f}")
    print(f"recall:    {recall:.3f}")
    lenient = (correct + ambiguous_with_gold) / gold_total if gold_total else 1.0
    print(f"recall counting ambiguous mentions whose candidates hold the gold: {lenient:.3f}")


if __name__ == "__main__":
    main(verbose="--verbose" in sys.argv)
