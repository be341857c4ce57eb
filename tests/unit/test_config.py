import pytest

from portal import create_app
from portal.config import ConfigError, load_config


def test_production_without_secret_key_refuses_to_start():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"PORTAL_ENV": "production"})


def test_create_app_in_production_without_secret_key_refuses_to_start(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()


def test_production_is_the_default_environment():
    with pytest.raises(ConfigError):
        load_config({})


def test_production_cookies_are_secure_and_http_only():
    config = load_config({"PORTAL_ENV": "production", "SECRET_KEY": "x" * 40})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_keeps_one_secret_across_restarts(tmp_path):
    env = {"PORTAL_ENV": "development", "PORTAL_INSTANCE_DIR": str(tmp_path)}
    assert load_config(env)["SECRET_KEY"] == load_config(env)["SECRET_KEY"]


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="PORTAL_ENV"):
        load_config({"PORTAL_ENV": "staging"})


def test_database_url_defaults_to_sqlite_under_instance(tmp_path):
    config = load_config({"PORTAL_ENV": "testing", "PORTAL_INSTANCE_DIR": str(tmp_path)})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'portal.db'}"


NOTIFY_KEY = "portal_live-6c2a9c3e-0bd5-4cf2-9a43-5f86a5b1c9d0-f4c1d2e3-a4b5-4c6d-8e7f-90a1b2c3d4e5"


def test_notify_settings_are_read_and_default_to_notifys_public_api():
    config = load_config({"PORTAL_ENV": "testing", "NOTIFY_API_KEY": f" {NOTIFY_KEY} "})
    assert config["NOTIFY_API_KEY"] == NOTIFY_KEY
    assert config["NOTIFY_BASE_URL"] == "https://api.notifications.service.gov.uk"
    assert load_config({"PORTAL_ENV": "testing"})["NOTIFY_API_KEY"] == ""


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NOTIFY_API_KEY", NOTIFY_KEY[:-1], "not a GOV.UK Notify API key"),
        ("NOTIFY_SMS_TEMPLATE_ID", "my-template", "NOTIFY_SMS_TEMPLATE_ID must be a template ID"),
        ("NOTIFY_CALLBACK_TOKEN", "short", "at least 20 characters"),
    ],
)
def test_a_mistyped_notify_setting_refuses_to_start(name, value, message):
    with pytest.raises(ConfigError, match=message):
        load_config({"PORTAL_ENV": "testing", name: value})
