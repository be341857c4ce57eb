"""Follow-up questions open right under the option that asks them (GOV.UK conditional reveal);
without JavaScript, Continue brings the page back saying a question was added, focused on it.
Text boxes carry GOV.UK's character count (issue 16)."""

from __future__ import annotations

import re

from portal.extensions import db
from portal.models import Draft
from portal.questionnaires import Screen
from portal.questionnaires.router import follow_ups
from portal.questionnaires.schema import Question
from tests.integration.respond.test_journey import start
from tests.respond_support import csrf_from, make_invitation, post_page

NOTICE = "Because of your answer, we have added a question here."


def _draft_answers(app, link) -> dict:
    with app.app_context():
        draft = db.session.scalar(db.select(Draft).where(Draft.invitation_id == link.invitation_id))
        return dict(draft.answers) if draft else {}


def _post_as_the_script_does(client, data: dict) -> object:
    """Post page 1 as a browser running static/js/components.js does: the follow-up's disabled
    marker is enabled, because GOV.UK Frontend opened the question on the page."""
    html = client.get("/r/page/1").get_data(as_text=True)
    shown = re.findall(r'name="_shown" value="([^"]+)"', html)  # disabled ones too
    return client.post("/r/page/1", data={"csrf_token": csrf_from(html), "_shown": shown, **data})


def test_the_follow_up_waits_hidden_under_its_option(app, client):
    link = make_invitation(app, role="parent")
    start(client, link)
    html = client.get("/r/page/1").get_data(as_text=True)
    no = html.index('value="no"')
    assert 'data-module="govuk-radios"' in html
    assert 'data-aria-controls="conditional-q-contact_ok-1"' in html[no:]
    # Right under the "No" option, hidden, and not counted as shown unless the script runs.
    reveal = html.index('<div class="govuk-radios__conditional govuk-radios__conditional--hidden"')
    assert no < reveal < html.index("What would make it better?")
    assert (
        '<input type="hidden" name="_shown" value="contact_why" disabled '
        'data-revealed-by="conditional-q-contact_ok-1">' in html
    )
    assert NOTICE not in html and "autofocus" not in html


def test_with_javascript_the_follow_up_is_answered_on_the_same_page(app, client):
    link = make_invitation(app, role="parent")
    start(client, link)
    moved = _post_as_the_script_does(client, {"contact_ok": "no", "contact_why": "More time"})
    assert moved.location == "/r/page/2"
    assert _draft_answers(app, link) == {"contact_ok": "no", "contact_why": "More time"}


def test_with_javascript_a_follow_up_whose_option_is_not_chosen_is_not_kept(app, client):
    link = make_invitation(app, role="parent")
    start(client, link)
    moved = _post_as_the_script_does(client, {"contact_ok": "yes", "contact_why": "typed, hidden"})
    assert moved.location == "/r/page/2"
    assert _draft_answers(app, link) == {"contact_ok": "yes"}


def test_without_javascript_continue_returns_with_a_notice_and_focus_on_the_new_question(
    app, client
):
    link = make_invitation(app, role="parent")
    start(client, link)
    added = post_page(client, 1, {"contact_ok": "no"}).location
    assert added == "/r/page/1?added=contact_why"
    assert _draft_answers(app, link) == {"contact_ok": "no"}
    html = client.get(added).get_data(as_text=True)
    notice = html.index(f'<p class="notice" id="q-contact_why-added">{NOTICE}</p>')
    box = html.index('<textarea class="input govuk-js-character-count" id="q-contact_why"')
    assert html.index('value="no" checked') < notice < box
    assert 'aria-describedby="q-contact_why-added q-contact_why-info" autofocus>' in html[box:]
    assert "conditional--hidden" not in html
    # Answered now, the form moves on; the notice is only for the page Continue brought back.
    assert post_page(client, 1, {"contact_ok": "no", "contact_why": "More time"}).location == (
        "/r/page/2"
    )
    assert NOTICE not in client.get("/r/page/1").get_data(as_text=True)


def test_a_stray_added_argument_shows_no_notice(app, client):
    link = make_invitation(app, role="parent")
    start(client, link)
    # A follow-up not revealed yet, anything else, a question no answer reveals: no notice.
    for url in ("/r/page/1?added=contact_why", "/r/page/1?added=<b>", "/r/page/2?added=worries"):
        html = client.get(url).get_data(as_text=True)
        assert NOTICE not in html and "autofocus" not in html and "<b>" not in html, url


def test_text_boxes_carry_a_character_count_with_the_limit_said_without_javascript(app, client):
    link = make_invitation(app, role="parent")
    start(client, link)
    html = client.get("/r/page/2").get_data(as_text=True)
    assert (
        '<div class="form-group govuk-character-count" data-module="govuk-character-count" '
        'data-maxlength="1000"' in html
    )
    assert 'data-i18n.characters-under-limit.other="Characters left: %{count}"' in html
    assert 'data-i18n.characters-over-limit.other="Characters too many: %{count}"' in html
    assert '<p id="q-worries-info" class="hint govuk-character-count__message">' in html
    assert "Characters allowed: 1,000</p>" in html
    assert 'aria-describedby="q-worries-info"' in html


def test_the_character_count_has_every_plural_form_of_arabic(app, client):
    link = make_invitation(app, role="parent")
    start(client, link)
    html = client.get("/r/page/2?lang=ar").get_data(as_text=True)
    for form in ("zero", "one", "two", "few", "many", "other"):
        assert f"data-i18n.characters-under-limit.{form}=" in html, form
        assert f"data-i18n.characters-over-limit.{form}=" in html, form


def test_too_long_an_answer_is_refused_by_the_server_naming_the_limit(app, client):
    link = make_invitation(app, role="parent")
    start(client, link)
    refused = post_page(client, 2, {"worries": "x" * 1001})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert (
        "must be 1,000 characters or fewer" in html and 'data-module="govuk-error-summary"' in html
    )
    assert _draft_answers(app, link).get("worries") is None


def _question(key: str, kind: str = "choice", **extra) -> Question:
    options = [{"key": "yes", "label": "Yes"}, {"key": "no", "label": "No"}]
    return Question.model_validate(
        {
            "key": key,
            "type": kind,
            "label": key,
            **({"options": options} if kind != "text" else {}),
            **extra,
        }
    )


def test_only_a_rule_naming_one_option_of_a_question_on_the_screen_opens_under_it():
    screen = Screen(
        0,
        0,
        "page",
        None,
        (
            _question("asked"),
            _question("why", "text", show_if={"question": "asked", "equals": "yes"}),
            _question("either", "text", show_if={"question": "asked", "equals": ["yes", "no"]}),
            _question("elsewhere", "text", show_if={"question": "other_page", "equals": "yes"}),
        ),
    )
    assert follow_ups(screen) == {"why": ("asked", "yes")}
