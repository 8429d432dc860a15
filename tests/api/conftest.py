import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling and login lockouts live in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def review_post(client: APIClient, url: str, body: dict):
    """A review decision as a client makes it: If-Match with the ETag GET …/review/ gave."""
    return client.post(url, body, format="json", headers={"if-match": client.get(url)["ETag"]})
