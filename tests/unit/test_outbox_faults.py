"""Messages after faults, against a real SMTP server on 127.0.0.1: a retry after a crash carries the
same Message-ID; an outage of most of a day is retried through (capped backoff, at least 24 hours);
the admin resends every failed message of a period in one audited action (state handler)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from brandifiers.models import AuditEvent
from brandifiers.models.jobs import OutboxMessage
from brandifiers.services.messaging import mailer, outbox
from brandifiers.state.outbox import OutboxState
from tests.unit import factories
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.mail_servers import smtp  # noqa: F401  (fixture)
from tests.unit.test_state_handlers import logged_in

T0 = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)


class Crash(Exception):
    """The process dies after the mail server accepted the message, before the row says "sent"."""


def mail(session, to="brand@example.com", period="2026-11", now=T0):
    return outbox.enqueue(session, kind="report.monthly", channel="email", recipient=to, period=period,
                          subject="Your report", text="Figures", now=now)


def test_a_retry_after_a_crash_carries_the_same_message_id(session, engine, smtp):
    settings = smtp.settings()
    mail(session)
    session.commit()

    def send_then_crash(settings, msg):
        mailer.send_email(settings, msg)
        raise Crash

    with pytest.raises(Crash):
        outbox.deliver_due(engine, now=T0, settings=settings, send_email=send_then_crash)
    assert outbox.deliver_due(engine, now=T0 + outbox.CLAIM + timedelta(seconds=1), settings=settings) == {"sent": 1}
    first, second = smtp.messages
    assert first["Message-ID"] == second["Message-ID"]  # the recipient's client can drop the copy
    assert first["Message-ID"].startswith("<outbox.1.") and first["Message-ID"].endswith("@example.com>")


def test_an_outage_of_most_of_a_day_is_retried_through(session, engine, smtp):
    settings = smtp.settings(outbox_max_attempts=6, outbox_backoff_seconds=60, outbox_backoff_max_seconds=3600,
                             outbox_retry_hours=24)
    mail(session)
    session.commit()
    smtp.stop()
    now, tries = T0, []
    while now < T0 + timedelta(hours=20):
        assert outbox.deliver_due(engine, now=now, settings=settings) == {"pending": 1}
        tries.append(now)
        now = session.exec(select(OutboxMessage.next_attempt_at)).one()
        session.expire_all()
    gaps = [int((b - a).total_seconds() // 60) for a, b in zip(tries, tries[1:])]
    assert gaps[:7] == [1, 2, 4, 8, 16, 32, 60] and max(gaps) == 60  # doubling, capped at an hour
    smtp.start()
    assert outbox.deliver_due(engine, now=now, settings=settings) == {"sent": 1}
    assert len(smtp.messages) == 1


def test_failed_for_good_only_after_a_day_of_retries(smtp):
    settings = smtp.settings(outbox_max_attempts=6, outbox_backoff_seconds=60, outbox_backoff_max_seconds=3600,
                             outbox_retry_hours=24)
    attempts = next(n for n in range(1, 100) if outbox.gives_up(settings, n))
    spanned = sum((outbox.backoff(settings, k) for k in range(1, attempts)), timedelta())
    assert timedelta(hours=24) <= spanned < timedelta(hours=25)
    quick = smtp.settings(outbox_max_attempts=2, outbox_retry_hours=0)
    assert not outbox.gives_up(quick, 1) and outbox.gives_up(quick, 2)  # both limits must be reached


def test_the_admin_resends_all_failed_messages_of_a_period_at_once(session, engine, smtp):
    admin, sponsor = factories.admin(session), factories.sponsor(session, approved=True)
    days = {"2026-11-25": "failed", "2026-11-26": "failed", "2026-11-27": "failed", "2026-11-28": "sent"}
    for i, (day, status) in enumerate(days.items()):
        m = mail(session, to=f"b{i}@example.com", now=datetime.fromisoformat(day + "T23:30:00+00:00"))
        m.status, m.attempts, m.last_error = status, 30, "mail server: down"
        session.add(m)
    session.commit()

    def state_of():
        session.expire_all()
        return {m.recipient: m.status for m in session.exec(select(OutboxMessage))}

    before = state_of()
    refused = logged_in(OutboxState, sponsor)
    refused.resend_failed({"from_day": "2026-11-01", "to_day": "2026-11-30"})
    assert "not allowed" in refused.form_error and state_of() == before
    state = logged_in(OutboxState, admin)
    state.resend_failed({"from_day": "2026-11-27", "to_day": "2026-11-26"})
    assert "on or after" in state.errors["to_day"] and state_of() == before
    state.resend_failed({"from_day": "yesterday", "to_day": ""})
    assert set(state.errors) == {"from_day", "to_day"} and state_of() == before
    state.resend_failed({"from_day": "2026-11-28", "to_day": "2026-11-30"})
    assert "No failed messages" in state.errors["from_day"] and state_of() == before
    state.resend_failed({"from_day": "2026-11-26", "to_day": "2026-11-28"})
    assert state.errors == {} and state.form_error == ""
    assert state_of() == {"b0@example.com": "failed", "b1@example.com": "pending", "b2@example.com": "pending",
                          "b3@example.com": "sent"}
    (event,) = session.exec(select(AuditEvent).where(AuditEvent.action == "outbox.resend_failed")).all()
    assert event.actor_id == admin.id and "resend 2 failed messages created 2026-11-26 to 2026-11-28" in event.summary
    assert outbox.deliver_due(engine, settings=smtp.settings()) == {"sent": 2}
    assert sorted(m["To"] for m in smtp.messages) == ["b1@example.com", "b2@example.com"]
