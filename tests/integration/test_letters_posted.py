"""Letters that can be posted and returned (ADR 0061): the letterhead and return
address, a reply-by date, the team's phone and email, the short address instead of the long
link; by-hand letters on the Letters page; a printable paper form for every catalogue form."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape

from portal.config import PROJECT_ROOT
from portal.extensions import db as _db
from portal.models import AuditEvent, Invitation, Setting
from portal.questionnaires import catalogue
from portal.questionnaires.fields import handler_for
from portal.rules.reply_by import reply_by
from portal.web.templating import long_date
from tests.conftest import csrf_token
from tests.integration.workspace import add_invitation, get, make_review

BASE = "https://portal.example"
TEAM = {
    "team_name": "Independent Reviewing Service",
    "team_phone": "01632 960 123",
    "team_email": "iro.team@example.gov.uk",
    "team_address": "PO Box 123\nCounty Hall\nExampletown\nEX1 2AB",
}
FORM_KEYS = sorted(path.stem for path in (PROJECT_ROOT / "forms").glob("*.yaml"))
# An age in the first band a form is worded for (adults' forms have none).
AGE_IN_BAND = {"4-7": 6, "8-11": 9, "12-17": 14, "16-25": 19}


@pytest.fixture
def app_config():
    return {"PORTAL_BASE_URL": BASE}


@pytest.fixture
def team(app):
    with app.app_context():
        for key, value in TEAM.items():
            _db.session.merge(Setting(key=key, value=value))
        _db.session.commit()


def _post(client, url, review_id, **data):
    token = csrf_token(client, f"/admin/reviews/{review_id}")
    return client.post(url, data={"csrf_token": token, **data})


def _articles(html: str, kind: str = "letter") -> list[str]:
    return re.findall(rf'<article class="{kind}".*?</article>', html, re.S)


def test_a_posted_letter_carries_both_addresses_reply_by_and_how_to_reach_the_team(
    app, iro_id, sign_in, team
):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(app, review_id, "parent", channel="post", email=None,
                                   recipient_name="Sam Jones",
                                   postal_address="12 High Street\nExampletown\nEX2 3CD")  # fmt: skip
    client = app.test_client()
    sign_in(client, iro_id)
    page = _post(client, f"/admin/invitations/{invitation_id}/letter", review_id)
    assert page.status_code == 200
    [letter] = _articles(page.get_data(as_text=True))
    recipient = re.search(r'<address class="letter__address">(.*?)</address>', letter, re.S)
    assert "Sam Jones" in recipient.group(1) and "EX2 3CD" in recipient.group(1)
    sender = re.search(r'<address class="letter__from">(.*?)</address>', letter, re.S).group(1)
    for line in TEAM["team_address"].splitlines():
        assert line in sender
    assert 'href="tel:01632960123"' in sender and "mailto:iro.team@example.gov.uk" in sender
    invitation = get(app, Invitation, invitation_id)
    with app.test_request_context():
        due = long_date(reply_by(invitation, dt.datetime.now(dt.UTC).date()))
    assert f"Please reply by {due}." in letter
    assert "call us on" in letter and "01632 960 123" in letter and TEAM["team_email"] in letter
    # The short address and code for typing; never the long link.
    assert f"{BASE}/q" in letter and f"{BASE}/r/" not in letter
    assert "type this address" not in letter


def test_without_team_settings_the_letter_still_prints_with_no_empty_letterhead(
    app, iro_id, sign_in
):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(app, review_id, "parent", channel="post", email=None)
    client = app.test_client()
    sign_in(client, iro_id)
    [letter] = _articles(
        _post(client, f"/admin/invitations/{invitation_id}/letter", review_id).get_data(
            as_text=True
        )
    )
    assert "letter__from" not in letter and "call us on" not in letter


def test_the_email_gives_the_short_address_for_typing():
    for name in ("invitation.html", "invitation.txt"):
        text = (PROJECT_ROOT / "templates" / "email" / name).read_text()
        assert "type this address" not in text and "code_url" in text


def test_the_letters_page_lists_by_hand_letters_too(app, iro_id, make_staff, sign_in):
    today = dt.date.today()
    review_id = make_review(app, iro_id)
    add_invitation(app, review_id, "child", channel="hand", email=None, due_at=today,
                   recipient_name="Maya")  # fmt: skip
    add_invitation(app, review_id, "parent", channel="post", email=None, due_at=today)
    add_invitation(app, review_id, "health", channel="email", due_at=today)
    client = app.test_client()
    sign_in(client, make_staff("admin"))
    listing = client.get("/admin/letters").get_data(as_text=True)
    assert "Print all 2 letters" in listing and "By hand" in listing and "Post" in listing
    token = csrf_token(client, "/admin/letters")
    html = client.post("/admin/letters/print-due", data={"csrf_token": token}).get_data(
        as_text=True
    )
    assert len(_articles(html)) == 2 and "letter--paper-form" not in html


def test_bulk_printing_with_paper_forms_puts_a_form_after_each_letter(
    app, iro_id, make_staff, sign_in
):
    today = dt.date.today()
    review_id = make_review(app, iro_id)
    ids = [
        add_invitation(app, review_id, role, channel=channel, email=None, due_at=today)
        for role, channel in (("child", "hand"), ("parent", "post"))
    ]
    client = app.test_client()
    sign_in(client, make_staff("admin"))
    token = csrf_token(client, "/admin/letters")
    html = client.post(
        "/admin/letters/print-due", data={"csrf_token": token, "with": "paper_forms"}
    ).get_data(as_text=True)
    assert html.count('class="letter letter--paper-form"') == 2
    with app.app_context():
        event = _db.session.query(AuditEvent).filter_by(action="paper_forms_printed").one()
        assert sorted(event.detail["invitations"]) == sorted(ids)


def _expected_labels(app, definition, band, language):
    with app.test_request_context(), force_locale(language):
        return [str(escape(gettext(handler_for(q, band).label))) for q in definition.questions]


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("form_key", FORM_KEYS)
def test_the_paper_form_prints_every_question_with_boxes_lines_code_and_qr(
    app, iro_id, sign_in, team, form_key, language
):
    with app.app_context():
        definition = catalogue().get(form_key)
    role = definition.roles[0]
    band = definition.age_bands[0] if definition.age_bands else None
    review_id = make_review(app, iro_id, kind=definition.review_kinds[0], language=language,
                            age=AGE_IN_BAND[band] if band else 10)  # fmt: skip
    invitation_id = add_invitation(app, review_id, role, channel="post", email=None,
                                   stage=definition.stage, form_key=form_key,
                                   language=language)  # fmt: skip
    client = app.test_client()
    sign_in(client, iro_id)
    page = _post(client, f"/admin/invitations/{invitation_id}/paper-form", review_id)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    [form] = _articles(html, "letter letter--paper-form")
    direction = "rtl" if language == "ar" else "ltr"
    assert f'class="paper-form-wrap" lang="{language}" dir="{direction}"' in form
    # Every question, in order, in the band's wording and the recipient's language.
    labels = re.findall(r'paper-question__number">\d+\.</span> (.*?)</p>', form)
    assert labels == _expected_labels(app, definition, band, language)
    choices = [q for q in definition.questions if q.type != "text"]
    boxes = sum(len(q.options) if q.options else (q.max or 0) - (q.min or 0) + 1 for q in choices)
    assert form.count('class="tick-box"') == boxes
    texts = [q for q in definition.questions if q.type == "text"]
    assert form.count('class="paper-lines"') == len(texts)
    follow_ups = [q for q in definition.questions if q.show_if is not None]
    assert form.count('class="paper-question__lead-in"') == len(follow_ups)
    # The code and the QR code sit in the header row that repeats on every printed page.
    head = re.search(r"<thead>(.*?)</thead>", form, re.S).group(1)
    code = re.search(r'class="paper-form__code" dir="ltr">([A-Z0-9]{4}-[A-Z0-9]{4})<', head)
    assert code and "<svg" in head
    [letter] = _articles(html)
    assert code.group(1) in letter  # the letter and its form carry the same code
    assert f"form {invitation_id}" in form or str(invitation_id) in form  # office reference
    with app.app_context():
        assert _db.session.query(AuditEvent).filter_by(action="paper_forms_printed").count() == 1


def test_a_follow_up_question_says_which_answer_it_follows(app, iro_id, sign_in):
    review_id = make_review(app, iro_id, kind="pathway_plan", age=19)
    invitation_id = add_invitation(app, review_id, "care_leaver", channel="post", email=None,
                                   form_key="care_leaver_consultation")  # fmt: skip
    client = app.test_client()
    sign_in(client, iro_id)
    html = _post(client, f"/admin/invitations/{invitation_id}/paper-form", review_id).get_data(
        as_text=True
    )
    lead_ins = re.findall(r'paper-question__lead-in">(.*?)</p>', html)
    assert lead_ins and all(re.match(r"If you answered “.+” to question \d+:", x) for x in lead_ins)


def test_a_paper_form_is_refused_once_the_form_is_back(app, iro_id, sign_in):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(app, review_id, "parent", channel="post", email=None,
                                   returned_at=dt.datetime.now(dt.UTC))  # fmt: skip
    client = app.test_client()
    sign_in(client, iro_id)
    page = _post(client, f"/admin/invitations/{invitation_id}/paper-form", review_id)
    assert page.status_code == 409


def test_someone_elses_review_gets_no_paper_form(app, iro_id, make_staff, sign_in):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(app, review_id, "parent", channel="post", email=None)
    other = app.test_client()
    sign_in(other, make_staff("iro"))
    token = csrf_token(other, "/admin/letters")
    page = other.post(f"/admin/invitations/{invitation_id}/paper-form", data={"csrf_token": token})
    assert page.status_code == 404


def test_the_team_address_is_kept_line_by_line_and_a_long_one_is_refused(app, make_staff, sign_in):
    admin = app.test_client()
    sign_in(admin, make_staff("admin"))
    token = csrf_token(admin, "/admin/settings")
    saved = admin.post("/admin/settings", data={
        "csrf_token": token, "team_address": "  PO Box 123 \r\n\r\nCounty   Hall\r\nEX1 2AB  ",
    })  # fmt: skip
    assert saved.status_code == 302
    assert get(app, Setting, "team_address").value == "PO Box 123\nCounty Hall\nEX1 2AB"
    refused = admin.post("/admin/settings", data={
        "csrf_token": token, "team_address": "\n".join(f"line {n}" for n in range(9)),
    })  # fmt: skip
    assert refused.status_code == 400
    assert "Team postal address must have at most 7 lines" in refused.get_data(as_text=True)
    assert get(app, Setting, "team_address").value == "PO Box 123\nCounty Hall\nEX1 2AB"


def test_every_catalogue_form_is_covered():
    assert len(FORM_KEYS) >= 14 and all(Path(PROJECT_ROOT / "forms" / f"{k}.yaml").exists()
                                        for k in FORM_KEYS)  # fmt: skip
