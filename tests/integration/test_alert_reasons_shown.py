"""Every page that lists an alert tags it by its reason in the same words (one table)."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.models import ALERT_WORDS, HELP_OPTION_KEY, HELP_QUESTION_KEY, SafeguardingAlert
from tests.respond_support import make_invitation

KEYS = {
    "answer": ("feel_safe", "not_safe"),
    "words": ("worries", ALERT_WORDS),
    "help": (HELP_QUESTION_KEY, HELP_OPTION_KEY),
}
TAGS = {
    "answer": None,
    "words": '<strong class="tag">Words to read</strong>',
    "help": '<strong class="tag tag--red">asked for help</strong>',
}


@pytest.mark.parametrize("reason", KEYS)
def test_the_alert_list_page_review_and_answers_tag_the_reason_alike(
    app, reason, make_staff, sign_in
):
    link = make_invitation(app)
    with app.app_context():
        question_key, option_key = KEYS[reason]
        alert = SafeguardingAlert(
            invitation_id=link.invitation_id,
            review_id=link.review_id,
            form_key="child_consultation",
            question_key=question_key,
            option_key=option_key,
        )
        db.session.add(alert)
        db.session.commit()
        alert_id = alert.id
    staff = app.test_client()
    sign_in(staff, make_staff("admin"))
    for url in (
        "/admin/alerts?status=all",
        f"/admin/alerts/{alert_id}",
        f"/admin/reviews/{link.review_id}",
        f"/admin/reviews/{link.review_id}/digest",
    ):
        html = staff.get(url).get_data(as_text=True)
        tags = set(
            re.findall(r'<strong class="tag[^"]*">(?:Words to read|asked for help)</strong>', html)
        )
        assert tags == ({TAGS[reason]} if TAGS[reason] else set()), url
