"""Throughput of MentionFinder on a synthetic alias table and synthetic articles.

Run from the repository root: python benchmarks/bench_finder.py [--articles N]

Builds 10,000 entities with at least 50,000 aliases (Latin, Łacinka-style and Cyrillic
spellings, short forms, some shared by chance), builds the finder once, then times
`find_in_document` (normalisation included) over ~1,000-word articles. The figure for
one core is articles per CPU second of this process: wall time also counts whatever
else the machine runs. The first pass fills the word and chunk memos; the warm passes
are the steady state of a long-running worker. Everything is generated from a seeded
random, so runs are comparable.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # a script, not a package

from core import text as entity_text
from mentions.finder import AliasEntry, MentionFinder

ENTITY_COUNT = 10_000
ARTICLE_WORDS = 1_000
TARGET_PER_SECOND = 1_000

_ONSETS = [
    "b",
    "v",
    "g",
    "d",
    "zh",
    "z",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "f",
    "kh",
    "ts",
    "ch",
    "sh",
    "br",
    "dr",
    "kr",
    "pr",
    "st",
    "tr",
    "sv",
    "sl",
]
_VOWELS = ["a", "e", "i", "o", "u", "ia", "ie", "ou", "y"]
_SURNAME_ENDINGS = ["enka", "enko", "ski", "sky", "ov", "ou", "uk", "ich", "in", "ava"]
_LATIN_TO_CYRILLIC = [
    ("shch", "щ"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("zh", "ж"),
    ("ia", "я"),
    ("ie", "е"),
    ("ou", "оў"),
    *zip("abvgdezijklmnoprstufy", "абвгдезійклмнопрстуфы", strict=True),
]
_EN_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "w",
    "th",
    "pl",
    "gr",
]
_EN_NUCLEI = ["a", "e", "i", "o", "u", "ea", "ou", "ai", "ee"]
_EN_CODAS = ["", "n", "r", "s", "t", "nd", "st", "ng", "ck", "ll", "ght", "tion"]
_FILLER = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "was",
    "with",
    "as",
    "by",
    "at",
    "from",
    "has",
    "have",
    "it",
    "be",
    "are",
    "were",
    "this",
    "which",
    "said",
    "its",
    "after",
    "their",
    "an",
    "not",
    "but",
    "also",
    "who",
    "will",
    "been",
    "more",
    "had",
    "two",
    "new",
    "government",
    "president",
    "minister",
    "talks",
    "week",
    "state",
    "country",
    "people",
    "year",
    "years",
    "police",
    "opposition",
    "leader",
    "meeting",
    "support",
    "political",
    "prisoners",
    "regime",
    "sanctions",
    "border",
    "election",
    "protest",
    "court",
    "report",
    "officials",
    "statement",
    "according",
    "during",
    "between",
    "under",
    "against",
    "over",
    "before",
    "while",
    "would",
    "could",
    "should",
    "there",
    "they",
    "them",
    "his",
    "her",
    "she",
    "he",
    "their",
    "military",
    "economy",
    "energy",
    "agreement",
    "summit",
    "capital",
    "city",
    "region",
    "war",
    "peace",
    "freedom",
]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))


def _cyrillic(latin: str) -> str:
    out, i = [], 0
    lower = latin.lower()
    while i < len(lower):
        for src, dst in _LATIN_TO_CYRILLIC:
            if lower.startswith(src, i):
                out.append(dst)
                i += len(src)
                break
        else:
            out.append(lower[i])
            i += 1
    return "".join(out).capitalize()


def _lacinka(latin: str) -> str:
    """A Łacinka-style spelling: š, č and c where English writes sh, ch and ts."""
    return latin.replace("sh", "š").replace("ch", "č").replace("ts", "c").replace("kh", "ch")


def build_alias_table(rng: random.Random) -> list[AliasEntry]:
    """10,000 entities, five to seven names each: spellings, a Cyrillic form, short forms."""
    aliases: list[AliasEntry] = []
    kinds = ["person"] * 6 + ["organization", "place", "event"]
    for entity_id in range(1, ENTITY_COUNT + 1):
        kind = rng.choice(kinds)
        if kind == "person":
            given = _word(rng, rng.randint(2, 3)).capitalize()
            stem = _word(rng, rng.randint(2, 3)).capitalize()
            surname = stem + rng.choice(_SURNAME_ENDINGS)
            names = [
                f"{given} {surname}",
                f"{given[0]}. {surname}",
                f"{given} {stem}{rng.choice(_SURNAME_ENDINGS)}",
                f"{_cyrillic(given)} {_cyrillic(surname)}",
                f"{given} {_lacinka(surname)}",
            ]
            short = [surname, stem + "ski"]
        else:
            # Two syllables at least: a one-syllable name (To, He, Be) would be a common
            # English word, which real alias tables do not hold as a bare short form.
            words = [_word(rng, rng.randint(2, 3)).capitalize() for _ in range(rng.randint(1, 4))]
            full = " ".join(words)
            names = [full, _cyrillic(full), full + " " + rng.choice(["Center", "Union", "Forum"])]
            names.append(words[0] + "-" + words[-1] if len(words) > 1 else words[0] + "ia")
            short = ["".join(w[0] for w in words).upper() + "X", words[-1]]
        aliases += [AliasEntry(entity_id, name, kind, False) for name in names]
        aliases += [AliasEntry(entity_id, name, kind, True) for name in short]
    return aliases


def _english_word(rng: random.Random) -> str:
    """A made-up word with English spelling habits, for the long tail of a vocabulary."""
    return "".join(
        rng.choice(_EN_ONSETS) + rng.choice(_EN_NUCLEI) + rng.choice(_EN_CODAS)
        for _ in range(rng.randint(1, 3))
    )


def build_articles(
    rng: random.Random, aliases: list[AliasEntry], count: int
) -> list[dict[str, str]]:
    """Articles of ~1,000 words with ~20 embedded names.

    Words are common filler (88%), a long tail of 20,000 rarer made-up words (10%), a
    name from the alias table as written (2%, about 20 names per article), and, to keep
    the case checks busy, a lowercase short form (1% of the rest: "lukashenka").
    """
    rare_words = [_english_word(rng) for _ in range(20_000)]
    short_forms = [alias.name.lower() for alias in aliases if alias.is_short_form]
    articles = []
    for _ in range(count):
        words: list[str] = []
        while len(words) < ARTICLE_WORDS:
            roll = rng.random()
            if roll < 0.02:
                words.extend(rng.choice(aliases).name.split())
            elif roll < 0.03:
                words.append(rng.choice(short_forms))
            elif roll < 0.13:
                words.append(rng.choice(rare_words))
            else:
                words.append(rng.choice(_FILLER))
            if rng.random() < 0.07:
                words[-1] += rng.choice([".", ",", ",", "'s", ":"])
        headline = " ".join(words[:10])
        standfirst = " ".join(words[10:40])
        body = " ".join(words[40:])
        articles.append({"headline": headline, "standfirst": standfirst, "body": body})
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2_000)
    args = parser.parse_args()
    rng = random.Random(20260125)

    aliases = build_alias_table(rng)
    entity_count = len({alias.entity_id for alias in aliases})
    print(f"alias table: {entity_count:,} entities, {len(aliases):,} aliases")

    started = time.perf_counter()
    finder = MentionFinder(aliases)
    print(f"build: {time.perf_counter() - started:.2f} s ({finder.pattern_count:,} patterns)")
    # The finder is long-lived: keep the collector from rescanning its objects, as a
    # worker process that builds it once at start-up should too.
    gc.collect()
    gc.freeze()

    articles = build_articles(rng, aliases, args.articles)
    words = sum(len(" ".join(a.values()).split()) for a in articles) / len(articles)
    print(f"articles: {len(articles):,}, {words:,.0f} words each on average")

    # First pass includes folding every new word once; the second is the steady state
    # of a long-running process whose memos are warm. CPU time of this process is the
    # figure for one core; wall time also counts whatever else the machine is running.
    rates = []
    for label in ("first pass (cold memos)", "warm pass 1", "warm pass 2", "warm pass 3"):
        mentions = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for article in articles:
            mentions += len(finder.find_in_document(article))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{label}: {len(articles) / cpu:,.0f} articles per CPU second "
            f"({len(articles) / wall:,.0f}/s wall), {cpu / len(articles) * 1e3:.2f} ms each, "
            f"{mentions / len(articles):.1f} mentions per article"
        )
        rates.append(len(articles) / cpu)
    print(f"best warm pass: {max(rates[1:]):,.0f} articles per CPU second")

    cpu = time.process_time()
    for article in articles:
        for value in article.values():
            entity_text.fold_with_offsets(value)
    cpu = time.process_time() - cpu
    print(
        f"folding alone (warm, no vocabulary): {len(articles) / cpu:,.0f} articles per CPU second"
    )
    print(f"target: {TARGET_PER_SECOND:,} articles/s on one core")


if __name__ == "__main__":
    main()
