"""The review voice portal: create_app is the only place the application is assembled."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import PROJECT_ROOT, load_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, overridden by `config` (tests pass their own)."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    # The environment decides, but a caller's PORTAL_ENV and SECRET_KEY take part in that decision
    # (tests and tools pass their own instead of editing os.environ).
    env = dict(os.environ)
    for key in ("PORTAL_ENV", "SECRET_KEY", "PORTAL_INSTANCE_DIR"):
        if config and config.get(key):
            env[key] = str(config[key])
    settings = load_config(env)
    if config:
        settings.update(config)
    app.config.update(settings)
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_blueprints(app)
    return app


def _init_extensions(app: Flask) -> None:
    from portal import cli, questionnaires, sqlite_journal
    from portal.extensions import babel, csrf, db, migrate
    from portal.languages import i18n
    from portal.web import (
        auth,
        character_count,
        errors,
        rate_limits,
        security,
        signing,
        static_files,
        templating,
    )

    db.init_app(app)
    sqlite_journal.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    signing.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    rate_limits.init_app(app)
    auth.init_login(app)
    i18n.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    character_count.init_app(app)
    questionnaires.init_app(app)
    cli.init_app(app)
    from portal.languages import read_aloud

    read_aloud.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from portal.web.admin import bp as admin_bp
    from portal.web.auth import bp as auth_bp
    from portal.web.notify_callback import bp as notify_bp
    from portal.web.public import bp as public_bp
    from portal.web.respond import bp as respond_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(notify_bp)
