"""While the database is unreachable, requests answer 503 with Retry-After and a branded
page (JSON under the API), and the next request after it returns succeeds (issue 11,
point 10). The real outage (a stopped PostgreSQL) is in benchmarks/fault_drill.py."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.factories import SEED_ARTICLE


def _unreachable(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "url", [f"/articles/{SEED_ARTICLE}/", "/people/volodymyr-zelenskyy/", "/", "/search/?q=x"]
)
def test_pages_answer_503_with_retry_after_and_a_branded_page(anonymous, seed, url):
    with mock.patch.object(BaseDatabaseWrapper, "_cursor", _unreachable):
        response = anonymous.get(url)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert "We’ll be back in a moment" in response.text
    assert 'href="/static/newsroom/site.css"' in response.text
    # Once the database answers again, so does the site.
    assert anonymous.get(url).status_code == 200


def test_api_answers_503_json_with_retry_after(anonymous, seed):
    with mock.patch.object(BaseDatabaseWrapper, "_cursor", _unreachable):
        response = anonymous.get("/api/v1/articles/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["detail"].startswith("The service is briefly unavailable")


def test_other_errors_stay_500_with_the_branded_page(anonymous, seed):
    """Only database outages are 503: a bug is still a 500, without a traceback shown."""
    with mock.patch("website.articles.article_context", side_effect=RuntimeError("bug")):
        response = anonymous.get(f"/articles/{SEED_ARTICLE}/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.text and "error-search" in response.text
    assert "RuntimeError" not in response.text
