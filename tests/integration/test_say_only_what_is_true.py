"""Respondent pages say only what is true, on the real catalogue (forms/*.yaml).

A meeting QR journey names no child and no review date, whatever role is chosen; its start page
says what really happens to the answers; adults read "the child's IRO"; care leavers are not
asked about an adult helping and are pointed to their personal adviser, not a carer.
"""

from __future__ import annotations

import re

import pytest
from babel.dates import format_date
from flask_babel import force_locale, gettext

from portal.extensions import db
from portal.models import Invitation, Review
from portal.questionnaires import catalogue, engine
from portal.rules.meeting_qr import create_meeting_qr
from portal.web.respond import fragments
from portal.web.respond.journey import band_for
from portal.web.templating import BRITISH_ENGLISH, GOV_UK_LONG_DATE
from tests.respond_support import csrf_from, make_invitation, make_review, post_page

QR_ROLES = ("young_person", "parent", "carer", "professional")


def _qr(app, kind: str = "cared_for") -> tuple[str, int]:
    with app.app_context():
        review = make_review(kind=kind, first_name="Maya")
        raw = create_meeting_qr(review)
        db.session.commit()
        return raw, review.id


def _dates_of(app, review_id: int) -> list[str]:
    """How the review date would be written on a page, in English and in Arabic."""
    with app.app_context():
        day = db.session.get(Review, review_id).review_date
    return [
        format_date(day, format=GOV_UK_LONG_DATE, locale=BRITISH_ENGLISH),
        format_date(day, format="d MMMM", locale=BRITISH_ENGLISH),
        format_date(day, format="full", locale="ar"),
        format_date(day, format="d MMMM", locale="ar"),
    ]


def _every_page_of_a_qr_journey(app, client, raw: str, role: str, lang: str) -> dict[str, str]:
    """Scan, choose the role, then every page: start, each screen, no thanks, check, sent."""
    pages: dict[str, str] = {}
    assert client.get(f"/m/{raw}").status_code == 302
    role_page = client.get(f"/m/role?lang={lang}").get_data(as_text=True)
    pages["role"] = role_page
    chosen = client.post("/m/role", data={"csrf_token": csrf_from(role_page), "role": role})
    assert chosen.location == "/r/start"
    pages["start"] = start = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(start)})
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation).order_by(Invitation.id.desc()))
        form = catalogue().get(invitation.form_key)
        screens = len(engine().screens(form, band_for(invitation)))
    for number in range(1, screens + 1):
        shown = client.get(f"/r/page/{number}")
        if shown.status_code == 200:
            pages[f"page {number}"] = shown.get_data(as_text=True)
    pages["no thanks"] = client.get("/r/no-thanks").get_data(as_text=True)
    pages["check"] = check = client.get("/r/check").get_data(as_text=True)
    assert client.post("/r/check", data={"csrf_token": csrf_from(check)}).location == "/r/sent"
    pages["sent"] = client.get("/r/sent").get_data(as_text=True)
    return pages


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("role", QR_ROLES)
def test_a_meeting_qr_journey_names_no_child_and_no_review_date_whatever_the_role(
    app, client, role, lang
):
    raw, review_id = _qr(app)
    pages = _every_page_of_a_qr_journey(app, client, raw, role, lang)
    assert len(pages) > 5
    dates = _dates_of(app, review_id)
    for name, html in pages.items():
        assert "Maya" not in html, (role, lang, name)
        for written in dates:
            assert written not in html, (role, lang, name, written)
        if lang == "ar":
            assert 'dir="rtl"' in html, name


def test_the_same_forms_through_a_link_still_name_the_child_and_the_date(app, client):
    # The rule is about the QR code, not the forms: a parent's own link says whose review it is.
    link = make_invitation(app, role="parent", stage="feedback", form_key="parent_feedback")
    client.get(link.url)
    html = client.get("/r/start").get_data(as_text=True)
    assert "the review for Maya on" in html
    assert _dates_of(app, link.review_id)[0] in html


