"""Concurrent stale saves through article_update: the workload of test_concurrency.py.

Every round, all workers read the article at the same version, then all save an edit
based on it at once: exactly one save may win, every other one must be refused with
StaleArticleError, and no winning edit may be lost.

Run as a module (`python -m tests.workflow.stale_saves`) it migrates the database named by
the settings (a temporary SQLite file given by SQLITE_NAME) and prints the result as JSON.
"""

import json
import threading
import traceback


def stale_saves_run(*, workers: int = 8, rounds: int = 50) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connections

    from articles.models import Article, Revision
    from workflow.articles import StaleArticleError, article_create, article_update

    user_model = get_user_model()
    actor, _ = user_model.objects.get_or_create(
        username="stale-saves", defaults={"is_staff": True, "is_superuser": True}
    )
    article = article_create(actor=actor, headline="Contended", body="Start.")
    barrier = threading.Barrier(workers, timeout=120)
    lock = threading.Lock()
    won: list[str] = []
    refused: list[int] = []
    errors: list[str] = []

    def work(worker: int) -> None:
        try:
            for round_ in range(rounds):
                copy = Article.objects.get(pk=article.pk)
                barrier.wait()  # everyone holds the same version now
                token = f"[w{worker}r{round_}]"
                try:
                    article_update(
                        article=copy,
                        actor=actor,
                        expected_version=copy.version,
                        changes={"body": copy.body + " " + token},
                        source="test",
                    )
                    with lock:
                        won.append(token)
                except StaleArticleError as error:
                    with lock:
                        refused.append(error.current_version)
                except Exception:  # any other failure is a finding, not a crash
                    with lock:
                        errors.append(traceback.format_exc(limit=3))
                barrier.wait()  # the round is over before anyone reads again
        except threading.BrokenBarrierError:
            with lock:
                errors.append("broken barrier")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = Article.objects.get(pk=article.pk)
    return {
        "attempts": workers * rounds,
        "won": len(won),
        "refused": len(refused),
        "errors": errors,
        "lost": [token for token in won if token not in final.body],
        "final_version": final.version,
        "revisions": Revision.objects.filter(article=final).count(),
    }


def main() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps(stale_saves_run()))


if __name__ == "__main__":
    main()
