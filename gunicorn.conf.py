"""gunicorn settings for the portal (README, "Deploying"). Override any of them with GUNICORN_* env.

Run: `gunicorn -c gunicorn.conf.py "portal:create_app()"` behind a TLS-terminating reverse proxy.
"""

import multiprocessing
import os

from portal.web.security import install_log_redaction

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"  # short requests, no websockets: sync workers are the simple, safe choice
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then so a slow leak can never build up: rarely, because each recycle
# holds up the requests queued at that worker, and staggered (jitter) so workers never all go at
# once. Once per hundred thousand requests a worker, a recycle does not show in p99 under load.
max_requests = 100_000
max_requests_jitter = 10_000
# Load the app once in the master and fork workers from it: a recycled (or killed) worker is back
# in milliseconds instead of spending a second of CPU importing the app while requests queue behind
# it (docs/speed.md has the figures). create_app opens no database or Redis connection, so nothing is shared across forks.
preload_app = True
# The proxy's address: only it may set X-Forwarded-* (the app also needs PROXY_FIX_HOPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# No referrer or user agent: the request line is enough, and link tokens in it are redacted.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
# gunicorn's logger, but building only the fields that line prints, not one for every header and
# environ entry of every request (portal/web/access_log.py).
logger_class = "portal.web.access_log.AccessLogger"


def when_ready(server):
    """In the master, before any worker is forked: compile templates, load catalogues."""
    if server.cfg.preload_app:
        from portal.web.warm_up import warm_up_wsgi

        warm_up_wsgi(server.app.wsgi())


def post_fork(server, worker):
    """Each worker's access and error logs go through the token-redacting filter."""
    install_log_redaction()


install_log_redaction()
