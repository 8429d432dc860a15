"""Every HTML response carries the site's CSP, the API docs included (issue 11, point 12):
Swagger UI runs under `script-src 'self'` with no inline script and no violation."""

import re

import pytest
from django.test import Client, override_settings

DOCS = "/api/v1/docs/"


def test_api_docs_have_a_csp_without_inline_script_and_same_origin_coop(client, db):
    response = client.get(DOCS)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1).split()
    assert script_src == ["'self'"]
    assert "frame-ancestors 'none'" in csp
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # Every script on the page is a file from this origin.
    for tag in re.findall(r"<script[^>]*>", response.text):
        assert re.fullmatch(r'<script src="/[^"]+">', tag), tag
    script = client.get(DOCS + "?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.text


@override_settings(NEWSROOM_MAX_REQUEST_BYTES=10)
def test_html_made_by_middleware_and_error_handlers_has_the_csp(db):
    """The 413 page (middleware) and a CSRF failure come back with the site's CSP too."""
    response = Client().post("/search/", {"q": "x" * 50})
    assert response.status_code == 413
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_csrf_failure_page_has_the_admin_csp(db):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.browser
def test_swagger_ui_renders_under_the_csp_without_violations(live_server, page, seed):
    """In Chromium, the docs page lists the API's operations and the browser reports no
    CSP violation (a blocked inline script or style would show as one)."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + DOCS)
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.locator(".opblock").count() > 5
    assert violations == []
