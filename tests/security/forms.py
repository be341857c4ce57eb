"""Find the forms on a page: where they post and which fields they carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> offered values

    @property
    def csrf_token(self) -> str | None:
        values = self.fields.get("csrf_token")
        return values[0] if values else None


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[PageForm] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                PageForm(a.get("action") or self.page_url, (a.get("method") or "get").upper())
            )
        elif not self.forms:
            return
        elif tag in ("input", "textarea", "button") and a.get("name"):
            self.forms[-1].fields.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1].fields.setdefault(self._select, [])
        elif tag == "option" and self._select:
            self.forms[-1].fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def page_forms(html: str, page_url: str) -> list[PageForm]:
    """Every <form> on the page, with its fields and the values it offers for each."""
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms
