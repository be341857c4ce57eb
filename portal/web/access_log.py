"""gunicorn's logger, building only the access-log fields the line prints (gunicorn.conf.py).

gunicorn's own `Logger.atoms` makes a field of every request header, response header and WSGI
environ entry on every request, and the portal's line prints six of them. Doing that for every
request was a large part of the cost of running under gunicorn.conf.py (docs/speed.md). This
logger builds just the fields the configured `access_log_format` names, and hands any format
that names something else (a header, the remote user) to gunicorn's own `atoms`, so a format
set through GUNICORN_CMD_ARGS still prints what gunicorn documents. Token redaction is unchanged:
the RedactSecretsFilter on `gunicorn.access` still redacts each field the line reads.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from gunicorn import glogging

Field = Callable[["AccessLogger", Any, Mapping[str, Any], dt.timedelta], object]


def _status(resp: Any) -> object:
    status = resp.status
    return status.split(None, 1)[0] if isinstance(status, str) else status


def _sent(resp: Any) -> object:
    sent = getattr(resp, "sent", None)
    return "-" if sent is None else str(sent)


# gunicorn's simple atoms, each computed as gunicorn computes it (gunicorn.glogging.Logger.atoms).
_FIELDS: dict[str, Field] = {
    "h": lambda _log, _resp, environ, _took: environ.get("REMOTE_ADDR", "-"),
    "l": lambda _log, _resp, _environ, _took: "-",
    "t": lambda log, _resp, _environ, _took: log.now(),
    "r": lambda _log, _resp, environ, _took: (
        f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}"
    ),
    "s": lambda _log, resp, _environ, _took: _status(resp),
    "m": lambda _log, _resp, environ, _took: environ.get("REQUEST_METHOD"),
    "U": lambda _log, _resp, environ, _took: environ.get("PATH_INFO"),
    "q": lambda _log, _resp, environ, _took: environ.get("QUERY_STRING"),
    "H": lambda _log, _resp, environ, _took: environ.get("SERVER_PROTOCOL"),
    "b": lambda _log, resp, _environ, _took: _sent(resp),
    "B": lambda _log, resp, _environ, _took: getattr(resp, "sent", None),
    "f": lambda _log, _resp, environ, _took: environ.get("HTTP_REFERER", "-"),
    "a": lambda _log, _resp, environ, _took: environ.get("HTTP_USER_AGENT", "-"),
    "T": lambda _log, _resp, _environ, took: took.seconds,
    "D": lambda _log, _resp, _environ, took: took.seconds * 1_000_000 + took.microseconds,
    "M": lambda _log, _resp, _environ, took: took.seconds * 1000 + took.microseconds // 1000,
    "L": lambda _log, _resp, _environ, took: f"{took.seconds}.{took.microseconds:06d}",
    "p": lambda _log, _resp, _environ, _took: f"<{os.getpid()}>",
}
_NAMED = re.compile(r"%\(([^)]*)\)")


def fields_named(access_log_format: str) -> tuple[str, ...] | None:
    """The simple fields a format prints, or None if it names anything else."""
    names = tuple(dict.fromkeys(_NAMED.findall(access_log_format)))
    return names if all(name in _FIELDS for name in names) else None


class AccessLogger(glogging.Logger):
    """gunicorn's Logger, except that an access line's fields are built only if it prints them."""

    _format: str | None = None
    _names: tuple[str, ...] | None = None

    def atoms(
        self, resp: Any, req: Any, environ: Mapping[str, Any], request_time: dt.timedelta
    ) -> dict[str, object]:
        access_log_format = self.cfg.access_log_format
        if access_log_format != self._format:  # the configuration can be reloaded (HUP)
            self._format, self._names = access_log_format, fields_named(access_log_format)
        if self._names is None:
            return super().atoms(resp, req, environ, request_time)
        return {name: _FIELDS[name](self, resp, environ, request_time) for name in self._names}
