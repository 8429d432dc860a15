import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from workflow.tokens import token_issue


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling and login lockouts live in the cache: start every test clean."""
    for alias in ("default", "counters"):
        caches[alias].clear()
    yield
    for alias in ("default", "counters"):
        caches[alias].clear()


@pytest.fixture
def api():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    _token, key = token_issue(user=user, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def review_post(client: APIClient, url: str, body: dict):
    """A review decision as a client makes it: If-Match with the ETag GET …/review/ gave."""
    return client.post(url, body, format="json", headers={"if-match": client.get(url)["ETag"]})
