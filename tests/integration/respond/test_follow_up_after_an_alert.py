"""A change from check answers that raises an alert and opens a follow-up: the safe page carries
on to the follow-up, and the follow-up still returns to check your answers."""

from __future__ import annotations

from tests.respond_support import csrf_from, make_invitation, post_page, screen_of, screens_for

MORE = "Do you want to tell us more?"  # child_consultation home_feeling_more for 4 to 7


def test_the_safe_page_carries_on_to_the_follow_up_then_back_to_check(app, client):
    # One question a screen for the youngest: home_feeling_more, asked only after "I don't feel
    # safe here", is the screen after home_feeling.
    link = make_invitation(app, role="child", age=6)
    client.get(link.url)
    start = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(start)})
    home = screen_of(app, link, "home_feeling")
    assert post_page(client, home, {"home_feeling": "good"}).location == f"/r/page/{home + 2}"
    changed = post_page(client, home, {"home_feeling": "not_safe"}, from_check=True)
    assert changed.location == f"/r/safe?next={home + 1}&return=check"
    safe = client.get(changed.location).get_data(as_text=True)
    assert f'href="/r/page/{home + 1}?return=check"' in safe
    follow_up = client.get(f"/r/page/{home + 1}?return=check").get_data(as_text=True)
    assert MORE in follow_up
    # Words in this box are an alert too (ADR 0066): the safe page again, carrying on to check.
    answered = post_page(client, home + 1, {"home_feeling_more": "At night"}, from_check=True)
    assert answered.location == f"/r/safe?next={len(screens_for(app, link)) + 1}"
    assert 'href="/r/check"' in client.get(answered.location).get_data(as_text=True)
