"""The whole journey for each role: link, start, pages, check answers, send once, thank you."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Draft, Invitation, Response
from tests.respond_support import csrf_from, make_invitation, post_page, screen_of, screens_for


def start(client, link, helped_by=None):
    opened = client.get(link.url)
    assert opened.status_code == 302 and opened.location == "/r/start"
    page = client.get("/r/start")
    data = {"csrf_token": csrf_from(page.get_data(as_text=True))}
    if helped_by:
        data["helped_by"] = helped_by
    return client.post("/r/start", data=data)


def send(client):
    page = client.get("/r/check")
    assert page.status_code == 200
    return client.post("/r/check", data={"csrf_token": csrf_from(page.get_data(as_text=True))})


def stored(app, link):
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        responses = db.session.scalars(
            db.select(Response).where(Response.invitation_id == link.invitation_id)
        ).all()
        draft = db.session.scalar(db.select(Draft).where(Draft.invitation_id == link.invitation_id))
        return invitation, responses, draft


CHILD_ANSWERS = {
    "how_are_things": "good",
    "good_things_topics": ["friends", "hobbies"],
    "home_feeling": "good",
    "school_feeling": "ok",
    "take_part": ["attend"],
    "anything_else": "I like my school",
}


def test_child_journey_from_link_to_thank_you(app, client):
    link = make_invitation(app, role="child", age=9)
    assert start(client, link, "with_an_adult").location == "/r/page/1"
    screens = screens_for(app, link)
    for screen in screens:
        data = {key: CHILD_ANSWERS[key] for key in screen.keys if key in CHILD_ANSWERS}
        following = screen.number + 2
        expected = f"/r/page/{following}" if following <= len(screens) else "/r/check"
        assert post_page(client, screen.number + 1, data).location == expected
    sent = send(client)
    assert sent.location == "/r/sent"
    thanks = client.get("/r/sent").get_data(as_text=True)
    assert "What happens next" in thanks and "thank-you.svg" in thanks
    invitation, responses, draft = stored(app, link)
    assert [r.answers for r in responses] == [CHILD_ANSWERS]
    response = responses[0]
    assert (response.helped_by, response.source, response.role) == (
        "with_an_adult",
        "online",
        "child",
    )
    assert response.form_version == 1 and response.text_languages == {"anything_else": "en"}
    assert invitation.returned_at is not None and invitation.return_channel == "online"
    assert invitation.opened_at is not None
    assert draft is None


def test_start_page_says_who_it_is_for_who_reads_it_and_that_skipping_is_fine(app, client):
    link = make_invitation(app, role="child", age=6)
    client.get(link.url)
    html = client.get("/r/start").get_data(as_text=True)
    assert "Hello Maya." in html
    assert "Your IRO" in html and "skip any question" in html and "minutes" in html
    assert "You can ask an adult you trust to help you." in html
    assert "On my own" in html and "With an adult" in html
    assert "I don&#39;t want to answer" in html or "I don't want to answer" in html


def test_adult_start_page_names_the_child_and_the_review_date_only(app, client):
    link = make_invitation(app, role="parent")
    client.get(link.url)
    html = client.get("/r/start").get_data(as_text=True)
    assert "the review for Maya on" in html
    assert "ask an adult" not in html and "helped_by" not in html
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        case_ref = invitation.review.child.case_ref
        year = str(invitation.review_date.year)
    assert case_ref not in html and year in html


@pytest.mark.parametrize(
    ("role", "answers"),
    [
        ("parent", [{"going_well": "School", "family_time": "going_well"}, {"attend": "yes"}]),
        ("carer", [{"settled": "mostly_settled", "going_well": "Doing well"}]),
        ("health", [{"immunisations_up_to_date": "yes", "recommendations": "Dental check"}]),
        ("education", [{"exclusions": "no"}]),
        ("guardian", [{"recommendations": "Keep contact weekly"}]),
    ],
)
def test_each_adult_role_completes_its_form(app, client, role, answers):
    link = make_invitation(app, role=role)
    start(client, link)
    for data in answers:
        assert post_page(client, screen_of(app, link, next(iter(data))), data).status_code == 302
    assert send(client).location == "/r/sent"
    _, responses, _ = stored(app, link)
    expected = {k: v for data in answers for k, v in data.items()}
    assert [r.answers for r in responses] == [expected]
    assert responses[0].role == role and responses[0].helped_by is None


def test_care_leaver_gets_the_care_leavers_form(app, client):
    link = make_invitation(app, role="care_leaver", age=19, kind="pathway_plan")
    start(client, link)
    number = screen_of(app, link, "chair")
    html = client.get(f"/r/page/{number}").get_data(as_text=True)
    assert "Would you like to chair or co-chair your review?" in html
    post_page(client, number, {"chair": "co_chair"})
    assert send(client).location == "/r/sent"
    assert stored(app, link)[1][0].answers == {"chair": "co_chair"}


def test_youngest_child_sees_one_question_with_pictures_per_screen(app, client):
    link = make_invitation(app, role="child", age=6)
    start(client, link)
    html = client.get("/r/page/1").get_data(as_text=True)
    assert html.count('type="radio"') == 4 and "choices--pictures" in html
    assert '<h1 class="question-heading">How do you feel?</h1>' in html
    assert "faces/happy" in html


def test_an_answer_that_hides_a_later_question_drops_its_answer(app, client):
    # One question a screen for the youngest: the follow-up is a later screen of its own.
    link = make_invitation(app, role="child", age=6)
    start(client, link)
    asked = screen_of(app, link, "anyone_not_wanted")
    assert post_page(client, asked, {"anyone_not_wanted": "yes"}).location == (
        f"/r/page/{asked + 1}"
    )
    post_page(client, asked + 1, {"who_not_wanted": "My uncle"})
    post_page(client, asked, {"anyone_not_wanted": "no"})
    with app.app_context():
        draft = db.session.scalar(db.select(Draft).where(Draft.invitation_id == link.invitation_id))
        assert "who_not_wanted" not in draft.answers
    assert "My uncle" not in client.get("/r/check").get_data(as_text=True)


def test_leaving_and_opening_the_link_on_another_device_resumes_at_the_same_page(app, client):
    link = make_invitation(app, role="child", age=9)
    start(client, link)
    post_page(client, 1, {"how_are_things": "ok"})
    post_page(client, 2, {"good_things_topics": ["home"]})
    other_device = app.test_client()
    resumed = other_device.get(link.url)
    assert resumed.location == "/r/page/3"
    back = other_device.get("/r/page/1").get_data(as_text=True)
    assert 'value="ok" checked' in back


def test_reopening_after_the_last_page_goes_to_check_answers(app, client):
    link = make_invitation(app, role="carer")
    start(client, link)
    post_page(client, len(screens_for(app, link)), {"attend": "yes"})
    assert app.test_client().get(link.url).location == "/r/check"


def test_skipping_a_question_moves_on_and_forgets_its_answer(app, client):
    link = make_invitation(app, role="child", age=9)
    start(client, link)
    post_page(client, 1, {"how_are_things": "not_good"})
    skipped = post_page(client, 1, {"_action": "skip", "how_are_things": "good"})
    assert skipped.location == "/r/page/2"
    html = client.get("/r/check").get_data(as_text=True)
    assert "Not answered" in html and "Not good" not in html


def test_check_answers_change_link_returns_to_check_answers(app, client):
    link = make_invitation(app, role="carer")
    start(client, link)
    post_page(client, 1, {"settled": "settled"})
    html = client.get("/r/check").get_data(as_text=True)
    assert 'href="/r/page/1?return=check"' in html
    page = client.get("/r/page/1?return=check").get_data(as_text=True)
    changed = client.post(
        "/r/page/1",
        data={
            "csrf_token": csrf_from(page),
            "_shown": list(screens_for(app, link)[0].keys),
            "_return": "check",
            "settled": "unsettled",
        },
    )
    assert changed.location == "/r/check"
    assert "Unsettled" in client.get("/r/check").get_data(as_text=True)


def test_text_answers_are_escaped_when_shown_again(app, client):
    link = make_invitation(app, role="carer")
    start(client, link)
    post_page(client, 1, {"going_well": "<script>alert('x')</script>"})
    check = client.get("/r/check").get_data(as_text=True)
    page = client.get("/r/page/1").get_data(as_text=True)
    for html in (check, page):
        assert "<script>alert" not in html and "&lt;script&gt;" in html
    send(client)
    assert stored(app, link)[1][0].answers["going_well"] == "<script>alert('x')</script>"


def test_sending_twice_stores_one_response_and_says_already_sent(app, client):
    link = make_invitation(app, role="carer")
    start(client, link)
    post_page(client, 1, {"settled": "settled"})
    token = csrf_from(client.get("/r/check").get_data(as_text=True))
    first = client.post("/r/check", data={"csrf_token": token})
    second = client.post("/r/check", data={"csrf_token": token})
    assert first.status_code == 302
    assert second.status_code == 409 and "already been sent" in second.get_data(as_text=True)
    assert len(stored(app, link)[1]) == 1


def test_a_second_device_sending_after_the_first_is_told_it_was_already_sent(app, client):
    link = make_invitation(app, role="carer")
    start(client, link)
    other = app.test_client()
    other.get(link.url)
    token = csrf_from(other.get("/r/check").get_data(as_text=True))
    send(client)
    late = other.post("/r/check", data={"csrf_token": token})
    assert late.status_code == 409 and "already been sent" in late.get_data(as_text=True)
    assert len(stored(app, link)[1]) == 1


def test_parent_link_never_shows_anything_from_the_childs_response(app, client):
    child_link = make_invitation(app, role="child", age=9)
    start(client, child_link)
    post_page(
        client, screen_of(app, child_link, "anything_else"), {"anything_else": "SECRET-WORDS"}
    )
    post_page(client, 1, {"how_are_things": "not_good"})
    send(client)
    parent_link = make_invitation(app, role="parent", review_id=child_link.review_id)
    parent = app.test_client()
    pages = [parent.get(parent_link.url)]
    pages.append(parent.get("/r/start"))
    start(parent, parent_link)
    pages += [parent.get("/r/page/1"), parent.get("/r/page/2"), parent.get("/r/check")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert "SECRET-WORDS" not in html
        assert "How are things for you" not in html and "Not good" not in html


def test_not_wanting_to_answer_is_never_a_dead_end(app, client):
    link = make_invitation(app, role="child", age=6)
    client.get(link.url)
    html = client.get("/r/no-thanks").get_data(as_text=True)
    assert "You do not have to answer" in html and 'href="/r/start"' in html


def test_the_page_uses_the_invitations_language(app, client):
    link = make_invitation(app, role="child", age=14, language="ar")
    client.get(link.url)
    html = client.get("/r/start").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in html
