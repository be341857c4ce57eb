import pytest

from portal.cli.demo import DEMO_CHILDREN, DEMO_PAST
from portal.extensions import db
from portal.models import Child, StaffUser


def test_demo_loads_once_and_prints_the_password_once(runner, app):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo password" in first.output
    second = runner.invoke(args=["demo"])
    assert "already loaded" in second.output and "Demo password" not in second.output
    with app.app_context():
        assert db.session.query(Child).count() == len(DEMO_CHILDREN) + len(DEMO_PAST)
        roles = {u.role for u in db.session.query(StaffUser)}
        assert roles == {"admin", "iro", "manager"}


def test_users_create_asks_for_a_password_and_never_echoes_it(runner, app):
    secret = "a-long-enough-password"
    result = runner.invoke(
        args=["users", "create", "--email", "New@Example.org", "--role", "iro"],
        input=f"{secret}\n{secret}\n",
    )
    assert result.exit_code == 0, result.output
    assert secret not in result.output
    with app.app_context():
        user = db.session.query(StaffUser).one()
        assert user.email == "new@example.org" and user.role == "iro"
        assert user.password_hash.startswith("$argon2")


def test_users_create_refuses_a_short_password(runner, app):
    result = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--role", "admin"],
        input="short\nshort\n",
    )
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.query(StaffUser).count() == 0


def test_forms_check_lists_every_form(runner):
    result = runner.invoke(args=["forms", "check"])
    assert result.exit_code == 0
    assert "child_feedback v1" in result.output


@pytest.mark.parametrize("history", [[], ["--history"]])
def test_demo_is_refused_in_production_and_changes_nothing(app, database_url, tmp_path, history):
    """The demo creates staff with one printed shared password: never on a live site. (`app`
    empties the tables afterwards.)"""
    from portal import create_app
    from tests.conftest import _config

    live = create_app(_config(database_url, tmp_path, PORTAL_ENV="production", TESTING=False))
    result = live.test_cli_runner().invoke(args=["demo", *history])
    assert result.exit_code != 0
    assert "PORTAL_ENV is development or testing" in result.output
    assert "Demo password" not in result.output and "Traceback" not in result.output
    with live.app_context():
        assert db.session.query(StaffUser).count() == 0
        assert db.session.query(Child).count() == 0


def test_demo_fills_the_team_contact_with_example_values_that_pass_the_settings_rules(runner, app):
    from portal.rules import settings

    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        team = settings.team_contact()
        assert team.name == "Example Council IRO team"
        assert team.phone.startswith("01632 960")  # Ofcom's drama range: no one answers
        assert team.email == "iro.team@example.org" and team.address_lines
        for key, value in settings.values().items():
            assert settings.problem(settings.BY_KEY[key], value) is None, key
