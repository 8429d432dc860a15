"""Concurrent editors through the HTTP API: If-Match makes every lost edit impossible."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection

from articles.models import Article, Revision
from tests.factories import make_article
from workflow.loading import fixtures_load
from workflow.tokens import token_issue

pytestmark = pytest.mark.slow  # threads and subprocesses against a real database

WORKERS = 8
ROUNDS = 10


def _request(url: str, token: str, method: str = "GET", body=None, if_match=None):
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    if if_match:
        headers["If-Match"] = if_match
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("ETag"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("ETag"), error.read()


@pytest.mark.django_db(transaction=True)
def test_concurrent_patches_with_one_etag_lose_nothing(live_server):
    """Each round, 8 threads PATCH the same article with the same ETag at once: exactly one
    wins, every other gets 412 naming the current version, none gets a 5xx, and the
    article's final text and revisions account for every accepted edit."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # pytest-django's in-memory SQLite shares one cache between threads, whose table
        # locks fail at once instead of waiting; production SQLite is a WAL file with
        # BEGIN IMMEDIATE and a busy timeout. `make test` runs this test on such a file.
        pytest.skip("in-memory SQLite: `make test` runs this on a file-backed database")
    fixtures_load()
    editor = User.objects.create_user("edna")
    editor.groups.add(Group.objects.get(name="Editor"))
    token = token_issue(user=editor, name="concurrency")[1]
    article = make_article("Bridge reopens", status="draft", body="Version zero.")
    url = f"{live_server.url}/api/v1/articles/{article.slug}/"
    accepted_bodies = []
    statuses: list[int] = []
    for round_number in range(ROUNDS):
        _status, etag, _ = _request(url, token)
        barrier = threading.Barrier(WORKERS)
        results: list[tuple[int, str]] = []
        lock = threading.Lock()

        def worker(
            index: int,
            etag=etag,
            round_number=round_number,
            barrier=barrier,
            lock=lock,
            results=results,
        ) -> None:
            text = f"Round {round_number}, writer {index}."
            barrier.wait()
            status, _, payload = _request(url, token, "PATCH", {"body": text}, if_match=etag)
            with lock:
                results.append((status, text))
                if status == 412:
                    assert b"current_version" in payload or b"version" in payload

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        round_statuses = sorted(status for status, _ in results)
        statuses += round_statuses
        assert round_statuses == [200] + [412] * (WORKERS - 1), round_statuses
        accepted_bodies += [text for status, text in results if status == 200]
    article.refresh_from_db()
    assert article.body == accepted_bodies[-1]
    assert article.version == 1 + ROUNDS
    edits = list(
        Revision.objects.filter(article=article, kind="edit")
        .order_by("version")
        .values_list("snapshot", flat=True)
    )
    assert [snapshot["body"] for snapshot in edits] == accepted_bodies
    assert not [status for status in statuses if status >= 500]
    assert Article.objects.count() == 2
