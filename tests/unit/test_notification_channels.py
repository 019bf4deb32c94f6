"""Notifications by kind and channel: defaults, the preferences form (saved / refused), an injected clock
over several days (immediate e-mails, one digest a day with the right items, nothing for kinds turned off,
the webhook through the outbox, nothing twice), the one-click unsubscribe token and the reminder's stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from brandifiers.api import api
from brandifiers.models import NotificationChoice, User
from brandifiers.models.jobs import OutboxMessage
from brandifiers.services.accounts import preferences
from brandifiers.services.common import channels, notify, outbound
from brandifiers.services.common.errors import DomainError
from brandifiers.services.messaging import digest, outbox, reminders
from tests.unit import factories
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.mail_servers import GOOGLE_URL, smtp, webhook  # noqa: F401  (fixtures)

DAY0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # digests go out at 07:00 UTC (the default hour)


def form(role: str, **changes) -> dict:
    """The table as the browser posts it: every kind's mode, the boxes that are checked."""
    data = {"reminder_email": "on"}  # the daily reminder's box, checked by default
    for kind in channels.kinds_for(role):
        c = channels.default(kind)
        data[f"mode__{kind.key}"] = "digest" if c.digest else "immediate"
        if c.email:
            data[f"email__{kind.key}"] = "on"
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def rows(session, **where):
    session.expire_all()
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(OutboxMessage, name) == value)
    return session.exec(stmt).all()


def test_defaults_money_and_approvals_at_once_the_rest_in_the_digest_by_role(session):
    sponsor, influencer, admin = factories.sponsor(session), factories.influencer(session), factories.admin(session)
    mine = channels.choices(session, sponsor.id, sponsor.role)
    at_once = {k for k, c in mine.items() if not c.digest}
    assert at_once == {"approval", "payment", "account", "report"}
    assert all(c.email and not c.chat for c in mine.values())
    theirs = channels.choices(session, influencer.id, influencer.role)
    assert "account" not in theirs and "report" not in theirs and "submitted" not in theirs
    assert {"revision", "payment", "new_request"} <= set(theirs)
    assert preferences.my_choices(session, admin.id) == []  # admins receive none of these kinds


def test_preferences_saved_and_refused_with_nothing_written(session, monkeypatch):
    monkeypatch.setattr(outbound, "resolve_host", lambda host, port: ["142.250.80.10"])
    influencer = factories.influencer(session)
    preferences.save_mine(session, influencer.id, form("influencer", mode__counter="immediate",
                                                       email__rejected=None))
    session.commit()
    got = channels.choices(session, influencer.id, influencer.role)
    assert (got["counter"].digest, got["counter"].email) == (False, True)
    assert got["rejected"].email is False and got["new_request"].email is True
    for bad, field in [(form("influencer", email__account="on"), "notify_kinds"),  # a sponsor's kind
                       (form("influencer", mode__payment="hourly"), "notify_kinds"),
                       (form("influencer", chat__payment="on"), "chat_webhook_url")]:  # no webhook URL
        with pytest.raises(DomainError) as err:
            preferences.save_mine(session, influencer.id, bad)
        assert err.value.field == field
    session.rollback()
    assert channels.choices(session, influencer.id, influencer.role) == got
    preferences.save_mine(session, influencer.id, {**form("influencer", chat__payment="on"),
                                                   "chat_webhook_url": GOOGLE_URL})
    session.commit()
    assert channels.choices(session, influencer.id, influencer.role)["payment"].chat is True
    # a save without the table (e.g. an older form) leaves the choices as they are
    preferences.save_mine(session, influencer.id, {"chat_webhook_url": GOOGLE_URL})
    session.commit()
    assert channels.choices(session, influencer.id, influencer.role)["payment"].chat is True


