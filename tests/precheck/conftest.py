"""Answers as a browser posts them: one "worth talking to us" set, and changes per test."""

import re

import pytest

WORTH_POST = {
    "age": "adult",
    "depression": "diagnosed",
    "antidepressants": "two-or-more",
    "suicidal_thoughts": "no",
    "conditions": ["none"],
    "substance_use": "no",
    "pregnancy": "no",
    "ride_home": "yes",
    "care": "yes",
}
# One answer set per outcome, and one in crisis.
OUTCOME_POSTS = {
    "worth-talking": WORTH_POST,
    "doctor-first": {**WORTH_POST, "antidepressants": "one", "conditions": ["blood-pressure"]},
    "not-offered": {**WORTH_POST, "conditions": ["psychosis"], "pregnancy": "yes"},
    "not-offered, under 18": {**WORTH_POST, "age": "under-18"},
    "crisis": {**WORTH_POST, "suicidal_thoughts": "yes"},
}
URL = "/pre-check/"


@pytest.fixture
def post_answers(client):
    def post(**changes):
        return client.post(URL, {**WORTH_POST, **changes})

    return post


def main_html(response) -> str:
    found = re.search(r"<main\b.*?</main>", response.content.decode(), re.DOTALL)
    assert found, "no <main>"
    return found[0]
