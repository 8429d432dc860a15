"""What the version triggers cost a bulk write, and what reading a version costs after it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/bench_versions.py [--mentions 20000] [--rounds 3]

Creates a scratch database beside the one DATABASE_URL names (newsroom_bench_versions),
migrates it, and in one run, alternating, best of --rounds:

- bulk: one bulk_create of --mentions mentions of released articles, with the triggers
  installed and with them dropped (the plainest write: the same statement, no triggers);
- loop: --loop single-row inserts in one transaction, with and without;
- read: the page cache's per-request query (the public token and the next scheduled
  change) after all those writes, against `SELECT 1`.

Prints seconds, the ratio with/without, and the load average beside each figure. Needs
PostgreSQL (SQLite has no MVCC bloat and row triggers only).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "newsroom_bench_versions"


def setup(url: str) -> None:
    import psycopg

    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = f"{server}/{DB_NAME}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--loop", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("Needs DATABASE_URL=postgres://… (PostgreSQL).")
        return 2
    setup(url)

    from django.db import connection, transaction
    from django.utils import timezone

    from articles.models import Article, ArticleStatus, Mention
    from core import versions
    from entities.models import Entity
    from website.page_cache import _state

    now = timezone.now()
    per_article = 1_000
    n_articles = max(1, args.mentions // per_article)
    entities = Entity.objects.bulk_create(
        Entity(kind="person", name=f"Person {n}", slug=f"person-{n}") for n in range(per_article)
    )
    articles = Article.objects.bulk_create(
        Article(
            headline=f"Article {n}",
            slug=f"article-{n}",
            body="Text.",
            status=ArticleStatus.PUBLISHED,
            publish_at=now,
            first_published_at=now,
        )
        for n in range(n_articles)
    )
    rows = [Mention(article=a, entity=e) for a in articles for e in entities]
    loop_rows = rows[: args.loop]

    def drop_triggers() -> None:
        with connection.cursor() as cursor:
            for name, table in versions._existing_triggers(connection).items():
                cursor.execute(f'DROP TRIGGER "{name}" ON "{table}"')

    def timed(write) -> float:
        Mention.objects.all().delete()
        start = time.perf_counter()
        with transaction.atomic():
            write()
        return time.perf_counter() - start

    def bulk() -> None:
        Mention.objects.bulk_create(rows, batch_size=len(rows))

    def loop() -> None:
        for row in loop_rows:
            Mention.objects.create(article_id=row.article_id, entity_id=row.entity_id)

    results: dict[str, dict[str, list[float]]] = {"bulk": {}, "loop": {}}
    for _ in range(args.rounds):
        for label, with_triggers in (("with", True), ("without", False)):
            if with_triggers:
                versions.install()
            else:
                drop_triggers()
            for kind, write in (("bulk", bulk), ("loop", loop)):
                results[kind].setdefault(label, []).append(timed(write))
    versions.install()

    print(f"{len(rows):,} mentions in one statement; {len(loop_rows):,} single inserts")
    for kind, by_label in results.items():
        best = {label: min(times) for label, times in by_label.items()}
        print(
            f"{kind:5} with triggers {best['with']:7.3f} s   without {best['without']:7.3f} s"
            f"   ratio {best['with'] / best['without']:.2f}×   ({load()})"
        )

    def per_call(fn, n: int = 2_000) -> float:
        samples = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        return statistics.median(samples) * 1000

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_total_relation_size('{versions.TABLE}')")
        size = cursor.fetchone()[0]
    print(
        f"read  page-cache state {per_call(lambda: _state(timezone.now())):.3f} ms median"
        f"   SELECT 1 {per_call(select_one):.3f} ms   version table {size / 1024:.0f} kB"
        f"   ({load()})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
