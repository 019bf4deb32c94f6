"""Server-side request forgery: webhook URLs (a user's own, the admin's digest) pass one rule, at saving
and at the one sending place. A real receiver on 127.0.0.1 proves a refused URL is never contacted,
also when it was stored before the rule (the outbox marks it failed, saying why)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import Setting
from brandifiers.models.jobs import OutboxMessage, UserPreference
from brandifiers.services.accounts import preferences
from brandifiers.services.common import outbound
from brandifiers.services.common import platform_settings as ps
from brandifiers.services.common.errors import DomainError
from brandifiers.services.messaging import mailer, outbox, reminders
from tests.unit import collab_factories as cf
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.mail_servers import GOOGLE_URL, public_dns, webhook  # noqa: F401  (fixture)

ISSUE_URLS = ["http://127.0.0.1:6379/", "http://169.254.169.254/", "http://[::1]:5432", "http://0x7f000001/"]
FORBIDDEN = ["127.0.0.1", "10.0.0.5", "192.168.1.1", "172.16.0.1", "169.254.169.254", "0.0.0.0", "224.0.0.1",
             "240.0.0.1", "100.64.0.1", "::1", "::ffff:127.0.0.1", "fe80::1", "fc00::1", "ff02::1"]


def dns(*addresses):
    return lambda host, port: list(addresses)


def no_dns(host, port):
    raise AssertionError("a URL refused by its form must not even be resolved")


@pytest.mark.parametrize("url", [*ISSUE_URLS, "https://127.0.0.1/x", "https://chat.googleapis.com:8443/x",
                                 "https://u:p@chat.googleapis.com/x", "https://chat.googleapis.com@127.0.0.1/",
                                 "http://chat.googleapis.com/x", "https://evil.example.com/x", "ftp://x/"])
def test_only_https_chat_googleapis_or_allowed_hosts(url):
    with pytest.raises(outbound.Refused):
        outbound.check(url, resolve=no_dns)


@pytest.mark.parametrize("address", FORBIDDEN)
def test_an_allowed_host_must_resolve_to_public_addresses_only(address):
    with pytest.raises(outbound.Refused, match=address.replace(".", r"\.")):
        outbound.check("https://hooks.example.com/x", ["hooks.example.com"], resolve=dns("142.250.80.10", address))
    target = outbound.check("https://hooks.example.com/x?k=1", ["hooks.example.com"], resolve=dns("142.250.80.10"))
    assert (target.host, target.port, target.path, target.addresses) == ("hooks.example.com", 443, "/x?k=1",
                                                                         ("142.250.80.10",))


@pytest.mark.parametrize("url", ISSUE_URLS)
def test_saving_a_forbidden_url_is_refused_next_to_the_field(session, url):
    p = cf.cast(session, admin=True)
    with pytest.raises(DomainError) as err:
        preferences.save_mine(session, p.influencer.id, {"chat_webhook_url": url})
    assert err.value.field == "chat_webhook_url" and "cannot be used" in err.value.message
    session.rollback()
    with pytest.raises(DomainError) as err:
        ps.set_text(session, p.admin.id, ps.CHAT_WEBHOOK_URL, url)
    assert err.value.field == ps.CHAT_WEBHOOK_URL
    session.rollback()
    assert session.exec(select(UserPreference)).all() == [] and session.exec(select(Setting)).all() == []


def test_the_allow_list_is_set_by_the_admin_and_still_checked_by_address(session, monkeypatch):
    p = cf.cast(session, admin=True)
    url = "https://hooks.example.com/ops"
    with pytest.raises(DomainError, match="not an allowed webhook host"):
        preferences.save_mine(session, p.influencer.id, {"chat_webhook_url": url})
    session.rollback()
    with pytest.raises(DomainError, match="not a host name") as err:
        ps.set_text(session, p.admin.id, ps.CHAT_WEBHOOK_HOSTS, "hooks.example.com, 10.0.0.5")
    assert err.value.field == ps.CHAT_WEBHOOK_HOSTS
    session.rollback()
    assert ps.set_text(session, p.admin.id, ps.CHAT_WEBHOOK_HOSTS, "Hooks.Example.com\nops.example.org") == \
        "hooks.example.com, ops.example.org"
    session.commit()
    monkeypatch.setattr(outbound, "resolve_host", dns("10.0.0.5"))  # the allowed host points inside
    with pytest.raises(DomainError, match="private"):
        ps.set_text(session, p.admin.id, ps.CHAT_WEBHOOK_URL, url)
    session.rollback()
    monkeypatch.setattr(outbound, "resolve_host", dns("142.250.80.10"))
    assert ps.set_text(session, p.admin.id, ps.CHAT_WEBHOOK_URL, url) == url
    preferences.save_mine(session, p.influencer.id, {"chat_webhook_url": GOOGLE_URL})
    session.commit()
    assert preferences.for_user(session, p.influencer.id).chat_webhook_url == GOOGLE_URL


def test_a_stored_loopback_url_is_never_contacted_and_reported(session, engine, webhook):
    """Rows that predate the rule: the daily reminder to a user's loopback webhook and the admin's digest."""
    p = cf.cast(session, admin=True)
    cf.send(session, p.sponsor, p.campaign, p.influencer)
    session.add(UserPreference(user_id=p.influencer.id, email_opt_out=True, chat_webhook_url=webhook.url))
    session.add(Setting(key=ps.CHAT_WEBHOOK_URL, value=webhook.url.replace("127.0.0.1", "0x7f000001")))
    session.commit()
    now = utcnow()
    assert reminders.run_daily_reminders(session, now=now) == {"inapp": 1, "chat": 1, "digest": 1}
    session.commit()
    assert outbox.deliver_due(engine, now=now) == {"sent": 1, "failed": 2}  # the real sender
    # Even a sender that could reach the receiver never connects: the check comes first.
    for m in session.exec(select(OutboxMessage).where(OutboxMessage.channel == "chat")):
        m.status = "pending"
        session.add(m)
    session.commit()
    assert outbox.deliver_due(engine, now=now + timedelta(minutes=1), post=webhook.post) == {"failed": 2}
    assert webhook.posts == [] and webhook.connected == []
    session.expire_all()
    chats = session.exec(select(OutboxMessage).where(OutboxMessage.channel == "chat")).all()
    assert {m.status for m in chats} == {"failed"}
    for m in chats:
        assert m.last_error.startswith("not sent: refused webhook URL: ")


def test_a_host_resolving_inside_is_refused_before_any_connection(session, engine, webhook):
    outbox.enqueue(session, kind="reminder.daily", channel="chat", recipient=GOOGLE_URL, period="2026-11-26",
                   subject="Hello", text="There")
    session.commit()
    for address in ("127.0.0.1", "169.254.169.254", "::1"):
        with pytest.raises(mailer.RefusedURL, match="loopback|link-local"):
            mailer.post_webhook(GOOGLE_URL, {"text": "x"}, resolve=dns(address), connect=webhook.connect)
    assert webhook.connected == [] and webhook.posts == []
    assert outbox.deliver_due(engine, post=webhook.post) == {"sent": 1}  # a public answer: delivered
    assert [t.addresses for t in webhook.connected] == [(public_dns("chat.googleapis.com", 443)[0],)]


def test_redirects_are_not_followed(session, engine, webhook):
    outbox.enqueue(session, kind="reminder.daily", channel="chat", recipient=GOOGLE_URL, period="2026-11-26",
                   subject="Hello", text="There")
    session.commit()
    webhook.status, webhook.location = 307, "http://127.0.0.1:6379/"
    assert outbox.deliver_due(engine, post=webhook.post) == {"pending": 1}
    (msg,) = session.exec(select(OutboxMessage)).all()
    assert "redirects are not followed" in msg.last_error and len(webhook.posts) == 1
