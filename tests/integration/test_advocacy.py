"""Advocacy requests go somewhere (ADR 0057): one request per young person's response
that asks for an advocate, listed for their IRO, referred on a date; the council's advocacy service
is shown to the young person wherever advocacy is mentioned."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db as _db
from portal.models import AdvocacyRequest, AuditEvent, Invitation, SafeguardingAlert, Setting
from portal.questionnaires import catalogue, engine
from portal.rules.advocacy import request_advocacy
from portal.rules.responses import submit_response
from portal.web.respond.journey import band_for
from tests.conftest import csrf_token
from tests.integration.workspace import add_invitation, get, make_review
from tests.respond_support import csrf_from, make_invitation, post_page

SERVICE = {
    "advocacy_name": "Speak Up Advocacy",
    "advocacy_phone": "0800 123 4567",
    "advocacy_url": "https://speakup.example.org",
}


def set_service(app, **values):
    with app.app_context():
        for key, value in {**SERVICE, **values}.items():
            _db.session.merge(Setting(key=key, value=value))
        _db.session.commit()


def requests(app):
    with app.app_context():
        return [
            (r.invitation_id, r.form_key, r.question_key, r.option_key)
            for r in _db.session.scalars(_db.select(AdvocacyRequest))
        ]


def screen_with(app, invitation_id, question_key):
    """The 1-based number of the screen that shows `question_key` for this invitation."""
    with app.app_context():
        invitation = _db.session.get(Invitation, invitation_id)
        form = catalogue().get(invitation.form_key)
        for screen in engine().screens(form, band_for(invitation)):
            if question_key in screen.keys:
                return screen.number + 1
    raise AssertionError(f"no screen shows {question_key}")


def begin(app, client, **kwargs):
    link = make_invitation(app, form_key=kwargs.pop("form_key", "child_consultation"), **kwargs)
    client.get(link.url)
    start = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(start)})
    return link


def send(client):
    token = csrf_from(client.get("/r/check").get_data(as_text=True))
    return client.post("/r/check", data={"csrf_token": token})


# --- the request is made once, by the young person's own answer ---


def test_a_young_persons_advocate_answer_makes_one_request_and_no_alert(app, client):
    link = begin(app, client)
    number = screen_with(app, link.invitation_id, "take_part")
    post_page(client, number, {"take_part": ["attend", "advocate"]})
    assert requests(app) == []  # not at page save: the request goes with the response
    token = csrf_from(client.get("/r/check").get_data(as_text=True))
    assert client.post("/r/check", data={"csrf_token": token}).status_code == 302
    assert requests(app) == [(link.invitation_id, "child_consultation", "take_part", "advocate")]
    assert client.post("/r/check", data={"csrf_token": token}).status_code == 409  # a second tap
    assert len(requests(app)) == 1
    with app.app_context():
        assert _db.session.query(SafeguardingAlert).count() == 0
        request = _db.session.scalars(_db.select(AdvocacyRequest)).one()
        assert request.review_id == link.review_id and request.referred_on is None


def test_other_answers_make_no_request(app, client):
    link = begin(app, client)
    number = screen_with(app, link.invitation_id, "take_part")
    post_page(client, number, {"take_part": ["attend", "this_form"]})
    who = screen_with(app, link.invitation_id, "who_should_come")
    if who != number:
        post_page(client, who, {"who_should_come": ["advocate"]})
    send(client)
    assert requests(app) == []


def test_a_care_leaver_asking_for_an_advocate_next_time_makes_a_request(app, client):
    link = begin(
        app, client, role="care_leaver", age=19, kind="pathway_plan", stage="feedback",
        form_key="care_leaver_feedback_not_attended",
    )  # fmt: skip
    post_page(client, screen_with(app, link.invitation_id, "next_time"), {"next_time": "advocate"})
    send(client)
    assert [r[2:] for r in requests(app)] == [("next_time", "advocate")]


def test_an_adults_response_never_makes_a_request(app, make_staff):
    review_id = make_review(app, make_staff("iro"))
    parent = add_invitation(app, review_id, "parent")
    with app.app_context():
        child_form = catalogue().get("child_consultation")
        made = request_advocacy(invitation_id=parent, review_id=review_id, form=child_form,
                                answers={"take_part": ["advocate"]}, role="parent")  # fmt: skip
        assert made is None
        invitation = _db.session.get(Invitation, parent)
        parent_form = catalogue().get(invitation.form_key)
        submit_response(invitation, parent_form, {"take_part": ["advocate"]}, language="en")
    assert requests(app) == []


def test_a_paper_return_keyed_in_makes_the_request_too(app, make_staff, sign_in):
    review_id = make_review(app, make_staff("iro"))
    invitation_id = add_invitation(app, review_id, "child", channel="post", email=None)
    admin = app.test_client()
    sign_in(admin, make_staff("admin"))
    url = f"/admin/invitations/{invitation_id}/paper-answers"
    saved = admin.post(url, data={"csrf_token": csrf_token(admin, url),
                                  "returned_on": dt.date.today().isoformat(),
                                  "take_part": ["advocate"]})  # fmt: skip
    assert saved.status_code == 302, saved.get_data(as_text=True)[:1000]
    assert [r[:1] + r[2:] for r in requests(app)] == [(invitation_id, "take_part", "advocate")]


# --- the IRO's lists, the referral, and who may see or act ---


@pytest.fixture
def asked(app, make_staff):
    """A review chaired by one IRO whose child has asked for an advocate."""
    people = {role: make_staff(role) for role in ("admin", "manager")}
    people["iro"] = make_staff("iro", name="Priya IRO")
    people["other_iro"] = make_staff("iro")
    review_id = make_review(app, people["iro"])
    invitation_id = add_invitation(app, review_id, "child")
    with app.app_context():
        request = AdvocacyRequest(
            review_id=review_id, invitation_id=invitation_id, form_key="child_consultation",
            question_key="take_part", option_key="advocate",
        )  # fmt: skip
        _db.session.add(request)
        _db.session.commit()
        return people, review_id, request.id


def client_for(app, sign_in, user_id):
    client = app.test_client()
    sign_in(client, user_id)
    return client


def test_the_iro_sees_open_requests_on_their_home_page_and_the_digest(app, asked, sign_in):
    people, review_id, request_id = asked
    iro = client_for(app, sign_in, people["iro"])
    home = iro.get("/admin/").get_data(as_text=True)
    assert "Advocacy requests to refer" in home and f"/admin/advocacy/{request_id}" in home
    assert "Have an advocate to speak up for me" in home and "Record referral" in home
    digest = iro.get(f"/admin/reviews/{review_id}/digest").get_data(as_text=True)
    assert "Advocacy requests" in digest and f"/admin/advocacy/{request_id}" in digest


def test_another_iro_sees_nothing_of_the_request_and_gets_not_found(app, asked, sign_in):
    people, _review_id, request_id = asked
    other = client_for(app, sign_in, people["other_iro"])
    assert "Advocacy requests" not in other.get("/admin/").get_data(as_text=True)
    assert other.get(f"/admin/advocacy/{request_id}").status_code == 404
    url = f"/admin/advocacy/{request_id}/referred"
    token = csrf_token(other, "/admin/")
    refused = other.post(url, data={"csrf_token": token, "referred_on": dt.date.today()})
    assert refused.status_code == 404
    assert get(app, AdvocacyRequest, request_id).referred_on is None


def test_a_manager_reads_but_cannot_record_a_referral(app, asked, sign_in):
    people, _review_id, request_id = asked
    manager = client_for(app, sign_in, people["manager"])
    home = manager.get("/admin/").get_data(as_text=True)
    assert f"/admin/advocacy/{request_id}" in home and "Record referral" not in home
    page = manager.get(f"/admin/advocacy/{request_id}").get_data(as_text=True)
    assert "Have an advocate" in page and 'name="referred_on"' not in page
    token = csrf_token(manager, "/admin/")
    refused = manager.post(f"/admin/advocacy/{request_id}/referred",
                           data={"csrf_token": token, "referred_on": dt.date.today()})  # fmt: skip
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("referred_on", "message"),
    [
        ("", "Enter the date you referred them"),
        ("31/02/2026", "must be a real date"),
        ((dt.date.today() + dt.timedelta(days=1)).isoformat(), "must be today or in the past"),
        ((dt.date.today() - dt.timedelta(days=3)).isoformat(), "on or after the day they asked"),
    ],
)
def test_a_referral_date_that_cannot_be_right_is_refused_with_a_message(
    app, asked, sign_in, referred_on, message
):
    people, _review_id, request_id = asked
    iro = client_for(app, sign_in, people["iro"])
    url = f"/admin/advocacy/{request_id}"
    refused = iro.post(f"{url}/referred",
                       data={"csrf_token": csrf_token(iro, url), "referred_on": referred_on})  # fmt: skip
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert message in html and "There is a problem" in html
    assert get(app, AdvocacyRequest, request_id).referred_on is None


def test_recording_the_referral_is_audited_once_and_leaves_the_home_page(app, asked, sign_in):
    people, review_id, request_id = asked
    admin = client_for(app, sign_in, people["admin"])
    url = f"/admin/advocacy/{request_id}"
    today = dt.date.today()
    data = {"csrf_token": csrf_token(admin, url), "referred_on": today.isoformat(),
            "note": "Emailed Speak Up"}  # fmt: skip
    done = admin.post(f"{url}/referred", data=data, follow_redirects=True)
    assert done.status_code == 200 and "Referral recorded." in done.get_data(as_text=True)
    request = get(app, AdvocacyRequest, request_id)
    assert (request.referred_on, request.referred_by_id) == (today, people["admin"])
    assert request.note == "Emailed Speak Up"
    again = admin.post(f"{url}/referred", data=data, follow_redirects=True)
    assert "already recorded" in again.get_data(as_text=True)
    with app.app_context():
        events = _db.session.query(AuditEvent).filter_by(action="advocacy_referred").all()
        assert [(e.object_id, e.actor_id) for e in events] == [(str(request_id), people["admin"])]
        assert "Speak Up" not in str(events[0].detail)
    iro = client_for(app, sign_in, people["iro"])
    assert "Advocacy requests to refer" not in iro.get("/admin/").get_data(as_text=True)
    digest = iro.get(f"/admin/reviews/{review_id}/digest").get_data(as_text=True)
    assert "Referred on" in digest


# --- the Settings screen ---


def test_only_an_admin_opens_the_settings_screen(app, make_staff, sign_in):
    for role in ("iro", "manager"):
        assert client_for(app, sign_in, make_staff(role)).get("/admin/settings").status_code == 403
    admin = client_for(app, sign_in, make_staff("admin"))
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert "Advocacy service name" in page and "Team email address" in page
    assert 'type="tel"' in page and 'type="url"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("advocacy_phone", "0800 SPEAK UP", "must contain only digits and spaces"),
        ("advocacy_phone", "08-00", "must contain only digits and spaces"),
        ("advocacy_url", "http://speakup.example.org", "starting with https://"),
        ("advocacy_url", "javascript:alert(1)", "starting with https://"),
        ("advocacy_name", "Speak\nUp", "must be on one line"),
        ("team_email", "not an email", "correct format"),
    ],
)
def test_settings_that_cannot_work_are_refused_and_nothing_is_saved(
    app, make_staff, sign_in, field, value, message
):
    admin = client_for(app, sign_in, make_staff("admin"))
    data = {"csrf_token": csrf_token(admin, "/admin/settings"), **SERVICE, field: value}
    refused = admin.post("/admin/settings", data=data)
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    with app.app_context():
        assert _db.session.query(Setting).count() == 0


def test_settings_are_saved_trimmed_and_audited_by_key(app, make_staff, sign_in):
    admin_id = make_staff("admin")
    admin = client_for(app, sign_in, admin_id)
    data = {"csrf_token": csrf_token(admin, "/admin/settings"), **SERVICE,
            "advocacy_phone": "  +44 800  123 4567 "}  # fmt: skip
    saved = admin.post("/admin/settings", data=data, follow_redirects=True)
    assert "Settings saved." in saved.get_data(as_text=True)
    assert get(app, Setting, "advocacy_phone").value == "+44 800 123 4567"
    assert get(app, Setting, "advocacy_name").value == "Speak Up Advocacy"
    with app.app_context():
        event = _db.session.query(AuditEvent).filter_by(action="settings_changed").one()
        assert event.actor_id == admin_id
        assert sorted(event.detail["keys"]) == sorted(SERVICE)
    same = admin.post("/admin/settings", data=data, follow_redirects=True)
    assert "Nothing was changed." in same.get_data(as_text=True)
    with app.app_context():
        assert _db.session.query(AuditEvent).filter_by(action="settings_changed").count() == 1


# --- the young person sees the service where advocacy is mentioned ---


def test_the_service_is_shown_under_the_advocacy_question_with_a_tel_link(app, client):
    set_service(app)
    link = begin(app, client, language="ar")
    number = screen_with(app, link.invitation_id, "take_part")
    html = client.get(f"/r/page/{number}").get_data(as_text=True)
    assert "Speak Up Advocacy" in html
    assert '<a href="tel:08001234567"><bdi dir="ltr" class="phone">0800 123 4567</bdi></a>' in html
    assert 'href="https://speakup.example.org"' in html
    other = client.get(f"/r/page/{1 if number != 1 else 2}").get_data(as_text=True)
    assert "Speak Up Advocacy" not in other


def test_nothing_is_shown_while_the_service_is_not_set(app, client):
    link = begin(app, client)
    number = screen_with(app, link.invitation_id, "take_part")
    html = client.get(f"/r/page/{number}").get_data(as_text=True)
    assert "contact-box" not in html and "tel:08001234567" not in html


def test_the_thank_you_page_gives_the_service_to_those_who_asked(app, client):
    set_service(app)
    link = begin(app, client)
    post_page(client, screen_with(app, link.invitation_id, "take_part"), {"take_part": "advocate"})
    sent = send(client)
    html = client.get(sent.location).get_data(as_text=True)
    assert "You asked for an advocate" in html and "tel:08001234567" in html


def test_the_thank_you_page_says_nothing_of_advocacy_to_others(app, client):
    set_service(app)
    link = begin(app, client)
    post_page(client, screen_with(app, link.invitation_id, "take_part"), {"take_part": "attend"})
    html = client.get(send(client).location).get_data(as_text=True)
    assert "Thank you" in html and "Speak Up Advocacy" not in html


def test_the_demo_fills_in_an_example_advocacy_service(app):
    from portal.cli.demo import load_demo
    from portal.rules import settings

    with app.app_context():
        load_demo(lambda _line: None)
        service = settings.advocacy_service()
        assert service is not None and service.url.startswith("https://")
        assert service.tel_href == "tel:08000000000"
