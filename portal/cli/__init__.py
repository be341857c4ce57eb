"""The `portal` command: Flask's group (run, shell, db …) plus the portal's own commands."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from portal.crypto.passwords import hash_password, password_problem
from portal.extensions import db
from portal.models import STAFF_ROLES, StaffUser
from portal.staff import audit


def _create_app() -> Flask:
    from portal import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """The review voice portal."""


def init_app(app: Flask) -> None:
    """Attach the portal's commands to the app (so `portal …` and the test runner see them)."""
    from portal.cli.participation import report_participation
    from portal.cli.prepare import invitations_group
    from portal.cli.reports import import_group, report_group
    from portal.cli.review_import import import_contacts_command, import_reviews_command
    from portal.cli.sending import notify_status_command, send_due_command
    from portal.cli.translations import translations_group
    from portal.rules.retention import purge_command

    import_group.add_command(import_reviews_command)
    import_group.add_command(import_contacts_command)
    # Beside `report returns` and `report feedback`; its own module keeps reports.py small.
    report_group.add_command(report_participation)
    for command in (
        demo_command,
        users_group,
        forms_group,
        translations_group,
        import_group,
        report_group,
        invitations_group,
        send_due_command,
        notify_status_command,
        purge_command,
    ):
        app.cli.add_command(command)


@click.command("demo")
@click.option("--history", is_flag=True, help="Also import two years of returns and feedback.")
@with_appcontext
def demo_command(history: bool = False) -> None:
    """Load the demo data once (does nothing if it is already there). Development and testing
    only: it is refused when PORTAL_ENV is production."""
    from portal.cli.demo import DemoRefused, load_demo

    try:
        if not load_demo(click.echo):
            click.echo("Demo data already loaded.")
    except DemoRefused as error:
        raise click.ClickException(str(error)) from error
    if history:  # two years of forms, so the report screens have something to show
        from portal.cli.demo_history import load_history

        load_history(click.echo)


@click.group("users")
def users_group() -> None:
    """Manage staff accounts."""


@users_group.command("create")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--role", required=True, type=click.Choice(STAFF_ROLES))
@click.option("--name", default="", help="Name shown to colleagues.")
@click.password_option(help="Asked for if not given; never echoed.")
@with_appcontext
def users_create(email: str, role: str, name: str, password: str) -> None:
    """Create a staff account."""
    email = email.strip().lower()
    problem = password_problem(password, (email, name))
    if problem:
        raise click.ClickException(problem)
    if db.session.execute(db.select(StaffUser).where(StaffUser.email == email)).first():
        raise click.ClickException(f"A user with email {email} already exists")
    user = StaffUser(email=email, role=role, name=name, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", user, role=role, via="cli")
    db.session.commit()
    click.echo(f"Created {role} user {email}")


@click.group("forms")
def forms_group() -> None:
    """Form definitions."""


@forms_group.command("check")
@with_appcontext
def forms_check() -> None:
    """Validate every form definition (start-up already refuses invalid ones)."""
    from portal.questionnaires import catalogue

    forms = list(catalogue())
    for form in forms:
        click.echo(f"{form.key} v{form.version}: {len(form.questions)} questions")
    # Every picture a form shows must exist, be small and be self-contained
    from pathlib import Path

    from portal.questionnaires.pictures import picture_problems

    problems = picture_problems(forms, Path(current_app.static_folder or "static") / "img")
    if problems:
        click.echo("\n".join(["Picture problems:", *problems]), err=True)
        raise SystemExit(1)
    click.echo(f"{len(forms)} forms OK ({current_app.config.get('FORMS_DIR') or 'forms/'})")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
