"""axe-core in the browser tests: every page is held to the WCAG 2.2 A and AA rules, at the
phone and desktop sizes the team and families use."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# The bundled axe-core tags no rule wcag22a yet; the tag is listed so that a newer axe runs them.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
VIEWPORTS = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 800}}
_AXE = Axe()


def violations(page: Page, label: str) -> list[str]:
    """axe's report on the page, headed by `label`, as the one problem; none if no rule is broken."""
    results = _AXE.run(page, options={"runOnly": WCAG_TAGS})
    return [f"{label}: {results.generate_report()}"] if results.violations_count else []


def no_violations(page: Page, label: str = "page") -> None:
    """Fail the test with axe's report if the page breaks a rule."""
    problems = violations(page, label)
    assert problems == [], problems[0]
