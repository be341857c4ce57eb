"""Who may see what: one decorator for every admin route, and object access where it is loaded.

- admin (business support): every child and review; manages users; keys in paper forms.
- iro: only reviews they chair (and those reviews' children and answers).
- manager: everything, read only, and all reports.
An object the user may not see is a 404, never a 403, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import Select

from portal.extensions import db
from portal.models import STAFF_ROLES, Child, Invitation, Review, StaffUser

F = TypeVar("F", bound=Callable[..., Any])
READ_ROLES = STAFF_ROLES


def staff_required(*roles: str) -> Callable[[F], F]:
    """Require a signed-in, active staff user with one of `roles` (default: any staff role).

    Every admin view carries this decorator; a test walks the URL map and fails if one does not.
    """
    allowed = roles or READ_ROLES

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.staff_roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def sees_everything(user: StaffUser) -> bool:
    """Admins and managers see every review; IROs see their own."""
    return user.sees_everything


def visible_reviews(user: StaffUser, query: Select[Any] | None = None) -> Select[Any]:
    """Restrict a Review query to what `user` may see."""
    query = query if query is not None else db.select(Review)
    if sees_everything(user):
        return query
    return query.where(Review.iro_id == user.id)


def get_review_or_404(review_id: int, user: StaffUser) -> Review:
    """Load a review the user may see, or 404 (not 403: never confirm that an id exists)."""
    return db.one_or_404(visible_reviews(user).where(Review.id == review_id))


# --- Children and invitations are loaded through the same rule ---


def visible_children(user: StaffUser, query: Select[Any] | None = None) -> Select[Any]:
    """Restrict a Child query to what `user` may see (an IRO: children they are allocated)."""
    query = query if query is not None else db.select(Child)
    if sees_everything(user):
        return query
    chaired = db.select(Review.child_id).where(Review.iro_id == user.id)
    return query.where((Child.iro_id == user.id) | Child.id.in_(chaired))


def get_child_or_404(child_id: int, user: StaffUser) -> Child:
    """Load a child the user may see, or 404."""
    return db.one_or_404(visible_children(user).where(Child.id == child_id))


def get_invitation_or_404(invitation_id: int, user: StaffUser) -> Invitation:
    """Load an invitation whose review the user may see, or 404."""
    query = visible_reviews(user, db.select(Invitation).join(Review)).where(
        Invitation.id == invitation_id
    )
    return db.one_or_404(query)
