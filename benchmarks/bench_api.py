"""Throughput of the API's article list against a bare Django view, same database, same run.

    .venv/bin/python benchmarks/bench_api.py [--articles 500] [--entities 12] [--seconds 3]

Builds a corpus in a temporary SQLite database (articles with entities, quotes and
statistics), then serves in-process, interleaved, best of several rounds:

- bare: a plain Django view rendering 20 public articles (headline, link, date) through a
  template: the floor any page costs;
- api: GET /api/v1/articles/ (20 per page, entities, quotes, statistics embedded);
- api ninjs: the same page as IPTC ninjs.

Prints requests per second and the ratio api/bare; the issue asks for at least 0.8.
Exits 1 below that with --check.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_RATIO = 0.8


def configure(db_path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    os.environ["SQLITE_NAME"] = db_path
    os.environ["NEWSROOM_API_ANON_RATE"] = "1000000/second"
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = db_path
    settings.ROOT_URLCONF = "benchmarks.bench_api"
    settings.NEWSROOM_API_ANON_RATE = "1000000/second"


BARE_TEMPLATE = """<ul>{% for article in articles %}
<li><a href="{{ article.get_absolute_url }}">{{ article.headline }}</a>
<time>{{ article.publish_at|date:"j F Y" }}</time></li>{% endfor %}</ul>"""


_compiled_template = []


def bare_view(request):
    """The reference: 20 rows from the same database, rendered by a template compiled
    once (as Django's cached template loader does in production)."""
    from django.http import HttpResponse
    from django.template import Context, Template

    from articles.models import Article

    if not _compiled_template:
        _compiled_template.append(Template(BARE_TEMPLATE))
    articles = Article.objects.public().newest_first()[:20]
    return HttpResponse(_compiled_template[0].render(Context({"articles": articles})))


def urls():
    from django.urls import include, path

    return [
        path("bare/", bare_view),
        path("", include("newsroom.urls")),
    ]


def build_corpus(articles: int, entities: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from articles.models import Article, Mention, Quote, Section, Statistic
    from entities.models import Alias, Entity

    call_command("migrate", verbosity=0)
    section = Section.objects.create(name="World", slug="world")
    kinds = ["person", "organization", "event", "place"]
    pool = []
    for n in range(max(entities * 10, 40)):
        kind = kinds[n % 4]
        extra = {"start": dt.date(2025, 1, 1), "start_precision": "day"} if kind == "event" else {}
        pool.append(Entity(kind=kind, name=f"Entity {n}", slug=f"entity-{n}", **extra))
    for entity in pool:
        entity.refresh_derived_fields()
    Entity.objects.bulk_create(pool)
    pool = list(Entity.objects.order_by("pk"))
    Alias.objects.bulk_create(
        Alias(entity=e, name=f"{e.name} alias", normalized="", kind="spelling") for e in pool
    )
    now = timezone.now()
    body = "\n\n".join(f"Paragraph {n} of the story, with some words in it." for n in range(12))
    Article.objects.bulk_create(
        Article(
            headline=f"Story number {n}",
            slug=f"story-{n}",
            standfirst="What happened, in one sentence.",
            body=body,
            byline="Newsroom staff",
            section=section,
            dateline=pool[3],
            status="published",
            publish_at=now - dt.timedelta(minutes=n),
            first_published_at=now - dt.timedelta(minutes=n),
        )
        for n in range(articles)
    )
    rows = list(Article.objects.order_by("pk"))
    Mention.objects.bulk_create(
        Mention(
            article=article,
            entity=pool[(index * 7 + k) % len(pool)],
            role="subject" if k == 0 else "mentioned",
            state="confirmed",
        )
        for index, article in enumerate(rows)
        for k in range(entities)
    )
    Quote.objects.bulk_create(
        Quote(slug=f"quote-{a.pk}-{k}", article=a, speaker=pool[0], text="Words.", position=k)
        for a in rows
        for k in range(2)
    )
    Statistic.objects.bulk_create(
        Statistic(
            slug=f"stat-{a.pk}",
            article=a,
            value=1131,
            unit="prisoners",
            subject=pool[3],
            as_of=dt.date(2025, 12, 31),
            as_of_precision="day",
        )
        for a in rows
    )


def rate(client, url: str, seconds: float, headers: dict | None = None) -> float:
    count = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        response = client.get(url, **(headers or {}))
        assert response.status_code == 200, (url, response.status_code)
        count += 1
    return count / elapsed


def profile(client, url: str) -> None:
    import cProfile
    import pstats

    for _ in range(5):
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative"))
    stats.print_stats(35)
    if os.environ.get("BENCH_CALLERS"):
        stats.print_callers(os.environ["BENCH_CALLERS"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--entities", type=int, default=12, help="entities per article")
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile the API list")
    parser.add_argument("--check", action="store_true", help=f"exit 1 below {TARGET_RATIO}x")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        configure(str(Path(tmp) / "bench.sqlite3"))
        build_corpus(args.articles, args.entities)
        from django.core.cache import cache
        from django.test import Client

        client = Client()
        targets = {
            "bare": ("/bare/", None),
            "api": ("/api/v1/articles/?page_size=20", None),
            "api ninjs": ("/api/v1/articles/?page_size=20&format=ninjs", None),
        }
        if args.profile:
            profile(client, targets["api"][0])
            return 0
        for url, headers in targets.values():  # warm up
            rate(client, url, 0.3, headers)
        best = dict.fromkeys(targets, 0.0)
        for _round in range(args.rounds):
            for name, (url, headers) in targets.items():
                cache.clear()
                best[name] = max(best[name], rate(client, url, args.seconds, headers))
        print(
            f"corpus: {args.articles} articles × {args.entities} entities, 2 quotes, "
            "1 statistic each; 20 per page"
        )
        for name, value in best.items():
            print(f"{name:10s} {value:8.1f} req/s   {value / best['bare']:.2f}× bare")
        ratio = best["api"] / best["bare"]
        print(f"api/bare = {ratio:.2f} (target ≥ {TARGET_RATIO})")
        return 0 if ratio >= TARGET_RATIO or not args.check else 1


urlpatterns = urls() if "django" in sys.modules and os.environ.get("SQLITE_NAME") else []

if __name__ == "__main__":
    sys.exit(main())
