"""The outbox against a real SMTP server and a real HTTP webhook on 127.0.0.1: once per key,
retries with backoff while the server is down, delivered exactly once when it is back, failed
after the last attempt and resent by an admin; held when no mail server is configured."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import func, select

from brandifiers.clock import utcnow
from brandifiers.models import AuditEvent, Notification
from brandifiers.models.jobs import OutboxMessage
from brandifiers.services.common.errors import DomainError, PermissionDenied
from brandifiers.services.messaging import mailer, outbox
from tests.unit import factories
from tests.unit.mail_servers import GOOGLE_URL, smtp, webhook  # noqa: F401  (fixtures)

PDF = mailer.Attachment("report.pdf", "application/pdf", b"%PDF-1.4 fake but fine for transport")


def mail(session, to="brand@example.com", period="2026-10", **kw):
    return outbox.enqueue(session, kind="report.monthly", channel="email", recipient=to, period=period,
                          subject="Your October report", text="Plain text figures", html="<p>HTML figures</p>",
                          attachments=[PDF], **kw)


def statuses(session):
    session.expire_all()
    return [(m.status, m.attempts) for m in session.exec(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_one_message_per_key(session):
    assert mail(session) is not None
    assert mail(session) is None  # a second run of the same job for the same period
    assert mail(session, period="2026-11") is not None
    session.commit()
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 2


def test_email_reaches_a_real_smtp_server_with_its_parts(session, engine, smtp):
    mail(session)
    session.commit()
    assert outbox.deliver_due(engine, settings=smtp.settings())["sent"] == 1
    (msg,) = smtp.messages
    assert msg["To"] == "brand@example.com" and msg["Subject"] == "Your October report"
    assert msg.get_body(("plain",)).get_content().strip() == "Plain text figures"
    assert "HTML figures" in msg.get_body(("html",)).get_content()
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == "report.pdf" and att.get_content() == PDF.data
    assert outbox.deliver_due(engine, settings=smtp.settings()) == {}  # nothing twice
    assert len(smtp.messages) == 1


def test_a_down_server_delays_and_the_message_arrives_once(session, engine, smtp):
    settings = smtp.settings()
    mail(session)
    session.commit()
    smtp.stop()
    now = utcnow()
    assert outbox.deliver_due(engine, now=now, settings=settings) == {"pending": 1}
    (msg,) = session.exec(select(OutboxMessage)).all()
    assert msg.attempts == 1 and "mail server" in msg.last_error
    assert msg.next_attempt_at.astimezone(now.tzinfo) == now + timedelta(seconds=settings.outbox_backoff_seconds)
    assert outbox.deliver_due(engine, now=now + timedelta(seconds=30), settings=settings) == {}  # backing off
    outbox.deliver_due(engine, now=now + timedelta(seconds=60), settings=settings)  # still down: 2nd attempt
    assert statuses(session) == [("pending", 2)]
    smtp.start()
    assert outbox.deliver_due(engine, now=now + timedelta(seconds=59 + 120), settings=settings) == {}
    assert outbox.deliver_due(engine, now=now + timedelta(seconds=60 + 120), settings=settings) == {"sent": 1}
    assert len(smtp.messages) == 1
    outbox.deliver_due(engine, now=now + timedelta(days=1), settings=settings)
    assert len(smtp.messages) == 1


def test_after_the_last_attempt_it_fails_and_an_admin_resends_it(session, engine, smtp):
    settings = smtp.settings(outbox_max_attempts=2, outbox_backoff_seconds=1, outbox_retry_hours=0)
    admin, sponsor = factories.admin(session), factories.sponsor(session, approved=True)
    mail(session)
    session.commit()
    smtp.stop()
    now = utcnow()
    outbox.deliver_due(engine, now=now, settings=settings)
    outbox.deliver_due(engine, now=now + timedelta(seconds=5), settings=settings)
    assert statuses(session) == [("failed", 2)]
    rows, total, counts = outbox.list_messages(session, admin.id, status="failed")
    assert total == 1 and counts == {"failed": 1} and "mail server" in rows[0].last_error
    with pytest.raises(PermissionDenied):
        outbox.resend(session, sponsor.id, rows[0].id)
    session.rollback()
    outbox.resend(session, admin.id, rows[0].id)
    session.commit()
    with pytest.raises(DomainError, match="Only failed or held"):
        outbox.resend(session, admin.id, rows[0].id)  # a double click
    session.rollback()
    smtp.start()
    assert outbox.deliver_due(engine, now=now + timedelta(seconds=10), settings=settings) == {"sent": 1}
    assert len(smtp.messages) == 1
    assert session.exec(select(AuditEvent.action).where(AuditEvent.action.like("outbox.%"))).all() == ["outbox.resend"]


def test_without_a_mail_server_messages_are_held_for_preview(session, engine):
    admin = factories.admin(session)
    mail(session)
    session.commit()
    assert outbox.deliver_due(engine, settings=factories_settings()) == {"held": 1}
    msg, files = outbox.get_message(session, admin.id, 1)
    assert msg.status == "held" and msg.last_error == "not sent: no mail server" and files == ["report.pdf"]
    assert msg.html_body == "<p>HTML figures</p>"
    assert outbox.deliver_due(engine, settings=factories_settings()) == {}  # held is not retried by itself


def factories_settings():
    from dataclasses import replace

    from brandifiers.config import get_settings
    return replace(get_settings(), smtp_host=None)


def test_chat_webhook_gets_the_json_and_errors_are_retried(session, engine, webhook):
    outbox.enqueue(session, kind="reminder.daily", channel="chat", recipient=GOOGLE_URL, period="2026-11-26",
                   subject="2 offers wait for your answer", text="Peak Oats: $300.00", link="http://x/requests")
    session.commit()
    webhook.status = 500
    now = utcnow()
    assert outbox.deliver_due(engine, now=now, post=webhook.post) == {"pending": 1}
    webhook.status = 200
    assert outbox.deliver_due(engine, now=now + timedelta(hours=1), post=webhook.post) == {"sent": 1}
    assert len(webhook.posts) == 2 and webhook.posts[-1]["content_type"].startswith("application/json")
    assert webhook.posts[-1]["path"] == "/v1/spaces/AAA/messages?key=k"
    assert webhook.posts[-1]["json"] == {
        "text": "*2 offers wait for your answer*\nPeak Oats: $300.00\n<http://x/requests|Open Brandifiers>"}


def test_inapp_messages_become_one_notification_even_with_two_runs_at_once(session, engine):
    users = [factories.influencer(session) for _ in range(5)]
    for u in users:
        outbox.enqueue(session, kind="reminder.daily", channel="inapp", recipient=str(u.id), period="2026-11-26",
                       subject="Requests wait for you", text="Open your requests", user_id=u.id)
    session.commit()
    threads = [threading.Thread(target=outbox.deliver_due, args=(engine,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    notes = session.exec(select(Notification.user_id).where(Notification.kind == "reminder.daily")).all()
    assert sorted(notes) == sorted(u.id for u in users)
    assert {s for s, _ in statuses(session)} == {"sent"}
