"""A 6-year-old in Arabic or Tigrinya on a 375x667 phone with no speech voice (headless Chromium
has none): "Read this to me" is there on the start, question and check pages and plays the sound
shipped with the site, fetched only when pressed (docs/adr/0069)."""

from __future__ import annotations

import pytest

from portal.config import PROJECT_ROOT
from tests.browser.wcag import no_violations
from tests.respond_support import make_invitation

pytestmark = pytest.mark.browser
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
# Wait until the shipped sound has really played a little (or ended), then report on it.
PLAYED = """() => {
  const audio = document.querySelector("[data-read-aloud] audio");
  return audio && (audio.currentTime > 0.2 || audio.ended) && !audio.error;
}"""


@pytest.fixture
def app_config():
    """The site's own forms: their words are the ones the shipped sound says."""
    return {"FORMS_DIR": str(PROJECT_ROOT / "forms")}


def press_read_aloud_and_hear_it(page, label: str) -> None:
    assert page.evaluate("speechSynthesis.getVoices().length") == 0
    audio = page.locator("[data-read-aloud] audio")
    assert audio.get_attribute("preload") == "none"
    with page.expect_response(lambda response: ".opus" in response.url) as sound:
        page.get_by_role("button", name=label).click()
    assert sound.value.status in (200, 206)
    assert sound.value.headers["content-type"] == "audio/ogg"
    page.wait_for_function(PLAYED, timeout=15_000)


@pytest.mark.parametrize(("language", "read_this"), [("ar", "اقرأ هذا لي"), ("ti", "እዚ ኣንብበለይ")])
def test_read_this_to_me_plays_shipped_sound_with_no_voice_on_the_phone(
    page, live_server, language, read_this, artifacts
):
    link = make_invitation(live_server.app, role="child", age=6, language=language)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + link.url)
    assert page.url.endswith("/r/start")
    assert not [url for url in requested if ".opus" in url]  # nothing until pressed
    no_violations(page)
    press_read_aloud_and_hear_it(page, read_this)

    page.locator("button.button--start").click()
    assert page.url.endswith("/r/page/1")
    press_read_aloud_and_hear_it(page, read_this)
    page.locator("img[src*='faces/sad.svg']").first.click()
    page.locator("button[value=continue]").click()
    page.locator("img[src*='home.svg']").first.click()
    page.locator("img[src*='people/friend.svg']").first.click()
    page.locator("button[value=continue]").click()

    page.goto(f"{live_server.url}/r/check")
    assert page.locator("img.answer-picture").count() == 3
    no_violations(page)
    if language == "ar":
        page.screenshot(path=str(SCREENSHOTS / "youngest-check-arabic-375x667.png"))
    press_read_aloud_and_hear_it(page, read_this)
    page.screenshot(path=str(artifacts / f"youngest-check-{language}.png"), full_page=True)
