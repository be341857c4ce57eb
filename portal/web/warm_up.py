"""Work each gunicorn worker would otherwise repeat on its first requests, done once beforehand.

With `preload_app` (gunicorn.conf.py) the master builds the app and forks every worker from it,
including the ones that replace recycled or killed workers. Compiling the templates and loading
every language's catalogue and CLDR data in the master means a fresh worker starts warm: its first
pages cost what any page costs, not the ~100 ms of compiling that put a recycled worker's queue
behind it in the p99. Only process-local, read-only state is made here: no database
connection.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from portal.languages.i18n import language_name, page_translations, text_direction


def warm_up(app: Flask) -> None:
    """Compile every template and load every catalogue and CLDR locale into this process."""
    env = app.jinja_env
    for name in env.list_templates(extensions=("html", "txt")):
        env.get_template(name)
    with app.test_request_context("/"):
        for code in app.config["LANGUAGES"]:
            with force_locale(code):
                page_translations()
            language_name(code)  # CLDR data loads slowly the first time the switcher is drawn
            text_direction(code)


def warm_up_wsgi(application: object) -> None:
    """warm_up for the Flask app gunicorn loaded (itself, or the app inside a WSGI middleware)."""
    while not isinstance(application, Flask) and hasattr(application, "app"):
        application = application.app
    if isinstance(application, Flask):
        warm_up(application)
