"""The IRO's message "What happened at your review" (section 4): who may write it,
what it refuses, the pasted translation, when it counts as sent and opened, and that only the
young person's own feedback link shows it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.delivery import mail
from portal.delivery.sending import send_due
from portal.extensions import db as _db
from portal.models import AuditEvent, Invitation, Review, ReviewOutcome, utcnow
from portal.rules import outcomes
from tests.conftest import csrf_token
from tests.integration.sending import send_watching_statements
from tests.integration.workspace import add_invitation, get, make_review
from tests.invitations import invite

BASE = "https://portal.example"
WORDS = {
    "talked_about": "We talked about school and your brother.",
    "decided": "You will stay with Sam. You can see your brother every week.",
    "next_steps": "Your social worker will visit in two weeks.",
    "who_to_talk_to": "You can talk to me or your carer.",
}


@pytest.fixture
def app_config(smtp_sink):
    return {"MAIL_URL": smtp_sink.url, "PORTAL_BASE_URL": BASE}


def held_review(app, iro_id, **kwargs) -> int:
    review_id = make_review(
        app, iro_id, review_date=dt.date.today() - dt.timedelta(days=2), status="held", **kwargs
    )
    with app.app_context():
        _db.session.get(Review, review_id).held_on = dt.date.today() - dt.timedelta(days=2)
        _db.session.commit()
    return review_id


def feedback_invitation(app, review_id, role="child", **fields) -> int:
    return add_invitation(
        app, review_id, role, stage="feedback", email=f"{role}@example.org",
        due_at=dt.date.today(), **fields,
    )  # fmt: skip


def signed_in(app, sign_in, user_id):
    client = app.test_client()
    sign_in(client, user_id)
    return client


def save(client, review_id, words=WORDS, action="save"):
    url = f"/admin/reviews/{review_id}/message"
    token = csrf_token(client, url)
    return client.post(url, data={"csrf_token": token, "_action": action, **words})


def outcome_of(app, review_id) -> ReviewOutcome | None:
    with app.app_context():
        found = outcomes.find(review_id)
        if found is not None:
            _db.session.expunge(found)
        return found


def audit_events(app, action):
    with app.app_context():
        rows = _db.session.query(AuditEvent).filter_by(action=action).all()
        for row in rows:
            _db.session.expunge(row)
        return rows


# --- Writing it ---


def test_the_iro_writes_the_message_from_a_held_review_and_it_is_audited_without_text(
    app, iro_id, sign_in
):
    review_id = held_review(app, iro_id)
    client = signed_in(app, sign_in, iro_id)
    page = client.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert "Write the message to Maya" in page
    form = client.get(f"/admin/reviews/{review_id}/message").get_data(as_text=True)
    assert "What we talked about" in form and "8-11" in form
    response = save(client, review_id)
    assert response.status_code == 302
    saved = outcome_of(app, review_id)
    assert saved.decided == WORDS["decided"] and saved.sent_at is None
    [event] = audit_events(app, "outcome_written")
    assert "brother" not in str(event.detail)
    assert event.detail["parts"] == list(WORDS)
    # Until it is sent it can change.
    assert save(client, review_id, {**WORDS, "decided": "Changed."}).status_code == 302
    assert outcome_of(app, review_id).decided == "Changed."
    assert len(audit_events(app, "outcome_changed")) == 1


def test_the_screen_gives_a_reading_age_hint_against_the_childs_age(app, iro_id, sign_in):
    review_id = held_review(app, iro_id, age=10)
    client = signed_in(app, sign_in, iro_id)
    simple = save(client, review_id, action="check").get_data(as_text=True)
    assert re.search(r"Reading age about \d+: fine for Maya \(age 10\)", simple)
    hard = {
        "decided": "Notwithstanding considerable organisational complexities, the multidisciplinary "
        "professional network unanimously determined that continuation of the current "
        "placement arrangement constitutes the optimal longitudinal intervention."
    }
    page = save(client, review_id, hard, action="check").get_data(as_text=True)
    assert "hard for Maya (age 10)" in page
    assert outcome_of(app, review_id) is None  # checking saves nothing


def test_a_4_to_7_year_old_is_shown_as_the_picture_band(app, iro_id, sign_in):
    review_id = held_review(app, iro_id, age=6)
    client = signed_in(app, sign_in, iro_id)
    page = client.get(f"/admin/reviews/{review_id}/message").get_data(as_text=True)
    assert "they see a picture beside each heading" in page


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (dict.fromkeys(WORDS, "  "), "Write something under at least one heading"),
        ({"decided": "x" * (outcomes.MAX_PART_LENGTH + 1)}, "must be 1200 characters or fewer"),
        ({"decided": "bad\x00text"}, "Remove the hidden characters"),
    ],
)
def test_bad_input_is_a_400_with_an_error_summary(app, iro_id, sign_in, words, message):
    review_id = held_review(app, iro_id)
    client = signed_in(app, sign_in, iro_id)
    response = save(client, review_id, words)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert outcome_of(app, review_id) is None


def test_a_manager_reads_but_cannot_write_and_another_iro_cannot_see_it(
    app, iro_id, make_staff, sign_in
):
    review_id = held_review(app, iro_id)
    save(signed_in(app, sign_in, iro_id), review_id)
    manager = signed_in(app, sign_in, make_staff("manager"))
    page = manager.get(f"/admin/reviews/{review_id}/message")
    assert page.status_code == 200 and WORDS["decided"] in page.get_data(as_text=True)
    assert "Save the message" not in page.get_data(as_text=True)
    token = csrf_token(manager, f"/admin/reviews/{review_id}")
    refused = manager.post(
        f"/admin/reviews/{review_id}/message", data={"csrf_token": token, **WORDS}
    )
    assert refused.status_code == 403
    other = signed_in(app, sign_in, make_staff("iro"))
    assert other.get(f"/admin/reviews/{review_id}/message").status_code == 404
    token = csrf_token(other, "/admin/reviews")
    response = other.post(
        f"/admin/reviews/{review_id}/message", data={"csrf_token": token, **WORDS}
    )
    assert response.status_code == 404


def test_no_message_before_the_review_is_held(app, iro_id, sign_in):
    review_id = make_review(app, iro_id)
    client = signed_in(app, sign_in, iro_id)
    assert client.get(f"/admin/reviews/{review_id}/message").status_code == 409
    assert "Write the message" not in client.get(f"/admin/reviews/{review_id}").get_data(
        as_text=True
    )


def test_a_pasted_translation_is_kept_beside_the_words_and_audited(app, iro_id, sign_in):
    review_id = held_review(app, iro_id, language="ps")
    feedback_invitation(app, review_id, language="ps")
    client = signed_in(app, sign_in, iro_id)
    save(client, review_id)
    page = client.get(f"/admin/reviews/{review_id}/message").get_data(as_text=True)
    assert "Translation into" in page
    url = f"/admin/reviews/{review_id}/message/translation"
    token = csrf_token(client, f"/admin/reviews/{review_id}/message")
    response = client.post(
        url, data={"csrf_token": token, "decided": "تاسو به له سام سره پاتې شئ."}
    )
    assert response.status_code == 302
    saved = outcome_of(app, review_id)
    assert saved.decided == WORDS["decided"]  # the IRO's words as written
    assert saved.translation["language"] == "ps"
    assert saved.translation["decided"] == "تاسو به له سام سره پاتې شئ."
    [event] = audit_events(app, "outcome_translation_saved")
    assert event.detail == {"language": "ps", "removed": False}


# --- Sent ---


def test_sent_when_the_young_persons_feedback_email_goes_with_the_message(app, iro_id, sign_in):
    review_id = held_review(app, iro_id)
    invitation_id = feedback_invitation(app, review_id)
    parent_id = feedback_invitation(app, review_id, "parent")
    client = signed_in(app, sign_in, iro_id)
    save(client, review_id)
    assert outcome_of(app, review_id).sent_at is None
    with app.app_context():
        send_due(dt.date.today())
    assert outcome_of(app, review_id).sent_at is not None
    assert get(app, Invitation, invitation_id).sent_at is not None
    assert get(app, Invitation, parent_id).sent_at is not None
    # Once sent it no longer changes under the young person.
    assert save(client, review_id, {**WORDS, "decided": "New"}).status_code == 409


def test_while_a_batch_of_emails_goes_send_due_does_not_touch_the_database(
    app, iro_id, sign_in, monkeypatch
):
    """A database that fails while messages go cannot leave claimed items unsent (ADR 0076):
    the message, the review's invitations and the undo of a failure are read or written only
    before the first message of the batch and after the last."""
    review_id = held_review(app, iro_id)
    child_id = feedback_invitation(app, review_id)
    feedback_invitation(app, review_id, "parent")
    broken_id = add_invitation(app, review_id, "carer", stage="feedback", due_at=dt.date.today(),
                               email="carer@example.org\r\nBcc: x@evil.example")  # fmt: skip
    save(signed_in(app, sign_in, iro_id), review_id)
    happened: list[str] = []
    real_send = mail.send

    def send(message, reference=""):
        happened.append("send")
        return real_send(message, reference)

    monkeypatch.setattr(mail, "send", send)
    with app.app_context():
        report = send_watching_statements(lambda _statement: happened.append("sql"))
    assert (report.sent, report.failed) == (2, 1)
    first, last = happened.index("send"), len(happened) - happened[::-1].index("send")
    assert happened[first:last] == ["send"] * 3
    assert outcome_of(app, review_id).sent_at is not None
    assert get(app, Invitation, child_id).sent_at is not None
    broken = get(app, Invitation, broken_id)
    assert broken.sent_at is None and broken.send_error  # undone with the batch's results


def test_the_young_persons_email_says_there_is_a_message_and_the_parents_does_not(
    app, iro_id, sign_in, smtp_sink
):
    review_id = held_review(app, iro_id)
    feedback_invitation(app, review_id)
    feedback_invitation(app, review_id, "parent")
    save(signed_in(app, sign_in, iro_id), review_id)
    with app.app_context():
        send_due(dt.date.today())
    by_recipient = {message["To"]: message.as_string() for message in smtp_sink.messages}
    assert "written you a message" in by_recipient["child@example.org"]
    assert "written you a message" not in by_recipient["parent@example.org"]


def test_not_sent_while_only_a_parents_invitation_has_gone(app, iro_id, sign_in):
    review_id = held_review(app, iro_id)
    feedback_invitation(app, review_id, "parent", sent_at=utcnow())
    save(signed_in(app, sign_in, iro_id), review_id)
    assert outcome_of(app, review_id).sent_at is None


def test_sent_on_saving_when_their_invitation_had_already_gone(app, iro_id, sign_in):
    review_id = held_review(app, iro_id)
    feedback_invitation(app, review_id, sent_at=utcnow())
    response = save(signed_in(app, sign_in, iro_id), review_id)
    assert outcome_of(app, review_id).sent_at is not None
    assert audit_events(app, "outcome_written")[0].detail["sent"] is True
    assert response.status_code == 302


def test_sent_when_their_letter_is_printed_and_the_letter_carries_the_message(app, iro_id, sign_in):
    review_id = held_review(app, iro_id, age=6)
    feedback_invitation(app, review_id, channel="post")
    client = signed_in(app, sign_in, iro_id)
    save(client, review_id)
    token = csrf_token(client, f"/admin/reviews/{review_id}")
    page = client.post(f"/admin/reviews/{review_id}/letters", data={"csrf_token": token})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "written you a message" in html and WORDS["decided"] in html
    assert "img/talk.svg" in html  # the 4-7 band's picture layout
    assert outcome_of(app, review_id).sent_at is not None


def test_the_printable_version_follows_the_band(app, iro_id, sign_in):
    review_id = held_review(app, iro_id, age=6)
    client = signed_in(app, sign_in, iro_id)
    save(client, review_id)
    page = client.get(f"/admin/reviews/{review_id}/message/print")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "What happened at your review" in html and "outcome__words--pictures" in html
    assert len(audit_events(app, "outcome_printed")) == 1


# --- Shown to the young person only ---


def link_for(app, review_id, role="child", **fields):
    with app.app_context():
        review = _db.session.get(Review, review_id)
        invited = invite(review, stage="feedback", role=role, sent_at=utcnow(), **fields)
        _db.session.commit()
        return invited


def test_their_link_opens_the_message_first_and_opened_is_set_once(app, iro_id, sign_in):
    review_id = held_review(app, iro_id)
    save(signed_in(app, sign_in, iro_id), review_id)
    invited = link_for(app, review_id)
    child = app.test_client()
    opened = child.get(f"/r/{invited.token}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/r/message")
    page = child.get("/r/message")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "What happened at your review" in html and WORDS["decided"] in html
    assert "Continue to the feedback form" in html
    first = outcome_of(app, review_id).opened_at
    assert first is not None
    child.get("/r/message")
    assert outcome_of(app, review_id).opened_at == first


def test_their_letter_code_opens_the_message_first(app, iro_id, sign_in):
    review_id = held_review(app, iro_id)
    save(signed_in(app, sign_in, iro_id), review_id)
    invited = link_for(app, review_id, channel="post")
    child = app.test_client()
    token = csrf_token(child, "/q")
    response = child.post("/q", data={"csrf_token": token, "code": invited.code})
    assert response.status_code == 302 and response.headers["Location"].endswith("/r/message")


@pytest.mark.parametrize("role", ["parent", "carer", "health"])
def test_an_adults_link_never_shows_it(app, iro_id, sign_in, role):
    review_id = held_review(app, iro_id)
    save(signed_in(app, sign_in, iro_id), review_id)
    invited = link_for(app, review_id, role=role, recipient_email="a@example.org")
    adult = app.test_client()
    opened = adult.get(f"/r/{invited.token}")
    assert not opened.headers["Location"].endswith("/r/message")
    # Asking for the page directly sends them to their form, with nothing of the message.
    direct = adult.get("/r/message")
    assert direct.status_code == 302
    assert WORDS["decided"] not in direct.get_data(as_text=True)
    assert outcome_of(app, review_id).opened_at is None


def test_a_consultation_link_does_not_show_it(app, iro_id, sign_in):
    review_id = held_review(app, iro_id)
    save(signed_in(app, sign_in, iro_id), review_id)
    with app.app_context():
        review = _db.session.get(Review, review_id)
        invited = invite(review, stage="consultation", role="child", sent_at=utcnow())
        _db.session.commit()
    opened = app.test_client().get(f"/r/{invited.token}")
    assert not opened.headers["Location"].endswith("/r/message")


def test_in_their_language_a_translated_copy_is_promised_until_one_is_pasted(app, iro_id, sign_in):
    review_id = held_review(app, iro_id, language="ps")
    invited = link_for(app, review_id, language="ps")
    iro = signed_in(app, sign_in, iro_id)
    save(iro, review_id)
    child = app.test_client()
    child.get(f"/r/{invited.token}")
    html = child.get("/r/message").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert WORDS["decided"] in html  # the IRO's words as written
    assert 'class="outcome__pending"' in html
    token = csrf_token(iro, f"/admin/reviews/{review_id}/message")
    iro.post(
        f"/admin/reviews/{review_id}/message/translation",
        data={"csrf_token": token, "decided": "تاسو به له سام سره پاتې شئ."},
    )
    html = child.get("/r/message").get_data(as_text=True)
    assert "تاسو به له سام سره پاتې شئ." in html and WORDS["decided"] in html
    assert 'class="outcome__pending"' not in html


# --- Reading age (the formula) ---


def test_reading_age_is_flesch_kincaid_grade_plus_five():
    assert outcomes.reading_age("Too short.") is None
    easy = outcomes.reading_age("We met. You are safe. You will stay with Sam. He is kind.")
    hard = outcomes.reading_age(
        "The multidisciplinary professional network unanimously determined that continuation "
        "of the current placement arrangement constitutes the optimal intervention."
    )
    assert easy is not None and hard is not None
    assert easy <= 7 < 18 <= hard
    assert outcomes.syllables("decided") == 3 and outcomes.syllables("make") == 1
