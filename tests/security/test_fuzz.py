"""Hostile input on every route and every form field: never a 5xx, never stored unescaped.

Generic over the URL map, so routes added later are fuzzed without touching this file. Runs are
derandomized (the same examples every time, so CI is stable); FUZZ_EXAMPLES=500 runs a bigger
search locally.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.forms import page_forms
from tests.security.routes import query_names, routes, staff_get_routes, url_for_rule

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MARKER = "x8fz"
PAYLOADS = [
    f"<script>alert('{MARKER}')</script>",
    f'"><img src=x onerror=alert("{MARKER}")>',
    f"javascript:alert('{MARKER}')",
    "' OR '1'='1' --",
    "1; DROP TABLE response; --",
    "\x00",
    "../../../../etc/passwd",
    "%2e%2e%2f%2e%2e%2f",
    "{{7*7}}{% raw %}",
    "\u202e\u0644\u0627 \U0001f600 \ufeff",
    "A" * 5000,
    "-1",
    "99999999999999999999999",
    "",
    " ",
    "\r\nSet-Cookie: x=1",
]
hostile_text = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=300))
# What a staff filter might be sent instead of an id, a date, a period or a search word.
QUERY_PAYLOADS = [
    "99999999999999999999", "-99999999999999999999", "-1", "0", "2147483648", "1e308", "NaN",
    "\x00", "a\x00b", "\r\nSet-Cookie: x=1", "\x1b[31m", "\u2028",
    "9999-12-31", "0001-01-01", "0001-01-01..9999-12-31", "2017-03-31..2017-01-01",
    "9999/00", "0000-01", "9999-W52", "2017-W99", "2017-02-30", "31/12/9999",
    "\u202e\u0644\u0627 \U0001f600 \ufeff", "A" * 5000, "%00", "csv", "xlsx", "1",
]  # fmt: skip
hostile_query_value = st.one_of(st.sampled_from(QUERY_PAYLOADS), st.text(max_size=100))
STAFF_ROLES = ("admin", "iro", "manager")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SKIP_ENDPOINTS = ("auth.sign_out",)  # would end the signed-in fuzzer's own session


def _fuzzable(app, world):
    return [route for route in routes(app, world) if route.endpoint not in SKIP_ENDPOINTS]


def _assert_handled(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    body = response.get_data(as_text=True)
    assert f"<script>alert('{MARKER}')" not in body, f"{what}: script echoed unescaped"
    assert f'onerror=alert("{MARKER}")' not in body, f"{what}: handler echoed unescaped"


def test_hostile_path_arguments_and_methods_never_cause_a_server_error(app, world, client_as):
    clients = {"anonymous": client_as(None), "admin": client_as("admin")}
    candidates = [route for route in _fuzzable(app, world) if route.rule.arguments] or _fuzzable(
        app, world
    )

    @FUZZ
    @given(
        route=st.sampled_from(candidates),
        value=hostile_text,
        method=st.sampled_from(METHODS),
        who=st.sampled_from(sorted(clients)),
    )
    def check(route, value, method, who):
        url = url_for_rule(route.rule, lambda _name: quote(value, safe="") or "x")
        response = clients[who].open(url or "/", method=method)
        _assert_handled(response, f"{who} {method} {url[:80]}")

    check()


def test_hostile_values_in_every_form_field_never_cause_a_server_error(app, world, client_as):
    clients = {"anonymous": client_as(None), "admin": client_as("admin"), "iro": client_as("iro")}
    targets = []
    for who, client in clients.items():
        for route in _fuzzable(app, world):
            if "GET" not in route.methods:
                continue
            page = client.get(route.url, follow_redirects=True)
            if page.status_code != 200 or page.mimetype != "text/html":
                continue
            for form in page_forms(page.get_data(as_text=True), page.request.path):
                if form.method == "POST" and form.fields and "sign-out" not in form.action:
                    targets.append((who, route.url, form))
    assert targets, "at least the sign-in form"

    @FUZZ
    @given(target=st.sampled_from(targets), data=st.data())
    def check(target, data):
        who, page_url, form = target
        payload = {}
        for name, offered in form.fields.items():
            if name == "csrf_token":
                payload[name] = form.csrf_token
            else:
                payload[name] = data.draw(st.one_of(hostile_text, st.sampled_from(offered or [""])))
        if data.draw(st.booleans()):
            payload[data.draw(st.sampled_from(["extra", "answers", "__proto__"]))] = data.draw(
                hostile_text
            )
        response = clients[who].post(form.action, data=payload)
        _assert_handled(response, f"{who} POST {form.action} from {page_url}")

    check()
    _assert_no_page_shows_a_payload_unescaped(app, world, clients)


def _assert_no_page_shows_a_payload_unescaped(app, world, clients) -> None:
    """After the fuzzing, every page (the PageCheckingClient also rejects inline script)."""
    for who, client in clients.items():
        for route in routes(app, world):
            if "GET" in route.methods:
                _assert_handled(client.get(route.url), f"{who} GET {route.url} after fuzzing")


def test_raw_bodies_invalid_utf8_huge_and_wrong_types_are_refused_cleanly(app, world, client_as):
    client = client_as("admin")
    limit = app.config["MAX_CONTENT_LENGTH"]
    bodies = [
        (b"field=%ff%fe%fd&csrf_token=%c3%28", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00garbage\x80", "application/x-www-form-urlencoded"),
        (b"a=" + b"x" * (limit + 10), "application/x-www-form-urlencoded"),
        (b'{"answers": {"$where": "1"}}', "application/json"),
        (b"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n\xff\r\n--b--\r\n",
         "multipart/form-data; boundary=b"),
        (b"--broken", "multipart/form-data; boundary=zz"),
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
         "application/xml"),
    ]  # fmt: skip
    for route in _fuzzable(app, world):
        for body, content_type in bodies:
            for method in ("POST", "PUT"):
                response = client.open(
                    route.url, method=method, data=body, content_type=content_type
                )
                _assert_handled(response, f"{method} {route.url} {content_type} {len(body)}B")
        for trick in ("%00", "%ff", "..%2f..%2f", "%c0%ae%c0%ae/", "//evil.example/", "?a=%ff"):
            response = client.get(route.url + trick)
            _assert_handled(response, f"GET {route.url}{trick}")


def _role_clients(client_as) -> dict:
    return {"anonymous": client_as(None), **{role: client_as(role) for role in STAFF_ROLES}}


def test_every_staff_route_as_every_role_survives_hostile_query_values(app, world, client_as):
    """Each hostile value in every filter the app reads at once, on every staff GET route."""
    clients, names = _role_clients(client_as), query_names()
    for route in staff_get_routes(app, world):
        for value in QUERY_PAYLOADS:
            query = urlencode(dict.fromkeys(names, value))
            for who, client in clients.items():
                response = client.get(f"{route.url}?{query}")
                _assert_handled(response, f"{who} GET {route.url} all filters={value[:40]!r}")


def test_hostile_values_in_one_query_filter_never_cause_a_server_error(app, world, client_as):
    """One filter at a time (so an earlier refusal cannot hide a later filter's failure)."""
    clients, names = _role_clients(client_as), query_names()
    candidates = staff_get_routes(app, world)

    @settings(FUZZ, max_examples=EXAMPLES * 8)
    @given(
        route=st.sampled_from(candidates),
        name=st.sampled_from(names),
        value=hostile_query_value,
        who=st.sampled_from(sorted(clients)),
    )
    def check(route, name, value, who):
        response = clients[who].get(f"{route.url}?{urlencode({name: value})}")
        _assert_handled(response, f"{who} GET {route.url} {name}={value[:40]!r}")

    check()