@pytest.mark.parametrize("role", QR_ROLES)
def test_the_meeting_qr_start_page_says_what_really_happens_to_the_answers(app, client, role):
    raw, _ = _qr(app)
    client.get(f"/m/{raw}")
    token = csrf_from(client.get("/m/role").get_data(as_text=True))
    client.post("/m/role", data={"csrf_token": token, "role": role})
    start = client.get("/r/start").get_data(as_text=True)
    assert "come back to this link later" not in start
    assert "only on this phone, until you send them" in start
    assert "Scanning the QR code again starts a new, empty form." in start
    no_thanks = client.get("/r/no-thanks").get_data(as_text=True)
    assert "open the same link again" not in no_thanks
    assert "starts a new, empty form" in no_thanks


def test_a_link_start_page_still_says_the_link_can_be_opened_again(app, client):
    link = make_invitation(app, role="parent")
    client.get(link.url)
    start = client.get("/r/start").get_data(as_text=True)
    assert "come back to this link later" in start and "empty form" not in start


# --- wording fits the reader ------------------------------------------------------------------


def _send_first_page(client, data: dict[str, str]) -> str:
    start = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(start)})
    post_page(client, 1, data)
    check = client.get("/r/check").get_data(as_text=True)
    client.post("/r/check", data={"csrf_token": csrf_from(check)})
    return check


@pytest.mark.parametrize(
    ("role", "form_key", "answer"),
    [
        ("health", "health_consultation", {}),
        ("education", "education_consultation", {}),
        ("guardian", "guardian_consultation", {}),
        ("parent", "parent_consultation", {}),
        ("carer", "carer_consultation", {}),
    ],
)
def test_adults_read_the_childs_iro_not_your_iro(app, client, role, form_key, answer):
    link = make_invitation(app, role=role, form_key=form_key)
    client.get(link.url)
    start = client.get("/r/start").get_data(as_text=True)
    check = _send_first_page(client, answer)
    sent = client.get("/r/sent").get_data(as_text=True)
    for name, html in (("start", start), ("check", check), ("sent", sent)):
        text = html.replace("&#39;", "'")
        assert "your IRO" not in text and "Your IRO" not in text, name
        assert "the child's IRO" in text or "The child's IRO" in text, name


def test_a_child_still_reads_your_iro(app, client):
    link = make_invitation(app, role="child", age=9, form_key="child_consultation")
    client.get(link.url)
    start = client.get("/r/start").get_data(as_text=True)
    assert "Your IRO (the person who chairs the review)" in start
    assert "child&#39;s IRO" not in start


