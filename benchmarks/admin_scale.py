"""The IRO workspace at scale: prepare and send invitations for 1,000 reviews, print 1,000 letters.

Everything goes through the real path: "Prepare all reviews in the next N weeks" on the dashboard
(one POST through the Flask test client, CSRF and all; `--prepare screen` instead goes through the
Prepare invitations screen, GET and POST for each review, as before bulk prepare), `send_due` (the code behind `portal send-due`) writing .eml files
to an outbox or talking SMTP to a local aiosmtpd server (in a process of its own, as a council's
mail relay is; `--smtp-thread` puts it in a thread of this process as the tests do, where its work
counts in send-due's time), and the bulk letter print screen (one page with 1,000 letters, each
with a fresh link and an inline SVG QR code).

    python -m benchmarks.admin_scale                    # 1,000 reviews, SQLite, outbox
    python -m benchmarks.admin_scale --smtp             # through a local SMTP server
    python -m benchmarks.admin_scale --smtp-thread      # the same server in a thread of this process
    python -m benchmarks.admin_scale --prepare screen   # one review at a time, as before
    python -m benchmarks.admin_scale --reviews 200 --database-url postgresql+psycopg://…/postgres
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

ROLES = ("child", "parent", "carer", "health", "education")
PASSWORD = "benchmark password long enough"


def _database(url: str | None, tmp: Path) -> tuple[str, Any]:
    if not url:
        return f"sqlite:///{tmp / 'admin_scale.db'}", lambda: None
    import sqlalchemy as sa

    base = sa.engine.make_url(url)
    name = f"admin_scale_{secrets.token_hex(3)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return base.set(database=name).render_as_string(hide_password=False), drop


def _seed(app: Any, reviews: int) -> list[int]:
    from portal.crypto.passwords import hash_password
    from portal.extensions import db
    from portal.models import Child, Contact, Review, StaffUser
    from portal.rules.workdays import add_working_days

    with app.app_context():
        db.session.add(StaffUser(email="admin@example.org", role="admin", name="Admin",
                                 password_hash=hash_password(PASSWORD)))  # fmt: skip
        iros = [
            StaffUser(email=f"iro{i}@example.org", role="iro", name=f"IRO {i}") for i in range(20)
        ]
        db.session.add_all(iros)
        db.session.flush()
        review_date = add_working_days(dt.date.today(), 8)  # consultation already due
        today = dt.date.today()
        for n in range(reviews):
            child = Child(case_ref=f"B-{n:05d}", first_name="Sam",
                          date_of_birth=today.replace(year=today.year - 5 - n % 12),
                          preferred_language=("en", "ar", "ps", "ti")[n % 4],
                          iro_id=iros[n % 20].id)  # fmt: skip
            db.session.add(Review(child=child, kind="cared_for", review_date=review_date,
                                  iro_id=iros[n % 20].id))  # fmt: skip
            # As `portal import contacts` would: the child by post, the adults by email.
            db.session.add(Contact(child=child, role="child", name="Sam",
                                   postal_address=f"{n} High Street\nTown"))  # fmt: skip
            db.session.add_all(
                Contact(child=child, role=role, name=f"{role} {n}",
                        email=f"{role}.{n}@example.org")
                for role in ROLES[1:]
            )  # fmt: skip
        db.session.commit()
        return list(db.session.execute(db.select(Review.id).order_by(Review.id)).scalars())


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html).group(1)


def _prepare(client: Any, review_id: int) -> None:
    url = f"/admin/reviews/{review_id}/invitations/prepare"
    html = client.get(url).get_data(as_text=True)
    keys = dict(
        re.findall(
            r'id="rows-(\d+)-form_key" name="[^"]+"><option selected value="([a-z_]*)"', html
        )
    )
    roles = re.findall(r'name="rows-(\d+)-role" type="hidden" value="([a-z_]*)"', html)
    data = {"csrf_token": _csrf(html)}
    for index, role in roles:
        post = role == "child"
        data |= {
            f"rows-{index}-include": "y",
            f"rows-{index}-role": role,
            f"rows-{index}-form_key": keys[index],
            f"rows-{index}-channel": "post" if post else "email",
            f"rows-{index}-language": "en",
            f"rows-{index}-recipient_name": f"{role} {review_id}",
            f"rows-{index}-recipient_email": "" if post else f"{role}.{review_id}@example.org",
        }
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _report(label: str, seconds: float, count: int, unit: str) -> None:
    print(f"   {label:<44} {seconds:8.2f} s  {count / seconds:8.1f} {unit}/s  "
          f"{1000 * seconds / count:7.2f} ms each", flush=True)  # fmt: skip


def run(reviews: int, smtp: str, database_url: str | None, prepare: str = "bulk") -> None:
    """`smtp`: "" (the outbox), "process" or "thread" (where the SMTP server runs)."""
    from portal import create_app
    from portal.delivery.sending import send_due
    from portal.extensions import db

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url, drop = _database(database_url, tmp)
        sink = controller = None
        stack = contextlib.ExitStack()
        received: list[int] = []
        config: dict[str, Any] = {
            "PORTAL_ENV": "testing", "SECRET_KEY": "benchmark", "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_DIR": str(tmp), "OUTBOX_DIR": str(tmp / "outbox"), "MAIL_URL": "",
            "RATELIMIT_ENABLED": False, "PORTAL_BASE_URL": "https://portal.example",
        }  # fmt: skip
        if smtp == "process":
            from benchmarks._smtp_sink import sink_process
            from tests.conftest import free_port

            config["MAIL_URL"], received = stack.enter_context(sink_process(free_port()))
        elif smtp == "thread":
            from aiosmtpd.controller import Controller

            from tests.conftest import SmtpSink, free_port

            sink = SmtpSink("127.0.0.1", free_port())
            controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
            controller.start()
            config["MAIL_URL"] = sink.url
        try:
            app = create_app(config)
            with app.app_context():
                from flask_migrate import upgrade

                upgrade(revision="heads")
            review_ids = _seed(app, reviews)
            client = app.test_client()
            html = client.get("/auth/sign-in").get_data(as_text=True)
            client.post("/auth/sign-in", data={"csrf_token": _csrf(html), "email": "admin@example.org",
                                               "password": PASSWORD})  # fmt: skip
            where = {"process": "SMTP to aiosmtpd in its own process",
                     "thread": "SMTP to aiosmtpd in a thread of this process"}  # fmt: skip
            print(f"   {reviews} reviews, {len(ROLES)} invitations each "
                  f"({where.get(smtp, 'outbox .eml files')}, {url.split(':')[0]})")  # fmt: skip

            started = time.perf_counter()
            if prepare == "screen":
                for review_id in review_ids:
                    _prepare(client, review_id)
                label = "prepare invitations (screen GET + POST)"
            else:
                html = client.get("/admin/").get_data(as_text=True)
                page = client.post("/admin/invitations/prepare-all",
                                   data={"csrf_token": _csrf(html), "weeks": "8"})  # fmt: skip
                assert page.status_code == 200, page.status_code
                label = "prepare all (dashboard, one POST)"
            _report(label, time.perf_counter() - started, reviews, "reviews")

            started = time.perf_counter()
            with app.app_context():
                report = send_due(dt.date.today())
                db.session.remove()
            emails = report.sent
            assert report.failed == 0 and emails == reviews * (len(ROLES) - 1), report
            _report(f"send-due: {emails} emails", time.perf_counter() - started, emails, "emails")
            if sink is not None:
                assert len(sink.messages) == emails

            started = time.perf_counter()
            html = client.get("/admin/letters").get_data(as_text=True)
            page = client.post("/admin/letters/print-due", data={"csrf_token": _csrf(html)})
            body = page.get_data()
            letters = body.count(b'<article class="letter"')
            assert letters == reviews, letters
            _report(f"print {letters} letters (one page, {len(body) / 1e6:.1f} MB)",
                    time.perf_counter() - started, letters, "letters")  # fmt: skip
            with app.app_context():
                db.engine.dispose()
        finally:
            if controller is not None:
                controller.stop()
            stack.close()
            drop()
        if smtp == "process":
            assert received == [emails], received


def main(argv: list[str]) -> None:
    """Entry point for `python -m benchmarks` and `python -m benchmarks.admin_scale`."""
    parser = argparse.ArgumentParser(prog="benchmarks.admin_scale", description=__doc__)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument(
        "--smtp",
        action="store_const",
        const="process",
        default="",
        help="send through a local aiosmtpd server in its own process",
    )
    parser.add_argument("--smtp-thread", dest="smtp", action="store_const", const="thread",
                        help="the same server in a thread of this process (as the tests run it)")  # fmt: skip
    parser.add_argument(
        "--database-url", help="a PostgreSQL server URL (a scratch database is made)"
    )
    parser.add_argument("--prepare", choices=("bulk", "screen"), default="bulk",
                        help="bulk: the dashboard's prepare all; screen: one review at a time")  # fmt: skip
    args = parser.parse_args(argv)
    run(args.reviews, args.smtp, args.database_url, args.prepare)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
