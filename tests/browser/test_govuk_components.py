"""GOV.UK Frontend's own components in real Chromium at 375x667, in English, Arabic and Tigrinya
(docs/adr/0067): a follow-up question opens right under the option that asks it, and
without JavaScript Continue brings the page back with a notice and the focus on it; text boxes
count characters; static files come from the browser's cache with no round trip."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.models import Draft, Invitation
from portal.questionnaires import catalogue, engine
from tests.browser.wcag import no_violations
from tests.respond_support import make_invitation

pytestmark = pytest.mark.browser
LANGUAGES = ["en", "ar", "ti"]
YES = "#q-anyone_not_wanted-0"  # "Is there anyone you do not want at your review?" - Yes
FOLLOW_UP = "#q-who_not_wanted"


def _screen_of(app, link, key: str) -> int:
    """The page number (from 1) of the screen asking `key`, for this link's form and age."""
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        form = catalogue().get(invitation.form_key)
        for screen in engine().screens(form, "12-17"):
            if key in screen.keys:
                return screen.number + 1
    raise AssertionError(f"no screen asks {key}")


@pytest.fixture
def review_page(live_server):
    """A 14-year-old's consultation link opened in the browser's session, and the URL of the page
    asking whether there is anyone they do not want at their review."""
    link = make_invitation(live_server.app, role="child", age=14)
    number = _screen_of(live_server.app, link, "anyone_not_wanted")
    return link, f"{live_server.url}/r/page/{number}"


def _saved(app, link) -> dict:
    with app.app_context():
        draft = db.session.scalar(db.select(Draft).where(Draft.invitation_id == link.invitation_id))
        return dict(draft.answers) if draft else {}


def _watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if message.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_follow_up_opens_right_under_its_option(
    page, live_server, review_page, lang, artifacts
):
    link, url = review_page
    problems = _watch_console(page)
    page.goto(live_server.url + link.url)
    page.goto(f"{url}?lang={lang}")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    follow_up = page.locator(FOLLOW_UP)
    assert follow_up.is_hidden()
    no_violations(page, f"{lang} closed")

    page.locator(YES).check()
    assert follow_up.is_visible()
    assert page.locator(YES).get_attribute("aria-controls") == "conditional-q-anyone_not_wanted-0"
    # Under "Yes" and above the next option, not further down the page.
    yes = page.locator(f"label[for='{YES[1:]}']").bounding_box()
    no = page.locator("label[for='q-anyone_not_wanted-1']").bounding_box()
    box = follow_up.bounding_box()
    assert yes["y"] + yes["height"] <= box["y"] and box["y"] + box["height"] <= no["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_violations(page, f"{lang} open")
    page.screenshot(path=str(artifacts / f"conditional-reveal-{lang}.png"), full_page=True)

    follow_up.fill("My uncle")
    with page.expect_navigation():
        page.locator("main form button[value=continue]").click()
    assert page.url != f"{url}?lang={lang}" and "/r/page/" in page.url  # moved on
    assert _saved(live_server.app, link)["who_not_wanted"] == "My uncle"
    assert problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_continue_asks_the_follow_up_with_a_notice_and_focus(
    browser, live_server, review_page, lang
):
    link, url = review_page
    # No script file loads (as on a phone where they fail or are off); axe is still injected.
    context = browser.new_context(viewport={"width": 375, "height": 667})
    context.route(re.compile(r"\.js(\?|$)"), lambda route: route.abort())
    page = context.new_page()
    page.goto(live_server.url + link.url)
    page.goto(f"{url}?lang={lang}")
    assert not page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert page.locator(FOLLOW_UP).is_hidden()
    page.locator(YES).check()
    assert page.locator(FOLLOW_UP).is_hidden()  # nothing opens before Continue
    with page.expect_navigation():
        page.locator("main form button[value=continue]").click()

    assert page.url.endswith("?added=who_not_wanted")
    assert page.locator("#q-who_not_wanted-added").is_visible()
    assert page.evaluate("document.activeElement.id") == "q-who_not_wanted"
    top = page.evaluate("document.getElementById('q-who_not_wanted').getBoundingClientRect().top")
    assert 0 <= top < 667  # scrolled to, not left further down the page
    assert _saved(live_server.app, link)["anyone_not_wanted"] == "yes"
    no_violations(page, f"{lang} added")
    page.locator(FOLLOW_UP).fill("My uncle")
    with page.expect_navigation():
        page.locator("main form button[value=continue]").click()
    assert "added=" not in page.url
    assert _saved(live_server.app, link)["who_not_wanted"] == "My uncle"
    context.close()


@pytest.mark.parametrize(("lang", "left", "over"), [("en", "490", "5"), ("ar", "490", "5")])
def test_the_character_count_counts_down_then_says_how_many_too_many(
    page, live_server, review_page, lang, left, over
):
    link, url = review_page
    problems = _watch_console(page)
    page.goto(live_server.url + link.url)
    page.goto(f"{url}?lang={lang}")
    page.locator(YES).check()
    status = page.locator(".govuk-character-count__status")
    page.locator(FOLLOW_UP).fill("x" * 10)
    assert left in status.inner_text()
    page.locator(FOLLOW_UP).fill("x" * 505)  # the script lifts maxlength, as GOV.UK does
    assert over in status.inner_text()
    assert "govuk-error-message" in (status.get_attribute("class") or "")
    assert page.locator("#q-who_not_wanted-info").evaluate(
        "element => element.classList.contains('govuk-visually-hidden')"
    )
    assert problems == []  # every plural form the language needs was given


def test_static_files_come_from_the_cache_with_no_round_trip(page, live_server, review_page):
    link, url = review_page
    served: list[str] = []
    page.on(
        "response",
        lambda response: (
            served.append(response.url)
            if "/static/" in response.url and not response.from_service_worker
            else None
        ),
    )
    page.goto(live_server.url + link.url)
    page.goto(url)
    first = [address for address in served if "?v=" in address]
    assert any("components.js" in address for address in first)
    with page.expect_navigation():
        page.locator(YES).check()
        page.locator("main form button[value=continue]").click()
    page.wait_for_load_state("load")
    # Every asset came from the browser's own cache: Chromium made no request to the server.
    timing = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('/static/')).map(e => [e.name, e.transferSize])"
    )
    assert timing and all(size == 0 for _name, size in timing), timing
