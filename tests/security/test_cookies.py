"""In production, every cookie is Secure, HttpOnly and SameSite, and HSTS is sent."""

from __future__ import annotations

import re

import pytest

from portal import create_app
from portal.config import load_config
from tests.security.routes import live_cookies


@pytest.fixture
def production_app(database_url, tmp_path):
    return create_app(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "a-production-secret-key-for-the-test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PORTAL_INSTANCE_DIR": str(tmp_path),
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


def test_production_config_marks_cookies_secure_httponly_and_samesite():
    config = load_config({"PORTAL_ENV": "production", "SECRET_KEY": "x" * 40})
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")


def test_session_cookie_set_in_production_is_secure_httponly_and_samesite(production_app):
    client = production_app.test_client()
    response = client.get("/auth/sign-in", base_url="https://portal.example.org")
    cookies = live_cookies(response)
    assert cookies, "the sign-in page sets a session cookie for its CSRF token"
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_forms_post_over_https_although_browsers_send_no_referer(production_app):
    """Referrer-Policy: no-referrer means a browser's form post carries no Referer header, so
    Flask-WTF's HTTPS referrer check would refuse every form behind TLS; the token decides."""
    client = production_app.test_client()
    base = "https://portal.example.org"
    page = client.get("/auth/sign-in", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)
    form = {"email": "nobody@example.org", "password": "not the password"}
    refused = "Your page timed out"  # the CSRF failure page
    signed_in = client.post("/auth/sign-in", base_url=base, data={**form, "csrf_token": token})
    assert refused not in signed_in.get_data(as_text=True)
    assert "<title>Error: Sign in" in signed_in.get_data(as_text=True)  # wrong password, as asked
    forged = client.post("/auth/sign-in", base_url=base, data={**form, "csrf_token": "forged"})
    assert forged.status_code == 400 and refused in forged.get_data(as_text=True)
