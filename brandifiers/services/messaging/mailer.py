"""Sending one message: e-mail through SMTP (the standard library's email and smtplib) and a
Google Chat incoming-webhook post (http.client, only to a URL that passes services/common/outbound.py).
No queueing here: services/messaging/outbox.py decides what to send when, and retries."""

from __future__ import annotations

import http.client
import json
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

from brandifiers.config import Settings
from brandifiers.services.common import outbound

TIMEOUT = 15  # seconds, SMTP
WEBHOOK_TIMEOUT = 5  # seconds, to connect and for each read of a webhook's answer


class DeliveryError(Exception):
    """The server is down or refused the message (the outbox retries later)."""


class NoMailServer(DeliveryError):
    """No SMTP server is configured: the message is held, not retried."""


class RefusedURL(DeliveryError):
    """The webhook URL breaks the outbound rule: never contacted, not retried."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


def message_id(sender: str, key: str) -> str:
    """A Message-ID made of the outbox row (`key`), so a retry of the same row carries the same one and
    a recipient can drop the second copy; the domain is the sender's."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "brandifiers.local"
    return f"<{key}@{domain}>"


def build_email(sender: str, to: str, subject: str, text: str, html: str | None = None,
                attachments: list[Attachment] = (), *, msgid: str, unsubscribe: str | None = None) -> EmailMessage:
    """A multipart message: a plain-text part, the HTML alternative and attachments; with `unsubscribe`
    (an https or http URL that turns this kind of e-mail off on a POST), the one-click headers of RFC 8058."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Message-ID"] = msgid
    if unsubscribe:
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text or " ")
    if html:
        msg.add_alternative(html, subtype="html")
    for a in attachments:
        maintype, _, subtype = a.content_type.partition("/")
        msg.add_attachment(a.data, maintype=maintype, subtype=subtype or "octet-stream", filename=a.filename)
    return msg


def send_email(settings: Settings, msg: EmailMessage) -> None:
    if not settings.smtp_host:
        raise NoMailServer("not sent: no mail server")
    try:
        if settings.smtp_tls == "ssl":
            server = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT,
                                      context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT)
        with server:
            if settings.smtp_tls == "starttls":
                server.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password or "")
            server.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"mail server: {exc}") from exc


def chat_payload(subject: str, text: str, link: str | None = None) -> dict:
    """A Google Chat incoming-webhook message (simple text format)."""
    body = f"*{subject}*\n{text}".strip()
    return {"text": body + (f"\n<{link}|Open Brandifiers>" if link else "")}


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to the checked addresses only (no second DNS lookup), the certificate checked for the host."""

    def __init__(self, target: outbound.Target, timeout: float):
        tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=tls)
        self._target, self._tls = target, tls

    def connect(self):
        error: OSError = OSError("no address")
        for address in self._target.addresses:
            try:
                sock = socket.create_connection((address, self._target.port), self.timeout)
            except OSError as exc:
                error = exc
                continue
            self.sock = self._tls.wrap_socket(sock, server_hostname=self._target.host)
            return
        raise error


def pinned_connection(target: outbound.Target, timeout: float) -> http.client.HTTPConnection:
    return _PinnedHTTPS(target, timeout)


def post_webhook(url: str, payload: dict, *, allowed_hosts=(), resolve: outbound.Resolver | None = None,
                 connect=pinned_connection) -> None:
    """POST the JSON to a URL that passes the outbound rule (RefusedURL otherwise, before any
    connection); redirects are not followed. `resolve` and `connect` are for tests."""
    try:
        target = outbound.check(url, allowed_hosts, resolve=resolve)
    except outbound.Refused as exc:
        raise RefusedURL(f"not sent: refused webhook URL: {exc}") from exc
    except outbound.Unresolved as exc:
        raise DeliveryError(f"webhook: {exc}") from exc
    conn = connect(target, WEBHOOK_TIMEOUT)
    try:
        conn.request("POST", target.path, body=json.dumps(payload).encode(),
                     headers={"Content-Type": "application/json; charset=UTF-8"})
        status = conn.getresponse().status
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"webhook: {exc}") from exc
    finally:
        conn.close()
    if 300 <= status < 400:
        raise DeliveryError(f"webhook answered {status} (redirects are not followed)")
    if status >= 400:
        raise DeliveryError(f"webhook answered {status}")
