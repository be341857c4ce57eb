"""Walk the app's URL map: every rule, with sample arguments, so new routes are covered unseen."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from werkzeug.routing import Rule

import portal
from tests.security.world import World

SKIP_METHODS = {"HEAD", "OPTIONS"}
STAFF_PREFIXES = ("/admin", "/auth")
# How the app reads a query-string value: request.args directly or through a parsing helper.
_QUERY_READ = re.compile(
    r"""(?:args\.get(?:list)?\(|args\[|query_int\(|query_date\(|_choice\()\s*["'](\w+)["']"""
)


@dataclass(frozen=True)
class Route:
    rule: Rule
    url: str
    methods: frozenset[str]

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint


def sample_value(name: str, converter: str, world: World | None, link_iro: str = "iro") -> str:
    """A plausible value for a URL argument, pointing at the world's objects where it can."""
    if converter in ("IntegerConverter",):
        return "1"
    if converter == "PathConverter":
        return "css/portal.css"
    if world is not None and world.links:
        link = world.link_for(link_iro)
        lowered = name.lower()
        if "meeting" in lowered or lowered in ("qr", "qr_token"):
            return world.meeting_token
        if "code" in lowered:
            return link.code
        if "token" in lowered:
            return link.token
        if "form" in lowered or "key" in lowered:
            return link.form_key
        if "lang" in lowered or "locale" in lowered:
            return "en"
        if "stage" in lowered:
            return link.stage
        if "role" in lowered:
            return link.role
    return "sample"


def routes(app: Flask, world: World | None = None, link_iro: str = "iro") -> Iterator[Route]:
    """Every rule of the app with a concrete URL built from sample arguments."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        values = {
            name: sample_value(name, type(converter).__name__, world, link_iro)
            for name, converter in rule._converters.items()
        }
        url = url_for_rule(rule, lambda name: values.get(name, "sample"))
        yield Route(rule, url, frozenset(rule.methods or ()) - SKIP_METHODS)


def url_for_rule(rule: Rule, value_for: Callable[[str], str]) -> str:
    """The rule's path with each argument replaced by `value_for(name)` (no escaping)."""
    url = rule.rule
    for name in rule.arguments:
        value = value_for(name)
        url = re.sub(r"<(?:[^:<>]+:)?" + re.escape(name) + r">", lambda _m: value, url)
    return url


def live_cookies(response) -> list[str]:
    """Set-Cookie headers that store something (Flask-Login's empty deletions carry no data)."""
    return [
        cookie
        for cookie in response.headers.getlist("Set-Cookie")
        if not ("=;" in cookie.split(";", 1)[0] + ";" and "Max-Age=0" in cookie)
    ]


def staff_get_routes(app: Flask, world: World | None = None) -> list[Route]:
    """Every GET route of the team's screens and their sign-in."""
    return [
        route
        for route in routes(app, world)
        if "GET" in route.methods and route.url.startswith(STAFF_PREFIXES)
    ]


def query_names() -> list[str]:
    """Every query-string name the app reads, found in its source so new filters are covered."""
    found: set[str] = set()
    for path in Path(portal.__file__).parent.rglob("*.py"):
        found.update(_QUERY_READ.findall(path.read_text(encoding="utf-8")))
    return sorted(found)
