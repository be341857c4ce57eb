"""Each rule has one home: roles and their names, helped-by values, today and expiry, who may act."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.models import HELPED_BY, REVIEW_KINDS, ROLES, STAFF_ROLES, Invitation, Review, StaffUser
from portal.rules import dates
from portal.rules.invitations import lacks_address
from portal.rules.responses import HELPED_BY_ANSWERS, HELPED_BY_LABELS
from portal.rules.roles import REVIEW_KIND_LABELS, ROLE_LABELS, is_young_person

NOW = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)


def test_the_young_person_is_the_child_or_the_care_leaver():
    assert [role for role in ROLES if is_young_person(role)] == ["child", "care_leaver"]
    assert not is_young_person(None)


def test_every_stored_value_has_one_label():
    assert set(ROLE_LABELS) == set(ROLES)
    assert set(REVIEW_KIND_LABELS) == set(REVIEW_KINDS)
    assert list(HELPED_BY_ANSWERS) == list(HELPED_BY_LABELS) == list(HELPED_BY)


def test_today_is_the_servers_date():
    assert dates.today() == dt.date.today()


@pytest.mark.parametrize(
    ("expires_at", "expired"),
    [
        (None, False),
        (NOW + dt.timedelta(seconds=1), False),
        (NOW, True),
        (NOW - dt.timedelta(1), True),
    ],
)
def test_something_expires_at_its_moment(expires_at, expired):
    assert dates.has_expired(expires_at, NOW) is expired


@pytest.mark.parametrize(
    ("role", "write", "administer", "audit", "everything"),
    [
        ("admin", True, True, True, True),
        ("iro", True, False, False, False),
        ("manager", False, False, True, True),
    ],
)
def test_what_each_staff_role_may_do(role, write, administer, audit, everything):
    user = StaffUser(role=role)
    assert (user.can_write, user.can_administer, user.can_read_audit, user.sees_everything) == (
        write, administer, audit, everything,
    )  # fmt: skip
    assert role in STAFF_ROLES


def _invitation(**fields):
    return Invitation(**{"sent_at": None, "returned_at": None, "revoked_at": None, **fields})


def test_only_a_sent_open_link_can_be_extended():
    assert not _invitation().can_extend  # no link yet
    assert _invitation(sent_at=NOW).can_extend
    assert not _invitation(sent_at=NOW, revoked_at=NOW).can_extend
    assert not _invitation(sent_at=NOW, returned_at=NOW).can_extend


def test_a_returned_form_keeps_its_link_and_a_withdrawn_one_can_be_reissued():
    returned, revoked = _invitation(returned_at=NOW), _invitation(revoked_at=NOW)
    assert not returned.can_reissue and not returned.can_revoke and not returned.can_print_letter
    assert revoked.can_reissue and not revoked.can_revoke and not revoked.can_print_letter


@pytest.mark.parametrize(
    ("status", "held", "stand_down", "invite", "qr"),
    [
        ("scheduled", True, True, True, False),
        ("held", False, False, True, True),
        ("stood_down", False, False, False, False),
    ],
)
def test_what_can_happen_to_a_review_next(status, held, stand_down, invite, qr):
    review = Review(status=status)
    assert (review.can_mark_held, review.can_stand_down, review.can_invite) == (
        held,
        stand_down,
        invite,
    )
    assert review.can_show_meeting_qr is qr


def test_an_emailed_invitation_needs_an_address():
    assert lacks_address("email", None) and lacks_address("email", "  ")
    assert not lacks_address("email", "a@example.org")
    assert not lacks_address("post", None)
