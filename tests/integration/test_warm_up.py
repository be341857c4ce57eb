"""gunicorn's master warms the app before forking workers (gunicorn.conf.py, preload_app)."""

from __future__ import annotations

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from portal.extensions import db
from portal.languages.i18n import language_name
from portal.web.warm_up import warm_up_wsgi


def test_warm_up_compiles_every_template_without_touching_the_database(app):
    with app.app_context():
        db.engine.dispose()
    language_name.cache_clear()
    warm_up_wsgi(DispatcherMiddleware(app, {}))  # as the benchmarks mount it
    names = app.jinja_env.list_templates(extensions=("html", "txt"))
    cached = {key[1] for key in app.jinja_env.cache}  # (loader ref, name) pairs
    assert names and set(names) <= cached
    assert language_name.cache_info().currsize >= len(app.config["LANGUAGES"])
    with app.app_context():
        assert db.engine.pool.checkedin() == 0 and db.engine.pool.checkedout() == 0
