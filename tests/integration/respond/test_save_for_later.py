"""After each saved page "Saved" is said in words, and "Save and come back later" saves the page
and says how to come back: the same link, the code, or honestly not at all."""

from __future__ import annotations

import re
from html import unescape

import pytest

from portal.crypto.tokens import format_short_code
from portal.extensions import db
from portal.models import Draft
from tests.integration.respond.test_meeting_qr import new_qr, scan_and_pick
from tests.respond_support import TEST_FORMS, csrf_from, make_invitation, post_page, screen_of

SAVED_LINE = re.compile(r'<p class="saved-status" role="status">([^<]+)</p>')
LATER = {"_action": "save_later"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_BASE_URL": "https://voice.example"}


def start(client, link):
    client.get(link.url)
    html = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(html)})


def draft_of(app, link):
    with app.app_context():
        draft = db.session.scalar(db.select(Draft).where(Draft.invitation_id == link.invitation_id))
        return {k: v for k, v in draft.answers.items() if not k.startswith("_")}, draft.page


def html_of(response):
    return unescape(response.get_data(as_text=True))


def test_no_saved_line_before_anything_is_saved_then_one_on_every_page(app, client):
    link = make_invitation(app, role="child", age=9)
    client.get(link.url)
    assert not SAVED_LINE.search(html_of(client.get("/r/page/1")))
    post_page(client, 1, {"how_are_things": "ok"})
    assert SAVED_LINE.search(html_of(client.get("/r/page/2"))).group(1) == (
        "Your answers so far are saved."
    )
    assert SAVED_LINE.search(html_of(client.get("/r/check")))


def test_every_question_page_has_a_real_save_and_come_back_later_button(app, client):
    start(client, make_invitation(app, role="child", age=9))
    html = html_of(client.get("/r/page/2"))
    button = (
        '<button class="button button--secondary" type="submit" name="_action" '
        'value="save_later">Save and come back later</button>'
    )
    # Inside the page's form, after Continue (Enter still means Continue).
    form = html[html.index("<form") : html.index("</form>")]
    assert button in form and form.index('value="continue"') < form.index(button)


def test_save_and_come_back_later_keeps_the_answer_and_the_link_brings_them_back(app, client):
    link = make_invitation(app, role="child", age=9)
    start(client, link)
    later = post_page(client, 2, {"good_things_topics": ["home"], **LATER})
    assert later.status_code == 302 and later.location == "/r/saved"
    assert draft_of(app, link)[0] == {"good_things_topics": ["home"]}
    page = html_of(client.get("/r/saved"))
    assert "Your answers are saved" in page and "Open the same link again" in page
    assert "https://voice.example/q" in page and "type the code printed on your letter" in page
    assert format_short_code(link.code) not in page  # came by link: the code is not known
    # Another day, another device: the link carries on after the saved page.
    other = app.test_client()
    assert other.get(link.url).location == "/r/page/3"


def test_a_code_typed_from_the_letter_is_shown_to_come_back_with(app, client):
    link = make_invitation(app, role="child", age=9)
    token = csrf_from(client.get("/q").get_data(as_text=True))
    client.post("/q", data={"csrf_token": token, "code": link.code.lower()})
    client.post(
        "/r/start", data={"csrf_token": csrf_from(client.get("/r/start").get_data(as_text=True))}
    )
    post_page(client, 1, {"how_are_things": "not_good", **LATER})
    page = html_of(client.get("/r/saved"))
    assert f'<bdi dir="ltr">{format_short_code(link.code)}</bdi>' in page
    assert '<bdi dir="ltr">https://voice.example/q</bdi>' in page


@pytest.mark.parametrize("app_config", [{"FORMS_DIR": str(TEST_FORMS)}])
def test_a_required_question_left_blank_does_not_stop_saving_for_later(app, client):
    link = make_invitation(app, role="parent", form_key="required_question")
    start(client, link)
    assert post_page(client, 1, {}).status_code == 400  # Continue still asks for it
    later = post_page(client, 1, LATER)
    assert later.location == "/r/saved"


def test_an_answer_that_cannot_be_stored_is_shown_with_its_error_not_lost(app, client):
    link = make_invitation(app, role="child", age=9)
    start(client, link)
    number = screen_of(app, link, "anything_else")
    page = post_page(client, number, {"anything_else": "x" * 2001, **LATER})
    assert page.status_code == 400 and "2,000 characters or fewer" in html_of(page)
    assert draft_of(app, link)[0] == {}


def test_a_meeting_qr_form_says_honestly_it_cannot_be_come_back_to(app, client):
    raw, _ = new_qr(app)
    scan_and_pick(client, raw, "parent")
    client.post(
        "/r/start", data={"csrf_token": csrf_from(client.get("/r/start").get_data(as_text=True))}
    )
    assert post_page(client, 1, {"received_form": "no", **LATER}).location == "/r/saved"
    page = html_of(client.get("/r/saved"))
    assert "You cannot come back to this form later" in page
    assert "scanning the QR code again starts a new, empty form" in page
    assert "Open the same link again" not in page and "/q" not in page


def test_the_come_back_page_needs_a_form_in_this_browser(client):
    assert client.get("/r/saved").status_code == 400
