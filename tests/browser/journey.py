"""Walk a respondent's journey in the browser, whatever the form: answer each page and go on."""

from __future__ import annotations

from collections.abc import Iterator

from playwright.sync_api import Page


def answer_page(page: Page, text: str = "Fine, thank you") -> bool:
    """Answer every question on the page with its first choice; False if there is no form."""
    form = page.locator("main form[method=post], main form[method=POST]")
    if form.count() == 0:
        return False
    form = form.last
    seen: set[str] = set()
    for radio in form.locator("input[type=radio]").all():
        name = radio.get_attribute("name") or ""
        if name not in seen:
            seen.add(name)
            radio.check(force=True)
    for box in form.locator("textarea, input[type=text]").all():
        if box.is_visible():
            box.fill(text)
    return True


def submit(page: Page) -> None:
    """Press the page's main button (the last submit button in <main>'s form that carries on:
    not "Save and come back later", which leaves the form)."""
    buttons = "main form button[type=submit]:not([value=save_later]), main form input[type=submit]"
    with page.expect_navigation():
        page.locator(buttons).last.click()


def start_and_answer(page: Page, pages: int) -> None:
    """From the start page: tick who helped and start, then tick the first option on each of the
    first `pages` question pages and press Continue, ending on page `pages + 1`. Continue is
    found by its value, as the last button on a question page is Skip."""
    page.locator("input[name=helped_by]").first.check()
    page.locator("button.button--start").click()
    page.wait_for_url("**/r/page/1")
    for number in range(1, pages + 1):
        page.locator("main form input[type=radio]").first.check()
        page.locator("main form button[value=continue]").click()
        page.wait_for_url(f"**/r/page/{number + 1}")


def journey(page: Page, start_url: str, limit: int = 25) -> Iterator[str]:
    """Open a link, then yield each page's URL before answering it, until the thank-you page."""
    page.goto(start_url)
    for _ in range(limit):
        yield page.url
        if not answer_page(page):
            return
        before = page.url
        submit(page)
        if page.url == before and page.locator(".error-summary").count():
            return
