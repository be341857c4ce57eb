"""Upload the review schedule or the contacts (admins): a preview first, then "Confirm import".

The preview saves nothing. The uploaded file waits in the instance folder under a random name
(never a name or path from the browser) for UPLOAD_MINUTES; the confirm step imports that same
file, and only if it still gives the counts the admin saw (docs/adr/0058).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.importing import contacts, csvfile, reviews
from portal.importing.csvfile import ImportError_, Plan, Preview
from portal.models import ADMIN_ROLES
from portal.staff import audit
from portal.staff.access import staff_required
from portal.web.admin import bp
from portal.web.admin.helpers import saved
from portal.web.errors import ERROR_TEXT, render_error

UPLOAD_MINUTES = 30  # long enough to read a preview, short enough that files do not pile up
PENDING = "pending_import"  # session key: the upload this admin may confirm
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Kind:
    label: str
    plan: Callable[[Path], Plan]
    save: Callable[[Path], object]
    columns: dict[str, str]  # the importer's own table, as `--help` prints it


KINDS = {
    "reviews": Kind(_l("Reviews (the schedule)"), reviews.plan_import, reviews.import_reviews,
                    reviews.COLUMNS),
    "contacts": Kind(_l("Contacts (people to invite)"), contacts.plan_import,
                     contacts.import_contacts, contacts.COLUMNS),
}  # fmt: skip


def _folder() -> Path:
    folder = Path(current_app.config["INSTANCE_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_uploads(folder: Path) -> None:
    """Previews nobody confirmed: gone after UPLOAD_MINUTES (they hold personal data)."""
    cutoff = time.time() - UPLOAD_MINUTES * 60
    for path in folder.glob("*.csv"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _pending_path() -> tuple[str, Path] | None:
    """The kind and file of this admin's pending upload, if it is still there and fresh."""
    pending = session.get(PENDING) or {}
    upload_id, kind = pending.get("id", ""), pending.get("kind", "")
    if not _UPLOAD_ID.fullmatch(upload_id) or kind not in KINDS:
        return None
    path = _folder() / f"{upload_id}.csv"
    if not path.is_file() or path.stat().st_mtime < time.time() - UPLOAD_MINUTES * 60:
        return None
    return kind, path


def _page(status: int = 200, **context: object) -> tuple[str, int]:
    if "kind" not in context:  # (not on a 413: the form cannot be read then)
        context["kind"] = request.form.get("kind", "")
    return render_template("admin/import.html", kinds=KINDS, **context), status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> tuple[str, int]:
    """A file over MAX_CONTENT_LENGTH: say so on the upload page; elsewhere the usual page."""
    db.session.rollback()
    if request.endpoint != "admin.imports":
        title, body = ERROR_TEXT[413]
        return render_error(413, str(title), str(body))
    limit = current_app.config["MAX_CONTENT_LENGTH"] // 1024
    message = _("The file is larger than %(limit)d KB, the most the portal accepts. Split it into "
                "smaller files and import each one.", limit=limit)  # fmt: skip
    return _page(413, errors=[("file", message)], kind="")


@bp.route("/import", methods=["GET", "POST"])
@staff_required(*ADMIN_ROLES)
def imports() -> tuple[str, int]:
    """Choose what the file holds, upload it, and see what importing it would do."""
    if request.method == "GET":
        return _page()
    kind = request.form.get("kind", "")
    upload = request.files.get("file")
    errors = []
    if kind not in KINDS:
        errors.append(("kind-reviews", _("Choose what the file holds")))
    if upload is None or not upload.filename:
        errors.append(("file", _("Choose a CSV file to upload")))
    if errors:
        return _page(400, errors=errors)
    folder = _folder()
    _forget_old_uploads(folder)
    upload_id = secrets.token_hex(16)
    path = folder / f"{upload_id}.csv"
    upload.save(path)  # type: ignore[union-attr]
    try:
        preview = csvfile.preview(KINDS[kind].plan, path)
    except (ImportError_, ValueError, OSError):  # anything a strange file may raise: say so
        preview = Preview(None, [_("The file is not a CSV file")])
    db.session.rollback()  # a preview saves nothing, whatever it read
    audit.record("import_previewed", None, kind=kind, errors=len(preview.problems))
    db.session.commit()
    if not preview.ok:
        path.unlink(missing_ok=True)
        session.pop(PENDING, None)
        return _page(400, preview=preview, errors=[("file", _("The file has problems: nothing "
                                                             "was imported"))])  # fmt: skip
    session[PENDING] = {"id": upload_id, "kind": kind, "summary": preview.summary.line()}
    return _page(preview=preview, confirm=True)


@bp.post("/import/confirm")
@staff_required(*ADMIN_ROLES)
def imports_confirm() -> tuple[str, int] | Response:
    """Import the previewed file, if it would still do what the preview said."""
    pending = _pending_path()
    expected = (session.get(PENDING) or {}).get("summary")
    if pending is None or request.form.get("upload") != session[PENDING]["id"]:
        session.pop(PENDING, None)
        message = _("The preview has expired or was already imported. Upload the file again.")
        return _page(400, errors=[("file", message)])
    kind, path = pending
    preview = csvfile.preview(KINDS[kind].plan, path)
    if not preview.ok or preview.summary.line() != expected:
        # The portal changed since the preview (another import, a screen): show what it would
        # do now, and ask again, rather than save something the admin did not see.
        session[PENDING]["summary"] = preview.summary.line() if preview.ok else None
        session.modified = True
        message = _(
            "The portal changed since your preview. Check the new preview and confirm again."
        )
        return _page(409, preview=preview, confirm=preview.ok, kind=kind,
                     errors=[("file", message)])  # fmt: skip
    try:
        summary = KINDS[kind].save(path)
    except ImportError_:  # a change between the check and the save: nothing was saved
        db.session.rollback()
        return _page(409, errors=[("file", _("The import could not be saved. Try again."))])
    finally:
        path.unlink(missing_ok=True)
        session.pop(PENDING, None)
    saved(_("Imported: %(summary)s", summary=summary.line()))  # type: ignore[attr-defined]
    return redirect(url_for("admin.imports"))