def _care_leaver(app):
    return make_invitation(
        app, role="care_leaver", age=19, kind="pathway_plan", form_key="care_leaver_consultation"
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_care_leaver_is_not_asked_whether_an_adult_is_helping(app, client, lang):
    link = _care_leaver(app)
    client.get(link.url)
    start = client.get(f"/r/start?lang={lang}").get_data(as_text=True)
    assert 'name="helped_by"' not in start
    with app.app_context(), force_locale(lang):
        asked = gettext("Are you filling this in on your own or with an adult?")
        adult = gettext("You can ask an adult you trust to help you.")
    assert asked not in start and adult not in start
    # Posting one anyway is not kept: they were never asked.
    client.post("/r/start", data={"csrf_token": csrf_from(start), "helped_by": "with_an_adult"})
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        assert "_helped_by" not in invitation.draft.answers


def test_a_child_is_still_asked_whether_an_adult_is_helping(app, client):
    link = make_invitation(app, role="child", age=9, form_key="child_consultation")
    client.get(link.url)
    assert 'name="helped_by"' in client.get("/r/start").get_data(as_text=True)


def test_a_care_leavers_thank_you_points_to_their_personal_adviser_not_a_carer(app, client):
    link = _care_leaver(app)
    client.get(link.url)
    _send_first_page(client, {})
    sent = client.get("/r/sent").get_data(as_text=True)
    assert "your personal adviser" in sent and "your carer" not in sent


def test_a_care_leavers_safe_page_points_to_their_personal_adviser(app, client):
    link = _care_leaver(app)
    client.get(link.url)
    safe = client.get("/r/safe").get_data(as_text=True)
    assert "Your personal adviser" in safe and "social worker" not in safe


def test_a_childs_thank_you_still_points_to_their_carer(app, client):
    link = make_invitation(app, role="child", age=9, form_key="child_consultation")
    client.get(link.url)
    _send_first_page(client, {})
    sent = client.get("/r/sent").get_data(as_text=True)
    assert "your carer" in sent and "personal adviser" not in sent


def test_the_youngest_are_not_asked_about_a_secret_from_mum_or_dad(app, client):
    link = make_invitation(app, role="child", age=6, form_key="child_consultation")
    client.get(link.url)
    start = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(start), "helped_by": "with_an_adult"})
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        form = catalogue().get(invitation.form_key)
        screens = engine().screens(form, band_for(invitation))
        number = next(s.number for s in screens if "not_share" in s.keys) + 1
    html = client.get(f"/r/page/{number}").get_data(as_text=True)
    assert re.search(r"secret", html, re.IGNORECASE) is None
    assert "mum or dad" not in html
    assert "only the person in charge" in html


# --- the carer form uses the child's first name -----------------------------------------------


@pytest.fixture
def kept(app):
    app.jinja_env.auto_reload = False  # as in production, where question markup is kept
    fragments.clear()
    yield fragments.kept()
    fragments.clear()


def _carer_on_page_one(app, client, first_name: str, lang: str = "en"):
    with app.app_context():
        review = make_review(first_name=first_name)
        db.session.commit()
        review_id = review.id
    link = make_invitation(app, role="carer", form_key="carer_consultation", review_id=review_id)
    client.get(link.url)
    start = client.get(f"/r/start?lang={lang}").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(start)})
    return link


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_carer_form_asks_about_the_child_by_first_name(app, client, kept, lang):
    _carer_on_page_one(app, client, "Maya", lang)
    page = client.get("/r/page/1").get_data(as_text=True)
    with app.app_context(), force_locale(lang):
        named = gettext("How settled is %(name)s in your home?")
    assert named.replace("%(name)s", "Maya") in page
    assert "%(name)s" not in page
    assert post_page(client, 1, {"settled": "settled"}).status_code == 302
    check = client.get("/r/check").get_data(as_text=True)
    assert named.replace("%(name)s", "Maya") in check and "%(name)s" not in check
    # What is kept for every respondent holds the placeholder, never a child's name.
    kept_markup = "".join("".join(parts) for parts in kept.values())
    assert "%(name)s" in kept_markup and "Maya" not in kept_markup


def test_each_carer_sees_their_own_childs_name_from_the_kept_markup(app, kept):
    first, second = app.test_client(), app.test_client()
    _carer_on_page_one(app, first, "Maya")
    _carer_on_page_one(app, second, "Ali<b>")
    one = first.get("/r/page/1").get_data(as_text=True)
    two = second.get("/r/page/1").get_data(as_text=True)
    assert "How settled is Maya in your home?" in one and "Ali" not in one
    assert "How settled is Ali&lt;b&gt; in your home?" in two and "Maya" not in two


def test_a_carer_through_a_meeting_qr_code_reads_the_child_or_young_person(app, client):
    raw, _ = _qr(app)
    client.get(f"/m/{raw}")
    token = csrf_from(client.get("/m/role").get_data(as_text=True))
    client.post("/m/role", data={"csrf_token": token, "role": "carer"})
    start = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(start)})
    html = client.get("/r/page/2").get_data(as_text=True)
    assert "How well did the child or young person take part?" in html
    assert "%(name)s" not in html and "Maya" not in html
