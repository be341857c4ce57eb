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
