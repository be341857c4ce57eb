"""A change from check answers that raises an alert and opens a follow-up: the safe page carries
on to the follow-up, and the follow-up still returns to check your answers (issue 16)."""

from __future__ import annotations

import pytest

from tests.respond_support import csrf_from, make_invitation, post_page

FORM = """\
key: safety_follow_up
version: 1
stage: consultation
roles: [child]
review_kinds: [cared_for]
age_bands: ["4-7"]
one_question_per_page: true
title: Your review
intro: Tap a picture to answer.
pages:
  - key: home
    questions:
      - key: safe
        type: choice
        label: Do you feel safe?
        options:
          - {key: "yes", label: "Yes"}
          - {key: not_safe, label: "No", alert: true}
      - key: tell_more
        type: text
        label: Tell us more if you want to
        show_if: {question: safe, equals: not_safe}
  - key: school
    questions:
      - key: school_feeling
        type: choice
        label: How is school?
        options:
          - {key: good, label: "Good"}
          - {key: bad, label: "Not good"}
"""


@pytest.fixture
def app_config(tmp_path_factory):
    forms = tmp_path_factory.mktemp("forms")
    (forms / "safety_follow_up.yaml").write_text(FORM)
    return {"FORMS_DIR": str(forms)}


def test_the_safe_page_carries_on_to_the_follow_up_then_back_to_check(app, client):
    link = make_invitation(app, role="child", age=6, form_key="safety_follow_up")
    client.get(link.url)
    start = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(start)})
    assert post_page(client, 1, {"safe": "yes"}).location == "/r/page/3"
    assert post_page(client, 3, {"school_feeling": "good"}).location == "/r/check"
    page = client.get("/r/page/1?return=check").get_data(as_text=True)
    changed = client.post(
        "/r/page/1",
        data={"csrf_token": csrf_from(page), "_shown": ["safe"], "_return": "check",
              "safe": "not_safe"},
    )  # fmt: skip
    assert changed.location == "/r/safe?next=2&return=check"
    safe = client.get(changed.location).get_data(as_text=True)
    assert 'href="/r/page/2?return=check"' in safe
    follow_up = client.get("/r/page/2?return=check").get_data(as_text=True)
    assert "Tell us more if you want to" in follow_up
    answered = client.post(
        "/r/page/2",
        data={"csrf_token": csrf_from(follow_up), "_shown": ["tell_more"], "_return": "check",
              "tell_more": "At night"},
    )  # fmt: skip
    assert answered.location == "/r/check"
