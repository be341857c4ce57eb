"""Checks every HTML page a test loads: a title, lang and dir, unique ids, labelled fields.

Modelled on GOV.UK Notify's page checker: problems fail the test that loaded the page.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from flask.testing import FlaskClient

LABELLABLE = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "image", "reset"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self.html_attrs: dict[str, str | None] = {}
        self.title = ""
        self._in_title = False
        self._label_depth = 0
        self.inline_scripts = 0
        self.inline_styles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_attrs = attributes
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if any(name.startswith("on") for name in attributes):
            self.inline_scripts += 1
        if "style" in attributes:
            self.inline_styles += 1
        if tag == "title":
            self._in_title = True
        elif tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.label_for.add(str(attributes["for"]))
        elif tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        elif tag == "style":
            self.inline_styles += 1
        elif tag in LABELLABLE:
            if tag == "input" and (attributes.get("type") or "text") in UNLABELLED_INPUT_TYPES:
                return
            self.fields.append({**attributes, "_wrapped": "1" if self._label_depth else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "label":
            self._label_depth = max(0, self._label_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def page_problems(html: str) -> list[str]:
    """Everything wrong with a page, as sentences."""
    collector = _Collector()
    collector.feed(html)
    problems = []
    if not collector.title.strip():
        problems.append("page has no <title>")
    if not collector.html_attrs.get("lang"):
        problems.append("<html> has no lang")
    if collector.html_attrs.get("dir") not in ("ltr", "rtl"):
        problems.append("<html> has no dir")
    repeated = [value for value, count in Counter(collector.ids).items() if count > 1]
    if repeated:
        problems.append(f"repeated ids: {repeated}")
    for field in collector.fields:
        labelled = (
            field.get("_wrapped")
            or field.get("aria-label")
            or field.get("aria-labelledby")
            or (field.get("id") and field["id"] in collector.label_for)
        )
        if not labelled:
            problems.append(f"field without a label: {field.get('name') or field.get('id')}")
    if collector.inline_scripts:
        problems.append("inline script or event handler (the CSP forbids them)")
    if collector.inline_styles:
        problems.append("inline style (the CSP forbids them)")
    return problems


class PageCheckingClient(FlaskClient):
    """A test client that checks every HTML page it receives."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and not response.is_streamed:
            problems = page_problems(response.get_data(as_text=True))
            assert not problems, f"{response.request.path}: {problems}"
        return response
