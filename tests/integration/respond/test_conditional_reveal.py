"""Follow-up questions open right under the option that asks them (GOV.UK conditional reveal);
without JavaScript, Continue brings the page back saying a question was added, focused on it.
Text boxes carry GOV.UK's character count."""

from __future__ import annotations

import re

from portal.extensions import db
from portal.models import Draft
from portal.questionnaires import Screen
from portal.questionnaires.router import follow_ups
from portal.questionnaires.schema import Question
from tests.integration.respond.test_journey import start
from tests.respond_support import csrf_from, make_invitation, post_page, screen_of

NOTICE = "Because of your answer, we have added a question here."
WHO = "Who do you not want there, and why?"  # child_consultation who_not_wanted, under "yes"


def _begin(app, client):
    """A child of 9 at the screen asking whether anyone is not wanted at the review."""
    link = make_invitation(app, role="child", age=9)
    start(client, link)
    return link, screen_of(app, link, "anyone_not_wanted")


def _draft_answers(app, link) -> dict:
    with app.app_context():
        draft = db.session.scalar(db.select(Draft).where(Draft.invitation_id == link.invitation_id))
        return dict(draft.answers) if draft else {}


def _post_as_the_script_does(client, number: int, data: dict) -> object:
    """Post a page as a browser running static/js/components.js does: the follow-up's disabled
    marker is enabled, because GOV.UK Frontend opened the question on the page."""
    html = client.get(f"/r/page/{number}").get_data(as_text=True)
    shown = re.findall(r'name="_shown" value="([^"]+)"', html)  # disabled ones too
    return client.post(
        f"/r/page/{number}", data={"csrf_token": csrf_from(html), "_shown": shown, **data}
    )


def test_the_follow_up_waits_hidden_under_its_option(app, client):
    _link, number = _begin(app, client)
    html = client.get(f"/r/page/{number}").get_data(as_text=True)
    yes = html.index('name="anyone_not_wanted" value="yes"')
    assert 'data-module="govuk-radios"' in html
    assert 'data-aria-controls="conditional-q-anyone_not_wanted-0"' in html[yes:]
    # Right under the "Yes" option, hidden, and not counted as shown unless the script runs.
    reveal = html.index('<div class="govuk-radios__conditional govuk-radios__conditional--hidden"')
    assert yes < reveal < html.index(WHO) < html.index('value="no"', yes)
    assert (
        '<input type="hidden" name="_shown" value="who_not_wanted" disabled '
        'data-revealed-by="conditional-q-anyone_not_wanted-0">' in html
    )
    assert NOTICE not in html and "autofocus" not in html


def test_with_javascript_the_follow_up_is_answered_on_the_same_page(app, client):
    link, number = _begin(app, client)
    data = {"anyone_not_wanted": "yes", "who_not_wanted": "My uncle"}
    moved = _post_as_the_script_does(client, number, data)
    assert moved.location == f"/r/page/{number + 1}"
    assert _draft_answers(app, link) == data


def test_with_javascript_a_follow_up_whose_option_is_not_chosen_is_not_kept(app, client):
    link, number = _begin(app, client)
    data = {"anyone_not_wanted": "no", "who_not_wanted": "typed, hidden"}
    moved = _post_as_the_script_does(client, number, data)
    assert moved.location == f"/r/page/{number + 1}"
    assert _draft_answers(app, link) == {"anyone_not_wanted": "no"}


def test_without_javascript_continue_returns_with_a_notice_and_focus_on_the_new_question(
    app, client
):
    link, number = _begin(app, client)
    added = post_page(client, number, {"anyone_not_wanted": "yes"}).location
    assert added == f"/r/page/{number}?added=who_not_wanted"
    assert _draft_answers(app, link) == {"anyone_not_wanted": "yes"}
    html = client.get(added).get_data(as_text=True)
    notice = html.index(f'<p class="notice" id="q-who_not_wanted-added">{NOTICE}</p>')
    box = html.index('<textarea class="input govuk-js-character-count" id="q-who_not_wanted"')
    assert html.index('value="yes" checked') < notice < box
    assert (
        'aria-describedby="q-who_not_wanted-added q-who_not_wanted-info" autofocus>' in (html[box:])
    )
    assert "conditional--hidden" not in html and WHO in html
    # Answered now, the form moves on; the notice is only for the page Continue brought back.
    answered = post_page(client, number, {"anyone_not_wanted": "yes", "who_not_wanted": "Tom"})
    assert answered.location == f"/r/page/{number + 1}"
    assert NOTICE not in client.get(f"/r/page/{number}").get_data(as_text=True)


def test_a_stray_added_argument_shows_no_notice(app, client):
    link, number = _begin(app, client)
    worries = screen_of(app, link, "worries")
    # A follow-up not revealed yet, anything else, a question no answer reveals: no notice.
    for url in (
        f"/r/page/{number}?added=who_not_wanted",
        f"/r/page/{number}?added=<b>",
        f"/r/page/{worries}?added=worries",
    ):
        html = client.get(url).get_data(as_text=True)
        assert NOTICE not in html and "autofocus" not in html and "<b>" not in html, url


def test_text_boxes_carry_a_character_count_with_the_limit_said_without_javascript(app, client):
    link = make_invitation(app, role="parent")
    start(client, link)
    html = client.get(f"/r/page/{screen_of(app, link, 'worries')}").get_data(as_text=True)
    assert (
        '<div class="form-group govuk-character-count" data-module="govuk-character-count" '
        'data-maxlength="2000"' in html
    )
    assert 'data-i18n.characters-under-limit.other="Characters left: %{count}"' in html
    assert 'data-i18n.characters-over-limit.other="Characters too many: %{count}"' in html
    assert '<p id="q-worries-info" class="hint govuk-character-count__message">' in html
    assert "Characters allowed: 2,000</p>" in html
    assert 'aria-describedby="q-worries-info"' in html


def test_the_character_count_has_every_plural_form_of_arabic(app, client):
    link = make_invitation(app, role="parent")
    start(client, link)
    html = client.get(f"/r/page/{screen_of(app, link, 'worries')}?lang=ar").get_data(as_text=True)
    for form in ("zero", "one", "two", "few", "many", "other"):
        assert f"data-i18n.characters-under-limit.{form}=" in html, form
        assert f"data-i18n.characters-over-limit.{form}=" in html, form


def test_too_long_an_answer_is_refused_by_the_server_naming_the_limit(app, client):
    link = make_invitation(app, role="parent")
    start(client, link)
    refused = post_page(client, screen_of(app, link, "worries"), {"worries": "x" * 2001})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert (
        "must be 2,000 characters or fewer" in html and 'data-module="govuk-error-summary"' in html
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
