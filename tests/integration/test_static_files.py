"""Static files are fingerprinted: their URLs carry a hash of their content, and a response to
the current hash is cached for a year without revalidation (docs/adr/0067)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import url_for

from portal.config import PROJECT_ROOT
from portal.web.static_files import CACHE_FOR_A_YEAR

ASSET = re.compile(r'(?:href|src)="(/static/([^"?]+)(?:\?v=([0-9a-f]+))?)"')


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_every_asset_url_on_a_page_carries_the_hash_of_its_content(client):
    html = client.get("/").get_data(as_text=True)
    assets = ASSET.findall(html)
    files = {name for _url, name, _digest in assets}
    assert {"css/portal.css", "js/components.js"} <= files
    assert "vendor/govuk-frontend/govuk-frontend.min.js" in files
    for _url, name, digest in assets:
        assert digest == _hash(PROJECT_ROOT / "static" / name), name


def test_a_fingerprinted_file_is_cached_for_a_year_and_others_as_before(client):
    html = client.get("/").get_data(as_text=True)
    url = next(url for url, name, _digest in ASSET.findall(html) if name == "css/portal.css")
    fingerprinted = client.get(url)
    assert fingerprinted.status_code == 200
    assert fingerprinted.headers["Cache-Control"] == CACHE_FOR_A_YEAR
    assert fingerprinted.headers["X-Content-Type-Options"] == "nosniff"  # security headers kept
    for other in ("/static/css/portal.css", "/static/css/portal.css?v=0123456789ab"):
        response = client.get(other)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", ""), other


def test_changing_a_file_changes_its_url(app, tmp_path):
    app.static_folder = str(tmp_path)
    asset = tmp_path / "site.css"
    asset.write_text("body { color: black; }")
    with app.test_request_context():
        before = url_for("static", filename="site.css")
        asset.write_text("body { color: darkblue; }")
        after = url_for("static", filename="site.css")
        missing = url_for("static", filename="no-such-file.css")
    assert before.startswith("/static/site.css?v=") and after.startswith("/static/site.css?v=")
    assert before != after
    assert missing == "/static/no-such-file.css"  # nothing to hash: no fingerprint
    client = app.test_client()
    assert client.get(after).headers["Cache-Control"] == CACHE_FOR_A_YEAR
    assert "immutable" not in client.get(before).headers.get("Cache-Control", "")