def test_several_days_exactly_the_expected_messages_none_twice(session, engine, smtp, webhook, monkeypatch):
    monkeypatch.setattr(outbound, "resolve_host", lambda host, port: ["142.250.80.10"])
    settings = smtp.settings()
    me = factories.influencer(session)
    # counters by e-mail at once, rejections off, flags in the digest by e-mail and by chat
    preferences.save_mine(session, me.id, {**form("influencer", mode__counter="immediate", email__rejected=None,
                                                  chat__moderation="on"), "chat_webhook_url": GOOGLE_URL})
    session.commit()

    def event(kind, title, at, link="/influencer/requests/7"):
        notify.notify(session, me.id, kind, title, "Details", link, now=at)
        session.commit()

    def run(at):
        digest.run_digests(session, now=at, settings=settings)
        session.commit()
        outbox.deliver_due(engine, now=at, settings=settings, post=webhook.post)

    day1 = DAY0 + timedelta(days=1)
    event("request.new", "New ad request A", day1 + timedelta(hours=2))  # 08:00: digest
    event("request.new", "New ad request B", day1 + timedelta(hours=3))
    event("request.payment", "Payment recorded: $300.00", day1 + timedelta(hours=3))  # at once (default)
    event("request.rejected", "Your offer was declined", day1 + timedelta(hours=4))  # e-mail off
    event("account.flagged", "Your account was flagged", day1 + timedelta(hours=5), link=None)  # digest + chat
    event("request.counter", "New counter-offer: $350.00", day1 + timedelta(hours=6))  # at once
    run(day1 + timedelta(hours=6, minutes=1))
    assert sorted(m["Subject"] for m in smtp.messages) == ["New counter-offer: $350.00", "Payment recorded: $300.00"]
    first = smtp.messages[0]
    token_url = first["List-Unsubscribe"].strip("<>")
    assert "/api/unsubscribe?t=" in token_url and first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "http://localhost:3000/influencer/requests/7" in first.get_body(("plain",)).get_content()
    assert webhook.posts == []  # the chat choice is for the digest only

    day2 = day1 + timedelta(days=1)
    run(day2)  # 07:00: yesterday's digest
    run(day2 + timedelta(hours=1))  # the job runs again: nothing new
    digests = [m for m in smtp.messages if m["Subject"].startswith("Your Brandifiers day")]
    assert len(digests) == 1 and digests[0]["Subject"] == "Your Brandifiers day: 3 notifications"
    body = digests[0].get_body(("plain",)).get_content()
    assert "New ad request A" in body and "New ad request B" in body and "Your account was flagged" in body
    assert "declined" not in body and "Payment" not in body and "counter" not in body  # off or sent already
    assert "/unsubscribe?t=" in body and digests[0]["List-Unsubscribe"]
    (chat,) = webhook.posts
    assert "Your account was flagged" in chat["json"]["text"] and "New ad request" not in chat["json"]["text"]

    event("request.new", "New ad request C", day2 + timedelta(hours=2))
    run(day2 + timedelta(hours=23))  # before day 3's hour: not yet
    assert len(smtp.messages) == 3
    run(day2 + timedelta(days=1, hours=1))
    run(day2 + timedelta(days=2, hours=1))  # a quiet day: no digest
    subjects = [m["Subject"] for m in smtp.messages]
    assert subjects.count("Your Brandifiers day: 1 notification") == 1 and len(subjects) == 4
    assert len(webhook.posts) == 1
    assert {m.status for m in rows(session)} == {"sent"}
    kinds = [(m.kind, m.channel) for m in rows(session, user_id=me.id)]
    assert kinds.count(("notify.digest", "email")) == 2 and kinds.count(("notify.digest", "chat")) == 1


def test_unsubscribe_token_valid_forged_and_turns_the_kind_off(session):
    me, other = factories.influencer(session), factories.influencer(session)
    token = channels.unsubscribe_token(session, me.id, "payment")
    uid, key, sig = token.split(".")
    forged = [f"{other.id}.payment.{sig}", f"{uid}.counter.{sig}", f"{uid}.payment.{sig[:-2]}AA", "1.payment",
              "", "x.payment.abc", "²³.payment.abc", "１２.payment.abc", "9" * 40 + ".payment.abc",
              f"{uid}.account.{channels._sign(session, me.id, 'account')}"]  # signed, but not an influencer's kind
    for bad in forged:
        with pytest.raises(DomainError):
            channels.unsubscribe(session, bad)
    assert session.exec(select(NotificationChoice)).all() == []  # nothing written
    assert (channels.unsubscribe(session, token)
            == "E-mail for “Payment recorded, funded, confirmed or disputed” is now off.")
    session.commit()
    after = channels.choices(session, me.id, me.role)
    assert after["payment"].email is False and after["counter"].email is True
    notify.notify(session, me.id, "request.payment", "Paid", now=DAY0)
    session.commit()
    assert rows(session, channel="email") == []  # turned off: no e-mail
    assert channels.unsubscribe(session, channels.unsubscribe_token(session, me.id, channels.DIGEST))
    session.commit()
    # every digest kind's e-mail is off; the immediate ones stay as they were
    assert {k for k, c in channels.choices(session, me.id, me.role).items() if c.email} == {"approval"}


