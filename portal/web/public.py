"""Pages anyone can see: the landing page and the health check."""

from __future__ import annotations

import logging

from flask import Blueprint, render_template
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.web.rate_limits import StoreState, store_state

bp = Blueprint("public", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def index() -> str:
    """Explain the site in two sentences to a young person and to a professional."""
    return render_template("index.html")


def database_ok() -> bool:
    """Whether the database answers a trivial query."""
    try:
        db.session.execute(db.text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("health check: database unreachable (%s)", type(error).__name__)
        return False
    return True


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """For the load balancer: 503 only when the database is down (no page works without it).

    A rate-limit store that is down leaves every page working on per-process limits, so the
    answer is 200 and "degraded": worth an alert, not worth taking the instance out of service.
    """
    database = database_ok()
    store = store_state()
    if not database:
        status, code = "down", 503
    elif store is StoreState.DOWN:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    body = {
        "status": status,
        "database": "ok" if database else "down",
        "rate_limit_store": str(store),
    }
    return body, code
