"""Sending email: the one place that talks to the outside world.

With `MAIL_URL` (smtp://user:pass@host:port, smtps:// for implicit TLS, `?starttls=1` to
upgrade) messages go by SMTP; without it they are written to the outbox directory as .eml
files, so nothing is lost in development. Logs name the message kind, never the address.
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import ssl
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email.charset import BASE64, Charset
from email.errors import MessageError
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, getaddresses, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, g, has_app_context

from portal.rules.text import single_line_problem

log = logging.getLogger(__name__)
OUTBOX_TEMPORARY_SUFFIX = ".tmp"  # an outbox file being written (purge removes strays)
MESSAGES_PER_CONNECTION = 100  # many servers refuse more on one connection
_KEPT = "_portal_kept_smtp"  # flask.g key of the connection kept for a run
MAX_LINE_BYTES = 998  # RFC 5322: a longer body line must be encoded
# UTF-8 text as it is (7bit when ASCII, else 8bit), as the default email policy sends it.
_UTF8_AS_IS = Charset("utf-8")
_UTF8_AS_IS.body_encoding = None
_UTF8_BASE64 = Charset("utf-8")
_UTF8_BASE64.body_encoding = BASE64
_ADDRESS_HEADERS = ("From", "To")


class MailError(RuntimeError):
    """A message could not be handed to the mail server (retry later)."""


class MessageNotBuilt(MailError):
    """A message could not be built from what is stored (e.g. a line break in a header)."""


@dataclass(frozen=True)
class Mail:
    to: list[str]
    subject: str
    text: str
    html: str | None = None
    kind: str = "message"  # for logs: e.g. invitation, reminder, alert


def build_message(mail: Mail, sender: str) -> Message:
    """A MIME message with a plain text part and, if given, an HTML alternative.

    Built with the compat32 classes of `email.mime`: the default policy's header objects
    parse and refold every header, several times the cost of the rest of a send-due item.
    Headers are encoded here instead (RFC 2047 for non-ASCII), bodies are UTF-8.
    """
    text = _text_part(mail.text, "plain")
    if mail.html:
        message: Message = MIMEMultipart("alternative")
        message.attach(text)
        message.attach(_text_part(mail.html, "html"))
    else:
        message = text
    _set_header(message, "From", sender)
    _set_header(message, "To", ", ".join(mail.to))
    _set_header(message, "Subject", mail.subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or None)
    message["Auto-Submitted"] = "auto-generated"
    return message


def _text_part(content: str, subtype: str) -> MIMEText:
    """One UTF-8 text part, line ends made \\n and a final one added (as `set_content` does);
    base64 only when a line is too long to send as it is."""
    lines = content.encode("utf-8").splitlines()  # a lone surrogate raises here (ValueError)
    body = b"\n".join(lines) + b"\n"
    too_long = any(len(line) > MAX_LINE_BYTES for line in lines)
    return MIMEText(body.decode("utf-8"), subtype, _UTF8_BASE64 if too_long else _UTF8_AS_IS)


def _set_header(message: Message, name: str, value: str) -> None:
    """Set a header, refusing a value that would break it (the reason names no value)."""
    problem = single_line_problem(value)
    if problem:
        raise MessageNotBuilt(f"{name} has a {problem}")
    try:
        message[name] = _encoded_header(name, value)
    except (ValueError, MessageError) as error:
        raise MessageNotBuilt(f"{name} is not valid ({type(error).__name__})") from error


def _encoded_header(name: str, value: str) -> str | Header:
    """The value as it may go in a header: non-ASCII words RFC 2047 encoded. An address must
    be ASCII (`formataddr` raises otherwise); only its display name is encoded."""
    if value.isascii():
        return value
    if name in _ADDRESS_HEADERS:
        return ", ".join(formataddr(pair) for pair in getaddresses([value]))
    return Header(value, "utf-8", header_name=name)


def _connect(url: str) -> smtplib.SMTP:
    """An SMTP client, connected, upgraded and signed in as MAIL_URL says."""
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    host, port = parts.hostname or "localhost", parts.port
    timeout = float(options.get("timeout", ["20"])[0])
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port or 465, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, port or 25, timeout=timeout)
    try:
        if options.get("starttls", ["0"])[0] in ("1", "true"):
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
    except BaseException:
        client.close()
        raise
    return client


def _send_smtp(message: Message, url: str) -> None:
    kept = g.get(_KEPT) if has_app_context() else None
    if kept is None:
        with _connect(url) as client:
            client.send_message(message)
        return
    kept.send(message, url)


class _KeptConnection:
    """One SMTP connection reused for a run of messages (`kept_connection`), renewed every
    MESSAGES_PER_CONNECTION messages and when the server has closed it while idle."""

    def __init__(self) -> None:
        self.client: smtplib.SMTP | None = None
        self.sent = 0

    def send(self, message: Message, url: str) -> None:
        if self.client is not None and self.sent >= MESSAGES_PER_CONNECTION:
            self.close()
        if self.client is None:
            self.client, self.sent = _connect(url), 0
            self.client.send_message(message)
        else:
            try:
                self.client.send_message(message)
            except smtplib.SMTPServerDisconnected:
                # Closed while idle (server timeout): once more on a fresh connection, which
                # is what sending without a kept connection would have done from the start.
                self.close()
                self.client, self.sent = _connect(url), 0
                self.client.send_message(message)
        self.sent += 1

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                client.quit()
            client.close()


@contextlib.contextmanager
def kept_connection() -> Iterator[None]:
    """Within this block, `send` reuses one SMTP connection (a run of `send-due`), saving a
    connect, EHLO, STARTTLS and sign-in per message. Without MAIL_URL it changes nothing."""
    if g.get(_KEPT) is not None:
        yield
        return
    kept = _KeptConnection()
    g.setdefault(_KEPT, kept)
    try:
        yield
    finally:
        g.pop(_KEPT, None)
        kept.close()


def _write_outbox(message: Message, directory: Path) -> Path:
    """Write one .eml file readable by its owner only (it holds a live link and a name).

    Written to a temporary name, synced, then renamed: a reader (or `portal purge`) never sees
    a half file, and a full disk leaves nothing behind and raises (the item is recorded failed).
    The sync stays per file: one directory sync per run would make the names durable but not
    the contents (delayed allocation can leave an empty file after a power cut, and may report
    a full disk only at the sync), so it could not replace it.
    """
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.eml"
    temporary = directory / f".{name}{OUTBOX_TEMPORARY_SUFFIX}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            _write_all(descriptor, message.as_bytes())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, directory / name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return directory / name


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _build_or_refuse(mail: Mail, sender: str) -> Message:
    """build_message, with any failure turned into MessageNotBuilt (recorded on the item)."""
    try:
        return build_message(mail, sender)
    except MessageNotBuilt as error:
        log.warning("mail %s not built: %s", mail.kind, error)
        raise
    except (ValueError, MessageError) as error:  # e.g. a lone surrogate in the text
        log.warning("mail %s not built: %s", mail.kind, type(error).__name__)
        raise MessageNotBuilt(f"message is not valid ({type(error).__name__})") from error


def send(mail: Mail, reference: str = "") -> str | None:
    """Send one message now; raises MailError if it cannot be built, or the server refuses or
    cannot be reached. Through GOV.UK Notify when NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID
    are set (ADR 0068): then Notify's notification id is returned (of the first address)."""
    config = current_app.config
    if config.get("NOTIFY_API_KEY") and config.get("NOTIFY_EMAIL_TEMPLATE_ID"):
        return _send_notify(mail, reference)
    message = _build_or_refuse(mail, config["MAIL_FROM"])
    url = config.get("MAIL_URL") or ""
    try:
        if url:
            _send_smtp(message, url)
        else:
            _write_outbox(message, Path(config["OUTBOX_DIR"]))
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail %s not sent: %s", mail.kind, type(error).__name__)
        raise MailError(type(error).__name__) from error
    log.info("mail %s sent", mail.kind)
    return None


def _send_notify(mail: Mail, reference: str) -> str | None:
    """The plain text part through Notify's email template, one message per address."""
    from portal.delivery import notify  # it imports MailError from here

    problem = single_line_problem(mail.subject)
    if problem:
        raise MessageNotBuilt(f"Subject has a {problem}")
    ids = [
        notify.send_email(address, mail.subject, mail.text, reference=reference, kind=mail.kind)
        for address in mail.to
    ]
    return ids[0] if ids else None
