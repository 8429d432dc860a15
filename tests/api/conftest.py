import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

SEED_ARTICLE = "zelenskyy-and-tsikhanouskaya-hold-first-formal-meeting-in-vilnius"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling and login lockouts live in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def groups(db):
    call_command("loaddata", "fixtures/groups.json", verbosity=0)
    return {group.name: group for group in Group.objects.all()}


def _user(username: str, group=None) -> User:
    user = User.objects.create_user(username=username, password=f"pw-{username}-long")
    if group is not None:
        user.groups.add(group)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def reporter(groups):
    return _user("rita", groups["Reporter"])


@pytest.fixture
def other_reporter(groups):
    return _user("oleg", groups["Reporter"])


@pytest.fixture
def editor(groups):
    return _user("edna", groups["Editor"])


@pytest.fixture
def outsider(db):
    """Logged in, but neither reporter nor editor."""
    return _user("olga")


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
