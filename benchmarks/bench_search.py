"""Search latency at scale on PostgreSQL (a script that prints figures, not a test).

Builds N (default 100,000) articles in a database of its own, with terms present in
about 0.01 %, 0.3 %, 3 % and 30 % of them (five distinct terms per class, in headline,
standfirst or body), indexes them with the real service, then times what the search page runs,
`public_search_page(term, order=…)` (its first page of 20 plus the "next" probe, loaded
as articles), for relevance and newest-first order, and prints p50/p95 per class.
--pages 3 times page 3 instead of page 1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_search \\
        .venv/bin/python benchmarks/bench_search.py [--articles 100000] [--runs 40]

The database is created if missing and emptied first. Target: p95 <= 50 ms every class.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench_search"
CLASSES = {"rare": 0.0001, "medium": 0.003, "common": 0.03, "very common": 0.30}
TERMS_PER_CLASS = 5


def term(klass: str, k: int) -> str:
    return f"{klass.replace(' ', '')}term{'abcde'[k]}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    name = url.rsplit("/", 1)[1]
    host = "127.0.0.1"
    exists = subprocess.run(
        [
            "psql",
            "-h",
            host,
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", host, "-U", "postgres", name], check=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(n: int, seed: int = 1) -> None:
    from django.db import connection

    from articles.models import Article
    from search.services import search_index_rebuild

    rng = random.Random(seed)
    vocabulary = [f"w{rng.randrange(36**5):x}" for _ in range(5000)]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE articles_article CASCADE")
        cursor.execute("TRUNCATE search_articledocument")
    now = dt.datetime.now(dt.UTC)
    batch = []
    started = time.perf_counter()
    for i in range(n):
        head = rng.choices(vocabulary, k=8)
        stand = rng.choices(vocabulary, k=20)
        body = rng.choices(vocabulary, k=90)
        for klass, share in CLASSES.items():
            for k in range(TERMS_PER_CLASS):
                if rng.random() < share:
                    where = rng.choices((head, stand, body), weights=(1, 2, 7))[0]
                    where.insert(rng.randrange(len(where) + 1), term(klass, k))
        published = now - dt.timedelta(minutes=10 * (n - i))
        status = "published" if rng.random() > 0.02 else "draft"
        batch.append(
            Article(
                headline=" ".join(head).capitalize(),
                slug=f"bench-{i}",
                standfirst=" ".join(stand),
                body=" ".join(body),
                status=status,
                publish_at=published if status == "published" else None,
                first_published_at=published if status == "published" else None,
            )
        )
        if len(batch) == 5000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    print(f"built {n} articles in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    search_index_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"indexed in {time.perf_counter() - started:.0f} s", flush=True)


def measure(runs: int, page: int = 1) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from search.query import NEWEST, RELEVANCE, article_search, public_search_page

    total = Article.objects.count()
    print(
        f"\n{total} articles, PostgreSQL {connection.pg_version}; {runs} timed queries per "
        f"cell, page {page}"
    )
    print(f"{'class':<12} {'share':>7} {'matches':>8} {'order':<10} {'p50 ms':>7} {'p95 ms':>7}")
    worst = 0.0
    for klass, share in CLASSES.items():
        matches = article_search(Article.objects.public(), term(klass, 0)).count()
        for order in (RELEVANCE, NEWEST):
            for k in range(TERMS_PER_CLASS):  # warm-up
                public_search_page(term(klass, k), order=order, number=page)
            timings = []
            for r in range(runs):
                q = term(klass, r % TERMS_PER_CLASS)
                started = time.perf_counter()
                public_search_page(q, order=order, number=page)
                timings.append((time.perf_counter() - started) * 1000)
            p50 = statistics.median(timings)
            p95 = statistics.quantiles(timings, n=20)[18]
            worst = max(worst, p95)
            print(
                f"{klass:<12} {share:>7.2%} {matches:>8} {order:<10} {p50:>7.1f} {p95:>7.1f}",
                flush=True,
            )
    print(f"\nworst p95: {worst:.1f} ms (target <= 50 ms)")
    for klass, order in (("very common", RELEVANCE), ("very common", NEWEST), ("rare", RELEVANCE)):
        with CaptureQueriesContext(connection) as captured:
            public_search_page(term(klass, 0), order=order, number=page)
        sql = captured.captured_queries[0]["sql"]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)
            print(f"\nplan of the ranking query, {klass} term, {order}:")
            print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--pages", type=int, default=1, help="the page number timed")
    parser.add_argument("--reindex", action="store_true", help="rebuild the index only")
    args = parser.parse_args()
    setup_django(os.environ.get("DATABASE_URL", DEFAULT_URL))
    if args.reindex:
        from search.services import search_index_rebuild

        started = time.perf_counter()
        search_index_rebuild()
        print(f"indexed in {time.perf_counter() - started:.0f} s", flush=True)
    elif not args.skip_build:
        build(args.articles)
    measure(args.runs, args.pages)


if __name__ == "__main__":
    main()
