"""Every control a respondent taps is at least 44x44 CSS px on a 375x667 phone, in English and
Arabic (WCAG 2.5.5 / 2.5.8): start, a question, check your answers, saved for later,
the code page and thank you, with the language list open and the skip link focused."""

from __future__ import annotations

import pytest

from tests.browser.journey import start_and_answer
from tests.respond_support import make_invitation

pytestmark = pytest.mark.browser
MIN = 44

# Each visible control's tap target, measured as the browser lays it out. A radio or checkbox is
# tapped through the label that wraps it, so the label is its target. A link inside running text
# (a sentence with other words around it) is excluded, as WCAG 2.5.8 allows for inline targets;
# a link standing on its own ("Change", "I don't want to answer", Back) is not.
SMALL_TARGETS = """([min, scope]) => {
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith('inline')) node = node.parentElement;
    return node;
  };
  const inRunningText = (el) => {
    const block = blockOf(el);
    if (block === null || /flex|grid/.test(getComputedStyle(block).display)) return false;
    return block.textContent.trim() !== el.textContent.trim();  // words around it
  };
  const found = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(scope + ' :is(' + controls + ')')) {
    const target = el.matches('input[type=radio], input[type=checkbox]') ? (el.closest('label') || el) : el;
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    const shown = box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
      && box.right > 0 && box.bottom > 0 && box.left < window.innerWidth;
    if (!shown || (el.tagName === 'A' && inRunningText(el))) continue;
    if (box.width < min || box.height < min) {
      const name = (el.textContent || el.value || el.name || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
      found.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return found;
}"""


def small_targets(page, where: str) -> list[str]:
    """The page's too-small targets, with the language list open and the skip link focused."""
    page.wait_for_load_state("load")
    found = [f"{where}: {t}" for t in page.evaluate(SMALL_TARGETS, [MIN, "body"])]
    switcher = page.locator("details.language-switcher")
    if switcher.count():
        switcher.locator("summary").click()
        languages = page.evaluate(SMALL_TARGETS, [MIN, ".language-switcher__list"])
        assert page.locator(".language-switcher__list a").first.is_visible()
        found += [f"{where} (languages): {t}" for t in languages]
        switcher.locator("summary").click()
    page.locator(".skip-link").focus()
    box = page.locator(".skip-link").bounding_box()
    if box["width"] < MIN or box["height"] < MIN:
        found.append(f"{where}: skip link {round(box['width'])}x{round(box['height'])}")
    page.locator(".skip-link").blur()
    return found


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_respondent_control_is_at_least_44_px_square(page, live_server, lang):
    link = make_invitation(live_server.app, role="child", age=9, language=lang)
    page.goto(live_server.url + link.url)
    assert page.url.endswith("/r/start")
    found = small_targets(page, "start")
    start_and_answer(page, pages=1)
    found += small_targets(page, "question")
    page.locator("main form button[value=save_later]").click()
    page.wait_for_url("**/r/saved")
    found += small_targets(page, "saved")
    page.goto(live_server.url + "/r/check")
    found += small_targets(page, "check")
    assert page.locator("main dd a").count() > 3  # the Change links were measured
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/r/sent")
    found += small_targets(page, "sent")
    page.goto(f"{live_server.url}/q?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    found += small_targets(page, "code")
    page.goto(f"{live_server.url}/r/{'x' * 43}")  # a link we cannot find
    found += small_targets(page, "link problem")
    assert found == [], "\n".join(found)
