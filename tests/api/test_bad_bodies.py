"""Bodies that are too deep or too big are refused before they are parsed (issue 11,
points 8 and 9): 400 for deep JSON, 413 for bodies over the cap, never a 500."""

import pytest
from django.test import override_settings

from api.parsers import json_depth_exceeds
from articles.models import Article
from tests.api.conftest import client_for

TOKEN_LOGIN = "/api/v1/auth/token/"
IMPORT = "/api/v1/articles/import/"


def _nested(levels: int) -> bytes:
    return b'{"a":' * levels + b"1" + b"}" * levels


def test_depth_counts_brackets_outside_strings_only():
    """Brackets inside strings (escaped quotes included) do not count."""
    assert not json_depth_exceeds(b'{"a": "[[[[[[[[\\"[[[[", "b": [[1]]}', 3)
    assert json_depth_exceeds(b'{"a": [[[1]]]}', 3)
    assert not json_depth_exceeds(b"[[[]]]", 3)


@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_deeply_nested_json_is_a_400_for_anonymous_clients(api, db, levels):
    """Token login is open to anyone: a deep body is refused with 400 naming the limit."""
    response = api.post(TOKEN_LOGIN, _nested(levels), content_type="application/json")
    assert response.status_code == 400
    assert "nested deeper" in response.json()["detail"]


def test_deeply_nested_json_is_a_400_on_import(editor):
    """Editorial endpoints parse with the same bounded parser."""
    response = client_for(editor).post(
        IMPORT,
        b'{"headline": "x", "body": ' + b"[" * 2000 + b"]" * 2000 + b"}",
        content_type="application/json",
    )
    assert response.status_code == 400


def test_json_within_the_depth_limit_still_parses(api, db):
    """Ordinary bodies go through: a wrong password is a 401, not a parse error."""
    response = api.post(TOKEN_LOGIN, {"username": "nobody", "password": "wrong"}, format="json")
    assert response.status_code == 401


def test_a_body_over_the_cap_is_a_413_before_it_is_read(editor):
    """10 MB of text to the import endpoint: 413 naming the cap, and no article made."""
    before = Article.objects.count()
    response = client_for(editor).post(IMPORT, b"x" * (10 * 1024 * 1024), content_type="text/plain")
    assert response.status_code == 413
    assert "at most" in response.json()["detail"]
    assert Article.objects.count() == before


@override_settings(NEWSROOM_MAX_REQUEST_BYTES=100)
def test_the_cap_is_checked_on_the_declared_length_for_every_path(api, admin_client):
    """A declared Content-Length over the cap is refused even where nothing would parse the
    body: the anonymous token login (JSON 413) and the admin login (an HTML 413 page)."""
    body = b'{"username": "u", "password": "' + b"p" * 200 + b'"}'
    response = api.post(TOKEN_LOGIN, body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    response = admin_client.post("/admin/login/", {"username": "u" * 200, "password": "p"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "Request body too large" in response.text and "site.css" in response.text


def test_the_schema_documents_the_body_cap_and_the_outage_answer(api, db):
    schema = api.get("/api/v1/schema/?format=json")
    responses = schema.json()["paths"]["/api/v1/articles/import/"]["post"]["responses"]
    assert "413" in responses and "503" in responses
