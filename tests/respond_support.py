"""Helpers for respondent journey tests: invitations with real tokens, finding and posting pages."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask

from portal.extensions import db
from portal.models import Child, Invitation, Review, StaffUser, utcnow
from portal.questionnaires import Screen, age_band, catalogue, engine
from portal.web.respond.journey import band_for
from tests.invitations import invite

TEST_FORMS = Path(__file__).resolve().parent / "fixtures" / "forms"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
AGES = {"4-7": 6, "8-11": 9, "12-17": 14, "16-25": 19}


@dataclass
class Link:
    """An invitation made for a test: its id, raw token and short code."""

    invitation_id: int
    token: str
    code: str
    review_id: int

    @property
    def url(self) -> str:
        return f"/r/{self.token}"


def make_review(
    *, age: int = 9, kind: str = "cared_for", first_name: str = "Maya", iro_email: str | None = None
) -> Review:
    """A child, their IRO and a review two weeks ahead (inside an app context)."""
    today = dt.date.today()
    iro = StaffUser(
        email=iro_email or f"iro.{secrets.token_hex(3)}@example.org",
        name="Priya Shah",
        role="iro",
    )
    child = Child(
        case_ref=f"CASE-{secrets.token_hex(4)}",
        first_name=first_name,
        date_of_birth=today.replace(year=today.year - age) - dt.timedelta(days=30),
        iro=iro,
    )
    review = Review(child=child, kind=kind, review_date=today + dt.timedelta(days=14), iro=iro)
    db.session.add_all([iro, child, review])
    db.session.flush()
    return review


def make_invitation(
    app: Flask,
    *,
    role: str = "child",
    age: int = 9,
    kind: str = "cared_for",
    stage: str = "consultation",
    form_key: str | None = None,
    review_id: int | None = None,
    language: str = "en",
    **fields: Any,
) -> Link:
    """A sent invitation with a fresh link, made by `tests.invitations.invite`."""
    with app.app_context():
        review = db.session.get(Review, review_id) if review_id else make_review(age=age, kind=kind)
        invited = invite(
            review,
            stage=stage,
            role=role,
            form_key=form_key,
            language=language,
            **{"sent_at": utcnow(), **fields},
        )
        db.session.commit()
        return Link(invited.invitation.id, invited.token, invited.code, review.id)


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def post_page(
    client: Any, number: int, data: dict[str, Any], *, from_check: bool = False, **kwargs: Any
) -> Any:
    """GET screen `number`, then post `data` to it with the page's CSRF token and shown keys;
    `from_check` comes to it by check answers' change link, so the answer returns there."""
    page = client.get(f"/r/page/{number}" + ("?return=check" if from_check else ""))
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    # As a browser without JavaScript posts: a disabled marker (a follow-up not yet asked) is not sent.
    shown = re.findall(r'name="_shown" value="([^"]+)">', html)
    returning = {"_return": "check"} if from_check else {}
    return client.post(
        f"/r/page/{number}",
        data={"csrf_token": csrf_from(html), "_shown": shown, **returning, **data},
        **kwargs,
    )


def screens_for(app: Flask, link: Link) -> tuple[Screen, ...]:
    """The screens this invitation's form shows, for its respondent's age band."""
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        return engine().screens(catalogue().get(invitation.form_key), band_for(invitation))


def screen_of(app: Flask, link: Link, question_key: str) -> int:
    """The 1-based number of the screen that asks `question_key` for this invitation: tests find
    pages by key so a real form's new question or reordered page does not break them."""
    for screen in screens_for(app, link):
        if question_key in screen.keys:
            return screen.number + 1
    raise AssertionError(f"no screen asks {question_key}")


def tell_not_safe(app: Flask, client: Any, link: Link) -> Any:
    """Tick "I don't feel safe where I live" among a child's worries (child_consultation): an
    alert when the page is saved. The box that follows, `worries`, is on the next screen for the
    youngest (one question a screen) and on the same one for older children."""
    number = screen_of(app, link, "worries_topics")
    return post_page(client, number, {"worries_topics": ["not_safe"]})


def press_together(url: str, phones: list[Any], tokens: list[str]) -> list[int]:
    """Post each phone's CSRF token to `url` at the same moment, as taps on two phones at once;
    the response statuses in the order they finished."""
    barrier = threading.Barrier(len(phones), timeout=30)
    statuses: list[int] = []

    def press(phone: Any, token: str) -> None:
        barrier.wait()
        statuses.append(phone.post(url, data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=press, args=pair) for pair in zip(phones, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def band_of(age: int, role: str = "child") -> str:
    return age_band(
        dt.date.today().replace(year=dt.date.today().year - age),
        dt.date.today(),
        care_leaver=role == "care_leaver",
    )


PAGE_BUDGET = 60 * 1024
_ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def page_weight(
    client: Any, url: str, cache: dict[str, int] | None = None
) -> tuple[int, list[str]]:
    """Bytes of a page plus every static asset it references (CSS, scripts, pictures, audio), and
    the assets that were missing, as a phone with an empty cache fetches them: each compressed
    with gzip -6, as the reverse proxy does (docs/deploying.md) and as the budget is set (under
    60 KB compressed; tests/browser/test_page_weight.py measures the same in Chromium)."""
    cache = {} if cache is None else cache
    page = client.get(url)
    if page.status_code == 302:  # a screen hidden by show_if: nothing to weigh
        return 0, []
    assert page.status_code in (200, 400, 409), (url, page.status_code)
    html = page.get_data()
    total, missing = len(gzip.compress(html, 6)), []
    for asset in sorted(set(_ASSET.findall(html.decode()))):
        if asset not in cache:
            fetched = client.get(asset)
            ok = fetched.status_code == 200
            cache[asset] = len(gzip.compress(fetched.get_data(), 6)) if ok else -1
        if cache[asset] < 0:
            missing.append(asset)
        else:
            total += cache[asset]
    return total, missing


def walk_form(app: Flask, client: Any, link: Link) -> dict[str, tuple[int, list[str]]]:
    """Weigh the start page, every screen of the form, check answers and thank you."""
    weights = {}
    client.get(link.url)
    weights["start"] = page_weight(client, "/r/start")
    screens = len(screens_for(app, link))
    for number in range(1, screens + 1):
        weights[f"page {number}"] = page_weight(client, f"/r/page/{number}")
    weights["check"] = page_weight(client, "/r/check")
    token = csrf_from(client.get("/r/check").get_data(as_text=True))
    client.post("/r/check", data={"csrf_token": token})
    weights["sent"] = page_weight(client, "/r/sent")
    return weights


@contextlib.contextmanager
def kept_on(app: Flask, keeper: Any) -> Iterator[Any]:
    """What `keeper` (frame, screen_shell) keeps, starting empty, with the cache on as in
    production; emptied again afterwards."""
    app.jinja_env.auto_reload = False
    keeper.clear()
    try:
        yield keeper.kept()
    finally:
        keeper.clear()


def named_child_link(app: Flask, first_name: str) -> Link:
    """A link to the form of a child with this first name (their own review and invitation)."""
    with app.app_context():
        review = make_review(first_name=first_name)
        db.session.commit()
        review_id = review.id
    return make_invitation(app, review_id=review_id)
