"""Reading the web pages in tests: the CSRF token of a page's form."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: FlaskClient, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text[:500]
    found = _CSRF.search(page.text)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: FlaskClient, secret: str) -> None:
    token = csrf_of(client, "/signin")
    answer = client.post("/signin", data={"csrf_token": token, "secret": secret})
    assert answer.status_code == 302, answer.text[:500]
