"""Pages anyone can see: the landing page and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template

from .extensions import db

bp = Blueprint("public", __name__)


@bp.get("/")
def index() -> str:
    """Explain the site in two sentences to a young person and to a professional."""
    return render_template("index.html")


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Liveness and database reachability for the load balancer."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}, 200