def test_the_inactivity_reminder_stops_after_three_until_the_person_comes_back(session):
    me = factories.influencer(session)
    start = me.created_at + timedelta(days=4)  # inactive for more than three days
    me.last_seen_at = None
    session.add(me)
    session.commit()

    def remind(day):
        reminders.run_daily_reminders(session, now=start + timedelta(days=day))
        session.commit()
        return len(rows(session, kind=reminders.KIND, channel="inapp", user_id=me.id))

    assert [remind(d) for d in range(6)] == [1, 2, 3, 3, 3, 3]
    user = session.get(User, me.id)
    user.last_seen_at = start + timedelta(days=6)  # logs in (or acts): the count starts again
    session.add(user)
    session.commit()
    assert remind(7) == 3  # just back: not inactive now
    assert [remind(d) for d in (10, 11, 12, 13)] == [4, 5, 6, 6]


def test_the_reminder_email_has_its_own_one_click_unsubscribe(session, engine, smtp):
    settings = smtp.settings()
    me = factories.influencer(session)
    start = me.created_at + timedelta(days=4)  # inactive: reminded

    def remind(day):
        reminders.run_daily_reminders(session, now=start + timedelta(days=day), settings=settings)
        session.commit()
        outbox.deliver_due(engine, now=start + timedelta(days=day), settings=settings)
        return [(m.channel, m.user_id) for m in rows(session, kind=reminders.KIND, period=(start + timedelta(
            days=day)).date().isoformat())]

    assert remind(0) == [("inapp", me.id), ("email", me.id)]
    (mail,) = smtp.messages
    header = mail["List-Unsubscribe"].strip().strip("<>")
    assert header.startswith(f"{settings.api_url}/api/unsubscribe?t={me.id}.reminder.")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header.partition("?t=")[2]
    page = f"{settings.public_url}/unsubscribe?t={token}"
    assert f"Stop these e-mails: {page}" in mail.get_body(("plain",)).get_content()
    assert f'href="{page}"' in mail.get_body(("html",)).get_content()

    done = TestClient(api).post(f"/api/unsubscribe?t={token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and done.text == "The daily reminder e-mail is now off."
    session.expire_all()
    assert remind(1) == [("inapp", me.id)] and len(smtp.messages) == 1  # in-app still, no e-mail
    assert all(c.email for c in channels.choices(session, me.id, me.role).values())  # the kinds are untouched
    preferences.save_mine(session, me.id, form("influencer"))  # the box on the profile page turns it on again
    session.commit()
    assert remind(2) == [("inapp", me.id), ("email", me.id)]


def test_one_click_post_turns_it_off_and_a_get_only_leads_to_the_page(session, engine):
    me = factories.sponsor(session, approved=True)
    token = channels.unsubscribe_token(session, me.id, "report")
    session.commit()
    client = TestClient(api)
    scanned = client.get(f"/api/unsubscribe?t={token}", follow_redirects=False)
    assert scanned.status_code == 303 and scanned.headers["location"].endswith(f"/unsubscribe?t={token}")
    session.expire_all()
    assert channels.choices(session, me.id, me.role)["report"].email is True  # a GET changed nothing
    assert client.post(f"/api/unsubscribe?t={token}x", data={"List-Unsubscribe": "One-Click"}).status_code == 400
    done = client.post(f"/api/unsubscribe?t={token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and done.text == "E-mail for “Monthly report ready” is now off."
    session.expire_all()
    assert channels.choices(session, me.id, me.role)["report"].email is False


def test_the_digest_hour_is_the_persons_own(session):
    me = factories.influencer(session)
    me.time_zone = "America/New_York"  # UTC-5 in December: 07:00 there is 12:00 UTC
    settings = digest.get_settings()
    before = datetime(2026, 12, 2, 11, 59, tzinfo=UTC)
    assert digest.digest_moment(me, before, settings) == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert digest.digest_moment(me, before + timedelta(minutes=1), settings) == datetime(2026, 12, 2, 12, 0,
                                                                                         tzinfo=UTC)
