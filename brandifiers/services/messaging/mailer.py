"""Sending one message: e-mail through SMTP (the standard library's email and smtplib) and a
Google Chat incoming-webhook post (urllib). No queueing here: services/messaging/outbox.py decides what
to send when, and retries."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from brandifiers.config import Settings

TIMEOUT = 15  # seconds, for both SMTP and webhooks


class DeliveryError(Exception):
    """The server is down or refused the message (the outbox retries later)."""


class NoMailServer(DeliveryError):
    """No SMTP server is configured: the message is held, not retried."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


def build_email(sender: str, to: str, subject: str, text: str, html: str | None = None,
                attachments: list[Attachment] = ()) -> EmailMessage:
    """A multipart message: a plain-text part, the HTML alternative and attachments."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Message-ID"] = make_msgid(domain="brandifiers.local")
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


def post_webhook(url: str, payload: dict) -> None:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json; charset=UTF-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # an admin-set URL
            if response.status >= 300:
                raise DeliveryError(f"webhook answered {response.status}")
    except OSError as exc:  # URLError and HTTPError are OSErrors
        raise DeliveryError(f"webhook: {exc}") from exc
