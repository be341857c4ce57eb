"""gunicorn's access log (a mapping of atoms, not a tuple) is redacted and still formats."""

from __future__ import annotations

import logging
import re
import runpy
from pathlib import Path

from portal.web.security import RedactSecretsFilter
from tests.security.gunicorn_server import gunicorn_serving

ROOT = Path(__file__).resolve().parents[2]


def test_access_log_records_with_mapping_arguments_are_redacted_and_still_format():
    atoms = {"h": "127.0.0.1", "r": "GET /r/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd HTTP/1.1",
             "s": "200", "U": "/r/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd", "q": "code=ABCD2345"}  # fmt: skip
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, "", 0, '%(h)s "%(r)s" %(s)s %(U)s ?%(q)s', (atoms,), None
    )
    RedactSecretsFilter().filter(record)
    message = record.getMessage()
    assert "AbCdEf" not in message and "/r/[redacted]" in message
    assert message.startswith('127.0.0.1 "GET /r/[redacted] HTTP/1.1" 200')


def test_real_gunicorn_access_log_never_shows_link_tokens(tmp_path, database_url):
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG"
    with gunicorn_serving(tmp_path, database_url) as get:
        for path in (f"/r/{token}", f"/q?code={token[:8]}", f"/m/{token}"):
            get(path)
    log = tmp_path / "access.log"
    text = log.read_text()
    assert text.count("[redacted]") >= 3, text
    assert token not in text and token[:8] not in text, text
    # gunicorn.conf.py's format, printed by its lean logger (portal/web/access_log.py).
    line = re.compile(r'127\.0\.0\.1 \[[^]]+\] "GET /r/\[redacted\] HTTP/1\.1" \d{3} \d+ \d+ms')
    assert any(line.fullmatch(row) for row in text.splitlines()), text


class _CountingAtoms(dict):
    """gunicorn's atoms (a dict subclass too), remembering which ones were read."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> object:
        self.read.add(key)
        return super().__getitem__(key)

    def items(self):  # a whole pass over every header and environ atom
        self.read.update(self.keys())
        return super().items()


def test_only_the_atoms_a_line_prints_are_redacted():
    atoms = _CountingAtoms({"h": "127.0.0.1", "r": "GET /r/page/2 HTTP/1.1", "s": "200"})
    atoms.update({f"{{x-header-{n}}}i": f"value {n}" for n in range(40)})
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, "", 0, '%(h)s "%(r)s" %(s)s', (atoms,), None
    )
    RedactSecretsFilter().filter(record)
    assert record.getMessage() == '127.0.0.1 "GET /r/page/2 HTTP/1.1" 200'
    assert atoms.read == {"h", "r", "s"}


def test_workers_are_recycled_too_rarely_to_show_under_load():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["preload_app"] is True
    assert settings["logger_class"] == "portal.web.access_log.AccessLogger"
    assert settings["max_requests"] >= 100_000 and settings["max_requests_jitter"] > 0
