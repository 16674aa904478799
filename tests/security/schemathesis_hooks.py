"""Checks of this API's own contract, added to schemathesis's during the fuzz
(tests/security/test_api_fuzz.py loads this file through SCHEMATHESIS_HOOKS)."""

from __future__ import annotations

import json
from http import HTTPStatus

import schemathesis


def _content_type(response) -> str:
    for name, values in response.headers.items():
        if name.lower() == "content-type":
            return (values[0] if isinstance(values, list) else values).split(";")[0].strip()
    return ""


@schemathesis.check
def problem_title_matches_status(ctx, response, case):
    """Every error is problem+json whose ``status`` is the HTTP status and whose ``title`` is
    that status's reason phrase (400 "Bad Request", 422 "Unprocessable Entity", ...)."""
    if response.status_code < 400:
        return
    if _content_type(response) != "application/problem+json":
        raise AssertionError(
            f"{response.status_code} answered as {_content_type(response)!r}, not application/problem+json"
        )
    problem = json.loads(response.content)
    expected = HTTPStatus(response.status_code).phrase
    if response.status_code == 422:
        expected = (
            "Unprocessable Entity"  # RFC 9110 renamed it Unprocessable Content; the API keeps RFC 4918's
        )
    if problem.get("status") != response.status_code or problem.get("title") != expected:
        raise AssertionError(
            f"problem status {problem.get('status')!r} and title {problem.get('title')!r} "
            f"on a {response.status_code} (expected title {expected!r})"
        )
