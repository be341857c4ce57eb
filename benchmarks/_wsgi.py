"""The app gunicorn serves in benchmarks: the portal, plus a bare Flask "hello" at /bare/hello.

The bare app exists only here (never in production code), mounted in the same process so both are
measured on the same gunicorn configuration, workers and connection handling.
"""

from __future__ import annotations

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from benchmarks._bare import bare_app
from portal import create_app

portal_app = create_app()
application = DispatcherMiddleware(portal_app, {"/bare": bare_app()})
