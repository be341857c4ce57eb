"""Children: list, add, view, edit."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.models import ADMIN_ROLES, Child
from portal.staff import audit
from portal.staff.access import get_child_or_404, staff_required, visible_children
from portal.web.admin import bp
from portal.web.admin.forms import ChildForm, language_choices, parse_date
from portal.web.admin.helpers import conflict, iro_choices, saved

PAGE_SIZE = 50


def _form(child: Child | None = None) -> ChildForm:
    form = ChildForm(obj=None if request.method == "POST" else child)
    form.iro_id.choices = iro_choices()
    form.preferred_language.choices = language_choices()
    if child is not None and request.method != "POST":
        form.iro_id.data = str(child.iro_id or "")
        form.date_of_birth.data = child.date_of_birth.isoformat()
        form.version_id.data = str(child.version_id)
    return form


def _duplicate(case_ref: str, child_id: int | None = None) -> bool:
    query = db.select(Child.id).where(Child.case_ref == case_ref)
    if child_id is not None:
        query = query.where(Child.id != child_id)
    return db.session.execute(query).first() is not None


def _apply(form: ChildForm, child: Child) -> None:
    child.case_ref = form.case_ref.data.strip()
    child.first_name = form.first_name.data.strip()
    child.date_of_birth = parse_date(form.date_of_birth.data)
    child.preferred_language = form.preferred_language.data
    child.iro_id = int(form.iro_id.data)


@bp.get("/children")
@staff_required()
def children() -> str:
    """Children the user may see, searchable by case reference or first name."""
    query = visible_children(current_user).order_by(Child.case_ref)
    search = (request.args.get("q") or "").strip()[:80]
    if search:
        like = f"%{search}%"
        query = query.where(Child.case_ref.ilike(like) | Child.first_name.ilike(like))
    found = list(db.session.execute(query.limit(PAGE_SIZE)).scalars())
    return render_template("admin/children.html", children=found, search=search)


@bp.route("/children/new", methods=["GET", "POST"])
@staff_required(*ADMIN_ROLES)
def child_new() -> str | Response | tuple[str, int]:
    """Add a child."""
    form = _form()
    if form.validate_on_submit():
        if _duplicate(form.case_ref.data.strip()):
            form.case_ref.errors.append(_("A child with this case reference already exists"))
        else:
            child = Child()
            _apply(form, child)
            db.session.add(child)
            try:
                db.session.flush()
            except IntegrityError:
                db.session.rollback()
                form.case_ref.errors.append(_("A child with this case reference already exists"))
            else:
                audit.record("child_created", child)
                db.session.commit()
                saved(_("Child added."))
                return redirect(url_for("admin.child", child_id=child.id))
    status = 400 if form.errors else 200
    return render_template("admin/child_form.html", form=form, child=None), status


@bp.get("/children/<int:child_id>")
@staff_required()
def child(child_id: int) -> str:
    """A child and their reviews."""
    found = get_child_or_404(child_id, current_user)
    return render_template("admin/child.html", child=found)


@bp.route("/children/<int:child_id>/edit", methods=["GET", "POST"])
@staff_required(*ADMIN_ROLES)
def child_edit(child_id: int) -> str | Response | tuple[str, int]:
    """Change a child's details (optimistic locking: a concurrent edit is not lost)."""
    found = get_child_or_404(child_id, current_user)
    form = _form(found)
    if form.validate_on_submit():
        if form.version_id.data != str(found.version_id):
            return conflict("admin/child_form.html", form=form, child=found)
        if _duplicate(form.case_ref.data.strip(), found.id):
            form.case_ref.errors.append(_("A child with this case reference already exists"))
        else:
            before = {c: getattr(found, c) for c in ("case_ref", "first_name", "date_of_birth",
                                                       "preferred_language", "iro_id")}  # fmt: skip
            _apply(form, found)
            changed = [c for c, v in before.items() if getattr(found, c) != v]
            audit.record("child_changed", found, fields=changed)
            try:
                db.session.commit()
            except StaleDataError:
                return conflict("admin/child_form.html", form=form, child=found)
            except IntegrityError:
                db.session.rollback()
                abort(409)
            saved(_("Child's details saved."))
            return redirect(url_for("admin.child", child_id=found.id))
    status = 400 if form.errors else 200
    return render_template("admin/child_form.html", form=form, child=found), status
