"""Static files carry a hash of their content in the URL, so a phone keeps them for a year.

`url_for("static", filename=...)` gains `?v=<hash>` through Flask's public `url_defaults` hook:
every template, email and script URL built the usual way is fingerprinted, with no helper to
remember. A response to a URL whose `v` is the file's current hash is cached for a year and
never revalidated (`immutable`); a changed file gets a new URL, so no phone keeps an old copy.
A URL without a hash, or with an old one, keeps Flask's usual revalidated caching.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

VERSION_ARG = "v"
CACHE_FOR_A_YEAR = "public, max-age=31536000, immutable"
_HASH_CHARS = 12  # 48 bits: plenty to tell two versions of one file apart


@lru_cache(maxsize=1024)
def _digest(path: str, _inode: int, _mtime_ns: int, _size: int) -> str:
    """The file's content hash; the stat fields are in the key so an edited file is read again."""
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:_HASH_CHARS]


def fingerprint(filename: str) -> str | None:
    """The content hash of a file under the static folder, or None if there is no such file."""
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _digest(path, stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and VERSION_ARG not in values and "filename" in values:
        digest = fingerprint(values["filename"])
        if digest is not None:
            values[VERSION_ARG] = digest


def _cache_fingerprinted(response: Response) -> Response:
    # Only the current hash earns a year: an old URL may be served new content.
    wanted = request.args.get(VERSION_ARG)
    if wanted and request.endpoint == "static" and response.status_code in (200, 206, 304):
        filename = (request.view_args or {}).get("filename", "")
        if fingerprint(filename) == wanted:
            response.headers["Cache-Control"] = CACHE_FOR_A_YEAR
    return response


def init_app(app: Flask) -> None:
    """Fingerprint static URLs and cache fingerprinted responses for a year."""
    app.url_defaults(_add_fingerprint)
    app.after_request(_cache_fingerprinted)
