"""Printed letters carry a QR code that decodes back to the link, the short code, and the text in
the recipient's language plus English; meeting QR codes for the room."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import qrcode
import qrcode.constants

from portal.crypto.tokens import hash_short_code, hash_token, short_code_key
from portal.extensions import db as _db
from portal.models import AuditEvent, Invitation, MeetingQR
from portal.rules.invitations import issue_link
from tests.conftest import csrf_token
from tests.integration.workspace import add_invitation, get, make_review

BASE = "https://portal.example"
EC_LEVELS = (
    qrcode.constants.ERROR_CORRECT_L,
    qrcode.constants.ERROR_CORRECT_M,
    qrcode.constants.ERROR_CORRECT_Q,
    qrcode.constants.ERROR_CORRECT_H,
)


@pytest.fixture
def app_config():
    return {"PORTAL_BASE_URL": BASE}


def svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules an SVG path draws (each `Mx,yHx2Vy+1Hxz` is a run from x to x2 - 1)."""
    path = re.search(r'<path d="([^"]+)"', svg).group(1)
    runs = re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\1z", path)
    assert "".join(f"M{x},{y}H{end}V{below}H{x}z" for x, y, end, below in runs) == path
    return {
        (column, int(y))
        for x, y, end, below in runs
        if int(below) == int(y) + 1
        for column in range(int(x), int(end))
    }


