"""A bare Flask "hello" app: the yardstick the portal's pages are measured against."""

from __future__ import annotations

from flask import Flask


def bare_app() -> Flask:
    """The smallest Flask app: one route returning a short string."""
    bare = Flask("bare")

    @bare.get("/hello")
    def hello() -> str:
        return "hello"

    return bare
