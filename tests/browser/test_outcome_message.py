"""The young person's "What happened at your review" page in Pashto and Arabic (right to left)
at 375x667: axe clean, the pictures for the 4-7 band, a big button on to the feedback form."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Review, ReviewOutcome
from tests.browser.wcag import no_violations
from tests.respond_support import make_invitation

pytestmark = pytest.mark.browser
TRANSLATED = "تاسو به له سام سره پاتې شئ."


def with_message(app, review_id: int, language: str, *, translated: bool) -> None:
    with app.app_context():
        review = db.session.get(Review, review_id)
        review.status = "held"
        db.session.add(
            ReviewOutcome(
                review=review,
                talked_about="We talked about school.",
                decided="You will stay with Sam.",
                next_steps="Your social worker will visit soon.",
                who_to_talk_to="You can talk to me or your carer.",
                translation={"language": language, "decided": TRANSLATED} if translated else None,
            )
        )
        db.session.commit()


@pytest.mark.parametrize(
    ("lang", "age", "translated"), [("ps", 6, True), ("ar", 9, False), ("ps", 14, False)]
)
def test_the_message_page_in_a_right_to_left_language(
    page, live_server, artifacts, lang, age, translated
):
    link = make_invitation(live_server.app, role="child", age=age, stage="feedback", language=lang)
    with_message(live_server.app, link.review_id, lang, translated=translated)
    page.goto(f"{live_server.url}{link.url}")
    assert page.url.endswith("/r/message")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    assert page.get_by_text("You will stay with Sam.").is_visible()
    assert page.locator(".outcome__pending").count() == (0 if translated else 1)
    # A picture beside each heading shown (the translated one too) for the 4-7 band only.
    assert page.locator(".outcome__picture").count() == (
        (5 if translated else 4) if age <= 7 else 0
    )
    no_violations(page)
    page.screenshot(path=str(artifacts / f"message-{lang}-{age}.png"), full_page=True)
    carry_on = page.locator("a.outcome__continue")
    box = carry_on.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a big tap target
    carry_on.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/r/start")
