"""The data model: typed SQLAlchemy 2 models, one module per area, every name importable from here.

Personal data is kept to the least the work needs: a child has a case reference, a first name
(or known-as) and a date of birth for the age band, and no address or surname. The people to
invite for a child (`Contact`, imported from the case system) carry the email and postal address
a form is sent to; purge deletes them when the child is anonymised. Link tokens and
short codes are stored only as SHA-256 hashes (see portal.crypto.tokens).
"""

from portal.models.alerts import (
    ALERT_REASONS,
    ALERT_WORDS,
    HELP_OPTION_KEY,
    HELP_QUESTION_KEY,
    AdvocacyRequest,
    SafeguardingAlert,
)
from portal.models.columns import Timestamp, UTCDateTime, utcnow
from portal.models.invitations import (
    CHANNELS,
    CHASE_KINDS,
    DELIVERY_FINAL,
    RETURN_CHANNELS,
    SEND_UNCERTAIN,
    STAGES,
    ChaseNote,
    Invitation,
    MeetingQR,
)
from portal.models.responses import (
    HELPED_BY,
    RESPONSE_SOURCES,
    WITH_AN_ADULT,
    Draft,
    Response,
    ResponseRead,
)
from portal.models.reviews import (
    PARTICIPATION_CODES,
    REVIEW_KINDS,
    REVIEW_STATUSES,
    ROLES,
    STAND_DOWN_REASONS,
    Child,
    Contact,
    Review,
    ReviewOutcome,
)
from portal.models.staff import (
    ADMIN_ROLES,
    AUDIT_ROLES,
    STAFF_ROLES,
    WHOLE_TEAM_ROLES,
    WRITE_ROLES,
    AuditEvent,
    PasswordReset,
    Setting,
    StaffSession,
    StaffUser,
)

__all__ = [
    "ADMIN_ROLES",
    "ALERT_REASONS",
    "ALERT_WORDS",
    "AUDIT_ROLES",
    "CHANNELS",
    "CHASE_KINDS",
    "DELIVERY_FINAL",
    "HELPED_BY",
    "HELP_OPTION_KEY",
    "HELP_QUESTION_KEY",
    "PARTICIPATION_CODES",
    "RESPONSE_SOURCES",
    "RETURN_CHANNELS",
    "REVIEW_KINDS",
    "REVIEW_STATUSES",
    "ROLES",
    "SEND_UNCERTAIN",
    "STAFF_ROLES",
    "STAGES",
    "STAND_DOWN_REASONS",
    "WHOLE_TEAM_ROLES",
    "WITH_AN_ADULT",
    "WRITE_ROLES",
    "AdvocacyRequest",
    "AuditEvent",
    "ChaseNote",
    "Child",
    "Contact",
    "Draft",
    "Invitation",
    "MeetingQR",
    "PasswordReset",
    "Response",
    "ResponseRead",
    "Review",
    "ReviewOutcome",
    "SafeguardingAlert",
    "Setting",
    "StaffSession",
    "StaffUser",
    "Timestamp",
    "UTCDateTime",
    "utcnow",
]
