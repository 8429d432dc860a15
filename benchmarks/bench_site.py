"""Throughput of the article and person pages against a bare Django view (prints figures).

Builds a corpus of 10,000 articles and 2,000 entities (people, organizations, places,
events with aliases, roles, relations, participations; every article with confirmed
mentions at body spans, quotes, a statistic, some corrections) in its own SQLite file,
serves it with gunicorn on 127.0.0.1, and measures requests per second of
- the bare view: 20 public articles rendered through a template (same DB, same middleware),
- article pages and person pages (several different ones, round robin),
in the same run, alternating rounds. Prints each page's throughput as a ratio to the bare
view (target >= 0.8x), once with the server-side page cache (website.page_cache, as
deployed) and once without it (NEWSROOM_PAGE_CACHE=0), so that both figures are known.
With the cache, requests after the first of each page are hits; the bare view is never
cached.

    .venv/bin/python benchmarks/bench_site.py [--seconds 8] [--rounds 2] [--port 8101]
        [--db /tmp/newsroom_bench_site.sqlite3] [--skip-build] [--page-cache on|off|both]

--skip-build reuses the database of an earlier run (same corpus, same seed).
"""

import argparse
import datetime as dt
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = "/tmp/newsroom_bench_site.sqlite3"


def build(articles: int = 10_000, entities: int = 2_000, seed: int = 1) -> dict:
    from articles.models import Article, Correction, Mention, Quote, Section, Statistic
    from entities.models import Alias, Entity, Participation, Relation, Role

    rng = random.Random(seed)
    sections = Section.objects.bulk_create(
        Section(name=n, slug=n.lower(), position=i)
        for i, n in enumerate(["World", "Europe", "Politics", "Culture"])
    )
    counts = {"person": entities * 60 // 100, "organization": entities * 15 // 100}
    counts["place"] = entities * 15 // 100
    counts["event"] = entities - sum(counts.values())
    created = []
    for kind, count in counts.items():
        for i in range(count):
            fields = {}
            if kind == "event":
                fields = {
                    "start": dt.date(2000 + i % 25, 1 + i % 12, 1),
                    "start_precision": "month",
                }
                fields["period_start"] = fields["start"]
                fields["period_end"] = fields["start"]
            created.append(
                Entity(
                    kind=kind,
                    name=f"{kind.capitalize()} Name{i}",
                    slug=f"{kind}-{i}",
                    description=f"A {kind} in the benchmark corpus, number {i}.",
                    **fields,
                )
            )
    all_entities = Entity.objects.bulk_create(created, batch_size=1000)
    by_kind = {k: [e for e in all_entities if e.kind == k] for k in counts}
    places = by_kind["place"]
    Entity.objects.bulk_update(
        [setattr(e, "location", rng.choice(places)) or e for e in by_kind["event"]], ["location"]
    )
    for place in places[10:]:
        place.parent = rng.choice(places[:10])
    Entity.objects.bulk_update(places[10:], ["parent"])
    Alias.objects.bulk_create(
        [
            Alias(entity=e, name=f"{e.name} alt{j}", normalized=f"alt {j}", kind="spelling")
            for e in all_entities
            for j in range(3)
        ],
        batch_size=2000,
    )
    people = by_kind["person"]
    Role.objects.bulk_create(
        Role(person=p, title=f"Minister {i}", affiliation=rng.choice(by_kind["organization"]))
        for i, p in enumerate(people)
    )
    Relation.objects.bulk_create(
        Relation(subject=p, kind="ally", object=people[(i + 1) % len(people)])
        for i, p in enumerate(people)
    )
    Participation.objects.bulk_create(
        {
            (e.pk, p.pk): Participation(event=e, participant=p, role="participant")
            for e in by_kind["event"]
            for p in rng.sample(people, 5)
        }.values()
    )
    now = dt.datetime.now(dt.UTC)
    mention_rows, quote_rows, stat_rows, correction_rows = [], [], [], []
    article_rows, plans = [], []
    for i in range(articles):
        involved = rng.sample(people, 4) + rng.sample(by_kind["organization"], 2)
        involved += rng.sample(places, 1) + rng.sample(by_kind["event"], 1)
        paragraphs, spans, offset = [], [], 0
        for p in range(8):
            entity = involved[p]
            before = "Officials said the talks went on for several hours before a statement. "
            text = before + entity.name + " was mentioned again in this paragraph of the story."
            start = offset + len(before)
            spans.append((entity, start, start + len(entity.name)))
            paragraphs.append(text)
            offset += len(text) + 2
        published = now - dt.timedelta(minutes=7 * i + 1)
        article_rows.append(
            Article(
                headline=f"Benchmark story {i} about {involved[0].name}",
                slug=f"story-{i}",
                standfirst="A standfirst summarising the story in one sentence.",
                body="\n\n".join(paragraphs),
                byline="Bench Reporter",
                section=sections[i % 4],
                dateline=involved[6],
                status="published",
                publish_at=published,
                first_published_at=published,
                updated_at=published,
            )
        )
        plans.append(spans)
    saved = Article.objects.bulk_create(article_rows, batch_size=1000)
    for article, spans in zip(saved, plans, strict=True):
        for n, (entity, start, end) in enumerate(spans):
            mention_rows.append(
                Mention(
                    article=article,
                    entity=entity,
                    role="subject" if n == 0 else "mentioned",
                    state="confirmed",
                    matched_text=entity.name,
                    field="body",
                    span_start=start,
                    span_end=end,
                )
            )
        for q in range(2):
            quote_rows.append(
                Quote(
                    slug=f"q-{article.pk}-{q}",
                    article=article,
                    speaker=spans[q][0],
                    text="We will keep working on this until it is done.",
                    said_on=article.publish_at.date(),
                    said_on_precision="day",
                    said_where="at a press conference",
                    position=q,
                )
            )
        stat_rows.append(
            Statistic(
                slug=f"s-{article.pk}",
                article=article,
                value=rng.randrange(10_000),
                unit="people affected",
                subject=spans[6][0],
                as_of=article.publish_at.date(),
                as_of_precision="day",
                source=spans[4][0],
                source_url="https://example.org/report",
            )
        )
        if article.pk % 5 == 0:
            correction_rows.append(
                Correction(
                    article=article,
                    note="An earlier version misspelt a name.",
                    published_at=article.publish_at + dt.timedelta(hours=1),
                )
            )
    Mention.objects.bulk_create(mention_rows, batch_size=2000)
    Quote.objects.bulk_create(quote_rows, batch_size=2000)
    Statistic.objects.bulk_create(stat_rows, batch_size=2000)
    Correction.objects.bulk_create(correction_rows, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as `PRAGMA optimize` or autovacuum would in production
    per_entity = Counter(m.entity_id for m in mention_rows)
    busiest = sorted(people, key=lambda p: -per_entity[p.pk])
    return {
        "articles": [a.get_absolute_url() for a in saved[:20]],
        "people": [p.get_absolute_url() for p in busiest[:10]],
        "mentions_per_person": len(mention_rows) // len(people),
    }


def corpus_paths() -> dict:
    """The pages build() returns, read back from an existing corpus."""
    from django.db.models import Count

    from articles.models import Article, Mention
    from entities.models import Entity

    articles = Article.objects.order_by("pk")[:20]
    people = (
        Entity.objects.filter(kind="person").annotate(n=Count("mentions")).order_by("-n", "pk")[:10]
    )
    return {
        "articles": [a.get_absolute_url() for a in articles],
        "people": [p.get_absolute_url() for p in people],
        "mentions_per_person": Mention.objects.count()
        // Entity.objects.filter(kind="person").count(),
    }


def hammer(port: int, paths: list[str], seconds: float, threads: int) -> float:
    """Requests per second over `seconds`, `threads` clients, round robin over paths."""
    done = [0] * threads
    errors = []
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        i = n
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", paths[i % len(paths)])
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                errors.append((paths[i % len(paths)], response.status))
            done[n] += 1
            i += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise SystemExit(f"errors: {errors[:5]}")
    return sum(done) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--db", default=DB_FILE, help="SQLite file of the corpus")
    parser.add_argument("--skip-build", action="store_true", help="reuse the --db corpus")
    parser.add_argument(
        "--page-cache",
        choices=["on", "off", "both"],
        default="both",
        help="serve with the server-side page cache on, off, or measure both (default)",
    )
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.site_app",
        "SQLITE_NAME": args.db,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "SQLITE_NAME")})
    os.environ.pop("DATABASE_URL", None)
    if not args.skip_build:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    corpus = corpus_paths() if args.skip_build else build()
    print(f"built 10,000 articles and 2,000 entities in {time.perf_counter() - started:.0f} s")
    print(
        f"person pages measured: the 10 most mentioned (~{corpus['mentions_per_person']}+ "
        "articles each)"
    )

    phases = [("page cache on", "1"), ("page cache off", "0")]
    if args.page_cache != "both":
        phases = [phase for phase in phases if phase[0].endswith(args.page_cache)]
    for label, flag in phases:
        measure(args, corpus, {**env, "NEWSROOM_PAGE_CACHE": flag}, label)


def measure(args, corpus: dict, env: dict, label: str) -> None:
    """Serve the corpus with gunicorn and print each page's throughput against bare."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "benchmarks.site_app:application",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(50):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                conn.request("GET", "/bench/bare/")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        for paths in (["/bench/bare/"], corpus["articles"], corpus["people"]):
            hammer(args.port, paths, 1.5, args.threads)  # warm-up
        results = {"bare": [], "article": [], "person": []}
        for _ in range(args.rounds):
            results["bare"].append(hammer(args.port, ["/bench/bare/"], args.seconds, args.threads))
            results["article"].append(
                hammer(args.port, corpus["articles"], args.seconds, args.threads)
            )
            results["person"].append(
                hammer(args.port, corpus["people"], args.seconds, args.threads)
            )
        bare = statistics.mean(results["bare"])
        print(
            f"\n{label}: gunicorn {args.workers} sync workers, {args.threads} client threads, "
            f"{args.rounds} rounds of {args.seconds:.0f} s, SQLite"
        )
        for name, values in results.items():
            rps = statistics.mean(values)
            print(
                f"{name:<8} {rps:8.1f} req/s   ratio to bare: {rps / bare:.2f}x   "
                f"(rounds: {', '.join(f'{v:.1f}' for v in values)})"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
