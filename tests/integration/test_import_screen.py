"""The upload screen /admin/import: admins only, a preview that saves
nothing, "Confirm import" saves exactly what was previewed, bad files are a 400 with a message.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from portal.extensions import db
from portal.models import AuditEvent, Child, Contact, Review
from portal.rules.dates import today
from tests.conftest import csrf_token

UPCOMING = (today() + dt.timedelta(days=30)).isoformat()
SCHEDULE = (
    "case_ref,first_name,date_of_birth,review_kind,review_date\n"
    f"C1,Sam,01/05/2012,cared_for,{UPCOMING}\n"
    f"C2,Alex,2010-02-03,Pathway_Plan,{UPCOMING}\n"
).encode()
CONTACTS = (
    b"case_ref,role,name,email,postal_address,language\n"
    b'C1,Parent,Jo,jo@example.org,"1 High Street\nTown",en\n'
)


@pytest.fixture
def admin(app, make_staff, sign_in):
    client = app.test_client()
    sign_in(client, make_staff("admin"))
    return client


def upload(client, kind: str, data: bytes, name: str = "file.csv"):
    token = csrf_token(client, "/admin/import")
    return client.post(
        "/admin/import",
        data={"csrf_token": token, "kind": kind, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def confirm(client, page: str):
    upload_id = re.search(r'name="upload" value="([0-9a-f]{32})"', page).group(1)
    token = csrf_token(client, "/admin/import")
    return client.post("/admin/import/confirm", data={"csrf_token": token, "upload": upload_id})


def count(app, model) -> int:
    with app.app_context():
        return db.session.query(model).count()


def test_preview_saves_nothing_and_confirm_saves_it(app, admin):
    response = upload(admin, "reviews", SCHEDULE, name="../../etc/passwd")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "2 new reviews, 0 moved, 0 held, 0 updated, 0 unchanged, 0 errors" in page
    assert (count(app, Review), count(app, Child)) == (0, 0)
    # The file waits under a random name, never the browser's.
    waiting = list((Path(app.config["INSTANCE_DIR"]) / "imports").glob("*.csv"))
    assert [len(path.stem) for path in waiting] == [32]
    done = confirm(admin, page)
    assert done.status_code == 302
    assert count(app, Review) == 2
    assert "Imported: 2 new reviews" in admin.get("/admin/import").get_data(as_text=True)
    assert not any(p.exists() for p in waiting)
    with app.app_context():
        actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
        assert "import_previewed" in actions and "reviews_imported" in actions
    # Confirming twice imports nothing more: the upload is gone.
    again = confirm(admin, page)
    assert again.status_code == 400
    assert "The preview has expired or was already imported" in again.get_data(as_text=True)


def test_contacts_upload_after_the_schedule(app, admin):
    confirm(admin, upload(admin, "reviews", SCHEDULE).get_data(as_text=True))
    page = upload(admin, "contacts", CONTACTS).get_data(as_text=True)
    assert "1 new contacts, 0 replaced, 0 unchanged, 0 errors" in page
    assert count(app, Contact) == 0
    assert confirm(admin, page).status_code == 302
    with app.app_context():
        contact = db.session.query(Contact).one()
        assert (contact.role, contact.postal_address) == ("parent", "1 High Street\nTown")


def test_errors_are_listed_by_line_and_nothing_is_kept(app, admin):
    response = upload(admin, "contacts", CONTACTS)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "1 error. Nothing was saved" in page
    assert "line 2: case_ref &#39;C1&#39; is not a child in the portal" in page
    assert 'name="upload"' not in page
    assert count(app, Contact) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\x81\x8d\x90binary\xff\xfe", "not UTF-8 or Windows-1252"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "UTF-16 text"),  # NUL bytes: not text
        (b"\xff\xfec\x00a\x00", "UTF-16 text"),
        (b"name,colour\nSam,red\n", "missing column case_ref"),
    ],
)
def test_bad_files_are_a_400_with_a_message(app, admin, data, message):
    response = upload(admin, "reviews", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_missing_kind_or_file_is_a_400(app, admin):
    token = csrf_token(admin, "/admin/import")
    response = admin.post("/admin/import", data={"csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose what the file holds" in page and "Choose a CSV file to upload" in page


def test_a_file_over_the_limit_is_a_413_that_says_so(app, admin):
    big = b"case_ref,first_name,date_of_birth,review_kind,review_date\n" + b"x" * (
        app.config["MAX_CONTENT_LENGTH"] + 10
    )
    response = upload(admin, "reviews", big)
    assert response.status_code == 413
    assert "the most the portal accepts" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["iro", "manager"])
def test_only_admins_may_import(app, make_staff, sign_in, role):
    client = app.test_client()
    sign_in(client, make_staff(role))
    assert client.get("/admin/import").status_code == 403
    assert "/admin/import" not in client.get("/admin/").get_data(as_text=True)
