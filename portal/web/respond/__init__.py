"""The respondent journey: /r/<token> (a link), /q (a code from a letter), /m/<token> (a meeting QR).

Routes are thin; the rules live in journey.py, portal.rules.responses, portal.rules.safeguarding and
portal.rules.meeting_qr.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("respond", __name__)

from portal.rules.responses import HELPED_BY_ANSWERS  # noqa: E402
from portal.web.respond import entry, help_now, views  # noqa: E402, F401  (routes register on bp)
from portal.web.respond.fragments import question_html  # noqa: E402
from portal.web.respond.snapshot import close_link_connection  # noqa: E402

bp.add_app_template_global(question_html)
bp.add_app_template_global(HELPED_BY_ANSWERS, "helped_by_answers")
bp.record_once(lambda state: state.app.teardown_appcontext(close_link_connection))
