"""Preparing invitations with the real form catalogue (forms/*.yaml)."""

from __future__ import annotations

import re

from tests.integration.workspace import make_review


def test_every_consultation_participant_gets_a_real_form(app, make_staff, sign_in):
    iro_id = make_staff("iro")
    review_id = make_review(app, iro_id, age=6)
    client = app.test_client()
    sign_in(client, iro_id)
    html = client.get(f"/admin/reviews/{review_id}/invitations/prepare").get_data(as_text=True)
    assert "There is no form for this person yet" not in html
    assert len(re.findall(r'id="rows-\d+-form_key"', html)) == 5


def test_a_care_leaver_after_the_review_can_get_the_attended_or_not_attended_form(
    app, make_staff, sign_in
):
    iro_id = make_staff("iro")
    review_id = make_review(app, iro_id, kind="pathway_plan", age=19, status="held")
    client = app.test_client()
    sign_in(client, iro_id)
    html = client.get(f"/admin/reviews/{review_id}/invitations/prepare").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="rows-0-form_key".*?</select>', html, re.S).group(0)
    assert 'value="care_leaver_feedback_attended"' in select
    assert 'value="care_leaver_feedback_not_attended"' in select