def decodes_to(svg: str, text: str) -> bool:
    """True if the SVG's modules are exactly the QR symbol for `text` at some error level."""
    drawn = svg_modules(svg)
    for level in EC_LEVELS:
        code = qrcode.QRCode(error_correction=level, border=4)
        code.add_data(text)
        code.make(fit=True)
        matrix = code.get_matrix()
        expected = {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
        if expected == drawn:
            return True
    return False


def test_the_svg_reader_tells_different_links_apart():
    from portal.delivery.qr import qr_svg

    svg = str(qr_svg(f"{BASE}/r/abc", "QR"))
    assert decodes_to(svg, f"{BASE}/r/abc")
    assert not decodes_to(svg, f"{BASE}/r/abd")


def _print(app, client, url, review_id):
    token = csrf_token(client, f"/admin/reviews/{review_id}")
    return client.post(url, data={"csrf_token": token})


@pytest.fixture
def issued(monkeypatch):
    """The links letters are printed with, in order (a letter no longer prints the long URL)."""
    from portal.delivery import letters

    links = []

    def recording(invitation, now=None):
        link = issue_link(invitation, now)
        links.append(link)
        return link

    monkeypatch.setattr(letters, "issue_link", recording)
    return links


def test_each_letter_has_a_qr_code_that_decodes_to_its_working_link(app, iro_id, sign_in, issued):
    review_id = make_review(app, iro_id, language="ar")
    child = add_invitation(app, review_id, "child", channel="post", email=None, language="ar")
    parent = add_invitation(app, review_id, "parent", channel="hand", email=None)
    client = app.test_client()
    sign_in(client, iro_id)
    page = _print(app, client, f"/admin/reviews/{review_id}/letters", review_id)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    letters = re.findall(r'<article class="letter".*?</article>', html, re.S)
    assert len(letters) == 2
    for letter, invitation_id, link in zip(letters, (child, parent), issued, strict=True):
        url = link.url
        # Nobody types a 43-character link: the QR code, or the short address and the code.
        assert url not in letter and "type this address" not in letter
        assert f"{BASE}/q" in letter
        svg = re.search(r"<svg.*?</svg>", letter, re.S).group(0)
        assert decodes_to(svg, url)
        assert "style=" not in svg and " id=" not in svg
        code = re.search(r'class="letter__short-code">([A-Z0-9]{4})-([A-Z0-9]{4})<', letter)
        invitation = get(app, Invitation, invitation_id)
        assert invitation.token_hash == hash_token(url.rsplit("/", 1)[1])
        assert invitation.short_code_hash == hash_short_code(
            code.group(1) + code.group(2), short_code_key(app.config)
        )
        assert invitation.sent_at is not None
    # The child's letter is in Arabic (right to left) and then English.
    assert re.findall(r'class="letter__text" lang="([^"]+)" dir="([^"]+)"', letters[0]) == [
        ("ar", "rtl"),
        ("en", "ltr"),
    ]
    assert len(re.findall(r'class="letter__text"', letters[1])) == 1
    assert "Hello Maya," in letters[0] and "Maya's review meeting is on" in letters[1]
    with app.app_context():
        assert _db.session.query(AuditEvent).filter_by(action="letters_printed").count() == 1


def test_printing_again_replaces_the_link(app, iro_id, sign_in):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(app, review_id, "parent", channel="post", email=None)
    client = app.test_client()
    sign_in(client, iro_id)
    _print(app, client, f"/admin/invitations/{invitation_id}/letter", review_id)
    first = get(app, Invitation, invitation_id).token_hash
    _print(app, client, f"/admin/invitations/{invitation_id}/letter", review_id)
    assert get(app, Invitation, invitation_id).token_hash not in (None, first)


def test_bulk_print_takes_postal_invitations_due_this_week_only(app, iro_id, make_staff, sign_in):
    today = dt.date.today()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    review_id = make_review(app, iro_id)
    due = add_invitation(app, review_id, "parent", channel="post", email=None, due_at=today)
    add_invitation(app, review_id, "carer", channel="post", email=None,
                   due_at=week_end + dt.timedelta(days=1))  # fmt: skip
    add_invitation(app, review_id, "health", channel="email", due_at=today)
    client = app.test_client()
    sign_in(client, make_staff("admin"))
    listing = client.get("/admin/letters").get_data(as_text=True)
    assert "Print 1 letter" in listing
    token = csrf_token(client, "/admin/letters")
    html = client.post("/admin/letters/print-due", data={"csrf_token": token}).get_data(
        as_text=True
    )
    assert html.count('<article class="letter"') == 1
    assert get(app, Invitation, due).sent_at is not None
    assert "Nothing to print this week" in client.get("/admin/letters").get_data(as_text=True)


def test_a_held_review_shows_a_meeting_qr_code_for_the_room(app, iro_id, sign_in):
    review_id = make_review(app, iro_id, status="held")
    client = app.test_client()
    sign_in(client, iro_id)
    token = csrf_token(client, f"/admin/reviews/{review_id}")
    bad = client.post(f"/admin/reviews/{review_id}/meeting-qr",
                      data={"csrf_token": token, "max_responses": "500"})  # fmt: skip
    assert bad.status_code == 400
    page = client.post(f"/admin/reviews/{review_id}/meeting-qr",
                       data={"csrf_token": token, "max_responses": "12"})  # fmt: skip
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    url = unescape(re.search(rf"({BASE}/m/[A-Za-z0-9_-]+)", html).group(1))
    assert decodes_to(re.search(r"<svg.*?</svg>", html, re.S).group(0), url)
    with app.app_context():
        meeting_qr = _db.session.query(MeetingQR).one()
        assert meeting_qr.token_hash == hash_token(url.rsplit("/", 1)[1])
        assert meeting_qr.max_responses == 12 and meeting_qr.created_by_id == iro_id
        days = (meeting_qr.expires_at - dt.datetime.now(dt.UTC)).total_seconds() / 86400
        assert 13.9 < days <= 14
    assert "0 of 12 responses" in client.get(f"/admin/reviews/{review_id}").get_data(as_text=True)


def test_no_meeting_qr_before_the_review_is_held(app, iro_id, sign_in):
    review_id = make_review(app, iro_id)
    client = app.test_client()
    sign_in(client, iro_id)
    token = csrf_token(client, f"/admin/reviews/{review_id}")
    response = client.post(f"/admin/reviews/{review_id}/meeting-qr",
                           data={"csrf_token": token, "max_responses": "12"})  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        assert _db.session.query(MeetingQR).count() == 0


def test_printing_more_letters_asks_the_database_nothing_more(app, iro_id, make_staff, sign_in):
    """Each letter asks whether it carries the IRO's message: loaded with the letters (ADR 0071),
    not one query a letter."""
    from sqlalchemy import event

    client = app.test_client()
    sign_in(client, make_staff("admin"))

    def statements_to_print(reviews: int) -> int:
        for _ in range(reviews):
            review_id = make_review(app, iro_id)
            add_invitation(app, review_id, "child", channel="post", email=None,
                           due_at=dt.date.today())  # fmt: skip
        token = csrf_token(client, "/admin/letters")
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        with app.app_context():
            event.listen(_db.engine, "before_cursor_execute", listener)
        try:
            html = client.post("/admin/letters/print-due", data={"csrf_token": token})
        finally:
            with app.app_context():
                event.remove(_db.engine, "before_cursor_execute", listener)
        assert html.get_data(as_text=True).count('<article class="letter"') == reviews
        return len(seen)

    assert statements_to_print(4) == statements_to_print(1)
