"""The return-rate report compares channels in the same period: email, text, post
and by hand side by side, by role, and SMS is one of the channels everywhere."""

from __future__ import annotations

import datetime as dt
import re

from portal.reporting.periods import parse_period
from portal.reporting.returns import return_rates
from tests.integration.workspace import add_invitation, make_review

REVIEW_DAY = dt.date(2026, 11, 16)
SENT = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
BACK = dt.datetime(2026, 11, 5, 9, tzinfo=dt.UTC)


def _invitations(app, iro_id):
    """Parents: 4 texted (3 back), 4 emailed (1 back); children: 2 by post (1 back)."""
    review_id = make_review(app, iro_id, review_date=REVIEW_DAY, age=15)
    plan = [("parent", "sms", 4, 3), ("parent", "email", 4, 1), ("child", "post", 2, 1)]
    for role, channel, sent, back in plan:
        for number in range(sent):
            add_invitation(
                app, review_id, role, channel=channel,
                email="p@example.org" if channel == "email" else None,
                recipient_mobile="+447700900123" if channel == "sms" else None,
                sent_at=SENT, returned_at=BACK if number < back else None,
            )  # fmt: skip


def test_reports_by_channel_count_texts(app, make_staff):
    _invitations(app, make_staff("iro"))
    with app.app_context():
        table = return_rates(parse_period("2026-11"), ("channel",))
    assert (table.row(channel="sms").sent, table.row(channel="sms").received) == (4, 3)


def test_the_returns_screen_compares_channels_by_role_in_the_same_period(
    app, client, make_staff, sign_in
):
    _invitations(app, make_staff("iro"))
    sign_in(client, make_staff("manager"))
    html = client.get("/admin/reports/returns?period=2026-11").get_data(as_text=True)
    found = dict(re.findall(r'data-cell="(compare:[^"]+)">(.*?)</td>', html, re.S))
    text = {key: " ".join(re.sub(r"<[^>]+>", " ", value).split()) for key, value in found.items()}
    assert text["compare:parent:sms"] == "75.0% (meets the 50% target) ✓ (3/4)"
    assert text["compare:parent:email"] == "25.0% (1/4)"
    assert text["compare:child:post"] == "50.0% (meets the 50% target) ✓ (1/2)"
    assert text["compare:all:sms"] == "75.0% (meets the 50% target) ✓ (3/4)"
    assert "compare:parent:hand" not in text  # nothing sent by hand in the period
    assert '<th scope="col" class="numeric">Text message</th>' in html
