import logging

from portal.web.security import RedactSecretsFilter, redact


def test_redact_removes_link_tokens_and_codes():
    line = '"GET /r/AbCdEf0123456789_-abcdefghijklmnopqrstuvwx HTTP/1.1" 200'
    assert "AbCdEf" not in redact(line)
    assert "/r/[redacted]" in redact(line)
    assert redact("/q?code=ABCD-EFGH") == "/q?code=[redacted]"


def test_log_filter_redacts_arguments():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        "",
        0,
        '%s "%s" %s',
        ("127.0.0.1", "GET /r/secret-token-value HTTP/1.1", "200"),
        None,
    )
    RedactSecretsFilter().filter(record)
    assert "secret-token-value" not in record.getMessage()


def test_journey_page_paths_stay_readable_in_logs():
    assert redact("GET /r/page/2 HTTP/1.1") == "GET /r/page/2 HTTP/1.1"
    assert redact("GET /r/check HTTP/1.1") == "GET /r/check HTTP/1.1"
    assert redact("/m/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG") == "/m/[redacted]"
