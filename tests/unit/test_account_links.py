"""E-mailed links (services/messaging/account_links.py): reset, verification and e-mail change; each link
works once, expires, is voided by a newer one; the reset answer is the same for any address; rates."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import func, select

from brandifiers.clock import UTC
from brandifiers.config import get_settings
from brandifiers.models import AccountToken, AuditEvent, User
from brandifiers.models.jobs import OutboxMessage
from brandifiers.services.accounts import approvals, auth
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.discovery import search
from brandifiers.services.messaging import account_links as links
from brandifiers.services.messaging import outbox
from brandifiers.services.stats import analytics
from tests.unit import factories
from tests.unit.factories import PASSWORD
from tests.unit.mail_servers import smtp  # noqa: F401  (fixture)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
NEW = "a-brand-new-password"


def settings(**limits):
    """The app's settings with the given request limits only (none: no limit)."""
    return dataclasses.replace(get_settings(), request_limits=tuple((k, n, m) for k, (n, m) in limits.items()))


def mails(session, to: str) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.recipient == to).order_by(OutboxMessage.id)))


def token_in(msg: OutboxMessage) -> str:
    return re.search(r"\?token=([\w-]+)", msg.text_body).group(1)


def last_link(session, to: str) -> str:
    return token_in(mails(session, to)[-1])


def refused(fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as err:
        fn(*args, **kwargs)
    return err.value


# ---- password reset ----------------------------------------------------------------------------

def test_reset_answer_is_the_same_for_any_address_and_only_a_real_account_gets_mail(session):
    user = factories.influencer(session, email="tess@example.com")
    known = links.request_reset(session, "TESS@example.com", now=NOW, settings=settings())
    unknown = links.request_reset(session, "nobody@example.com", now=NOW, settings=settings())
    session.commit()
    assert known == unknown == links.RESET_SENT
    assert mails(session, "nobody@example.com") == []
    (msg,) = mails(session, user.email)
    assert msg.subject == "Set a new Brandifiers password" and "/new-password?token=" in msg.text_body
    raw = token_in(msg)
    row = session.exec(select(AccountToken)).one()  # only the SHA-256 is stored
    assert row.token_hash == hashlib.sha256(raw.encode()).hexdigest() and raw not in row.token_hash
    assert (row.purpose, row.expires_at - row.created_at) == ("reset", timedelta(hours=1))


def test_reset_rate_limit_refuses_known_and_unknown_addresses_alike(session):
    factories.influencer(session, email="tess@example.com")
    limited = settings(reset=(2, 15))
    for email in ("tess@example.com", "nobody@example.com"):
        links.request_reset(session, email, client="10.0.0.1", now=NOW, settings=limited)
    answers = {refused(links.request_reset, session, email, client="10.0.0.1", now=NOW, settings=limited).message
               for email in ("tess@example.com", "nobody@example.com")}
    assert len(answers) == 1 and answers.pop().startswith("Too many requests")
    # another network is not limited; after the window the address is served again
    assert links.request_reset(session, "nobody@example.com", client="10.0.0.2", now=NOW, settings=limited)
    links.request_reset(session, "tess@example.com", client="10.0.0.1", now=NOW + timedelta(minutes=16),
                        settings=limited)


def test_one_address_gets_at_most_three_reset_mails_an_hour(session):
    user = factories.influencer(session)
    for minute in range(5):
        assert links.request_reset(session, user.email, now=NOW + timedelta(minutes=minute),
                                   settings=settings()) == links.RESET_SENT
    assert len(mails(session, user.email)) == links.RESET_MAILS_PER_HOUR
    links.request_reset(session, user.email, now=NOW + timedelta(minutes=61), settings=settings())
    assert len(mails(session, user.email)) == links.RESET_MAILS_PER_HOUR + 1


def test_reset_link_sets_the_password_once_and_signs_out_every_session(session):
    user = factories.influencer(session)
    phone = auth.login(session, user.email, PASSWORD, now=NOW).token
    laptop = auth.login(session, user.email, PASSWORD, now=NOW).token
    links.request_reset(session, user.email, now=NOW, settings=settings())
    session.commit()
    raw = last_link(session, user.email)
    later = NOW + timedelta(minutes=59)
    assert links.link_is_valid(session, raw, links.RESET, now=later)
    links.reset_with_link(session, raw, NEW, NEW, now=later, settings=settings())
    session.commit()
    assert auth.resolve_session(session, phone, now=later) is None
    assert auth.resolve_session(session, laptop, now=later) is None
    assert auth.login(session, user.email, NEW, now=later).user.id == user.id
    assert refused(auth.login, session, user.email, PASSWORD, now=later).field == "password"
    # single use: the same link again changes nothing
    assert refused(links.reset_with_link, session, raw, "yet-another-password", "yet-another-password",
                   now=later, settings=settings()).message == links.BAD_LINK
    assert not links.link_is_valid(session, raw, links.RESET, now=later)
    assert session.exec(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "user.password_reset")).one() == 1


def test_reset_link_expires_after_one_hour(session):
    user = factories.influencer(session)
    links.request_reset(session, user.email, now=NOW, settings=settings())
    raw = last_link(session, user.email)
    late = NOW + timedelta(hours=1, seconds=1)
    assert not links.link_is_valid(session, raw, links.RESET, now=late)
    assert refused(links.reset_with_link, session, raw, NEW, NEW, now=late, settings=settings()).message \
        == links.BAD_LINK
    assert auth.login(session, user.email, PASSWORD, now=late).user.id == user.id  # password unchanged


def test_a_newer_reset_link_voids_the_older_one(session):
    user = factories.influencer(session)
    links.request_reset(session, user.email, now=NOW, settings=settings())
    first = last_link(session, user.email)
    links.request_reset(session, user.email, now=NOW + timedelta(minutes=1), settings=settings())
    second = last_link(session, user.email)
    at = NOW + timedelta(minutes=2)
    assert refused(links.reset_with_link, session, first, NEW, NEW, now=at, settings=settings()).message \
        == links.BAD_LINK
    links.reset_with_link(session, second, NEW, NEW, now=at, settings=settings())


def test_bad_new_password_is_explained_and_keeps_the_link(session):
    user = factories.influencer(session)
    links.request_reset(session, user.email, now=NOW, settings=settings())
    raw = last_link(session, user.email)
    with pytest.raises(ValidationFailed) as err:
        links.reset_with_link(session, raw, NEW, "something-else", now=NOW, settings=settings())
    assert err.value.errors == {"confirm": "The two passwords differ."}
    with pytest.raises(ValidationFailed) as err:
        links.reset_with_link(session, raw, "short", "short", now=NOW, settings=settings())
    assert "password" in err.value.errors
    assert links.link_is_valid(session, raw, links.RESET, now=NOW)
    for bad in ("", "x" * 500, "not-a-token"):
        assert refused(links.reset_with_link, session, bad, NEW, NEW, now=NOW, settings=settings()).message \
            == links.BAD_LINK


def test_reset_mail_reaches_a_real_smtp_server(session, engine, smtp):
    user = factories.influencer(session)
    links.request_reset(session, user.email, now=NOW, settings=settings())
    session.commit()
    assert outbox.deliver_due(engine, now=NOW, settings=smtp.settings())["sent"] == 1
    (mail,) = smtp.messages
    assert mail["To"] == user.email and mail["Subject"] == "Set a new Brandifiers password"
    assert last_link(session, user.email) in mail.get_body(("plain",)).get_content()


# ---- verified addresses --------------------------------------------------------------------------

def unverified(session, user: User) -> str:
    """Treat `user` as a fresh web sign-up: its address unverified, the link mailed; returns the link's token."""
    links.send_verification(session, user, now=NOW, settings=settings())
    session.commit()
    return last_link(session, user.email)


def names(page) -> list[str]:
    return [c.display_name for c in page.rows]


def test_an_unverified_creator_is_not_found_until_the_link_is_opened(session):
    sponsor = factories.sponsor(session, approved=True)
    factories.influencer(session, display_name="Seen Sam", followers="5000")
    new = factories.influencer(session, display_name="New Nora", followers="9000")
    raw = unverified(session, new)
    assert mails(session, new.email)[0].subject == "Verify your e-mail address for Brandifiers"
    assert "sponsors cannot find you" in mails(session, new.email)[0].text_body
    page = search.search_influencers(session, sponsor.id, search.InfluencerFilters())
    assert names(page) == ["Seen Sam"] and page.total == 1
    assert auth.login(session, new.email, PASSWORD, now=NOW).user.id == new.id  # can still log in
    assert links.open_link(session, raw, now=NOW + timedelta(days=6)) == f"Thank you: {new.email} is verified."
    session.commit()
    page = search.search_influencers(session, sponsor.id, search.InfluencerFilters())
    assert names(page) == ["New Nora", "Seen Sam"]
    assert refused(links.open_link, session, raw, now=NOW + timedelta(days=6)).message == links.BAD_LINK


def test_an_unverified_sponsor_waits_outside_the_approval_queue(session):
    admin = factories.admin(session)
    verified = factories.sponsor(session, company_name="Verified Co")
    waiting = factories.sponsor(session, company_name="Waiting Co")
    raw = unverified(session, waiting)
    rows, total = approvals.pending_sponsors(session, admin.id)
    assert ([r.company_name for r in rows], total) == (["Verified Co"], 1)
    assert approvals.unverified_sponsors(session, admin.id) == 1
    assert analytics.compute(session)["users"]["pending_sponsors"] == 1  # the admin home's card counts the queue
    assert "not verified" in refused(approvals.approve_sponsor, session, admin.id, waiting.id).message
    links.open_link(session, raw, now=NOW)
    session.commit()
    rows, total = approvals.pending_sponsors(session, admin.id)
    assert ([r.company_name for r in rows], total) == (["Verified Co", "Waiting Co"], 2)
    assert approvals.unverified_sponsors(session, admin.id) == 0
    assert analytics.compute(session)["users"]["pending_sponsors"] == 2
    assert approvals.approve_sponsor(session, admin.id, waiting.id).status == "active"
    assert verified.id != waiting.id


def test_verification_link_expires_after_seven_days(session):
    user = factories.influencer(session)
    raw = unverified(session, user)
    assert refused(links.open_link, session, raw, now=NOW + timedelta(days=7, seconds=1)).message == links.BAD_LINK
    session.expire_all()
    assert session.get(User, user.id).email_verified is False


def test_resend_is_rate_limited_and_voids_the_older_link(session):
    user = factories.influencer(session)
    first = unverified(session, user)
    limited = settings(verify=(2, 60))
    for _ in range(2):
        assert links.resend_verification(session, user.id, now=NOW, settings=limited) == \
            f"We sent a new link to {user.email}."
    assert refused(links.resend_verification, session, user.id, now=NOW, settings=limited).message.startswith(
        "Too many requests")
    assert len(mails(session, user.email)) == 3
    newest = last_link(session, user.email)
    assert refused(links.open_link, session, first, now=NOW).message == links.BAD_LINK
    links.open_link(session, newest, now=NOW)
    assert "already verified" in refused(links.resend_verification, session, user.id, now=NOW,
                                         settings=settings()).message


def test_admins_and_existing_accounts_count_as_verified(session):
    admin = factories.admin(session)
    user = factories.influencer(session)
    assert admin.email_verified and user.email_verified
    assert "already verified" in refused(links.resend_verification, session, user.id, now=NOW,
                                         settings=settings()).message


# ---- e-mail change ---------------------------------------------------------------------------------

def test_a_new_address_takes_effect_only_from_its_link_and_the_old_one_is_told(session):
    user = factories.influencer(session, email="old@example.com")
    answer = links.request_email_change(session, user.id, " New@Example.com ", now=NOW, settings=settings())
    session.commit()
    assert answer == "We sent a link to new@example.com. Your address changes when you open it."
    session.expire_all()
    assert session.get(User, user.id).email == "old@example.com"
    assert links.pending_email_change(session, user.id, now=NOW) == "new@example.com"
    (confirm,) = mails(session, "new@example.com")
    assert "/verify-email?token=" in confirm.text_body and "old@example.com" in confirm.text_body
    assert mails(session, "old@example.com") == []
    raw = token_in(confirm)
    assert links.open_link(session, raw, now=NOW + timedelta(hours=23)) == \
        "Your e-mail address is now new@example.com."
    session.commit()
    session.expire_all()
    changed = session.get(User, user.id)
    assert (changed.email, changed.email_verified) == ("new@example.com", True)
    (told,) = mails(session, "old@example.com")
    assert told.subject == "Your Brandifiers e-mail address was changed" and "new@example.com" in told.text_body
    assert auth.login(session, "new@example.com", PASSWORD, now=NOW).user.id == user.id
    assert links.pending_email_change(session, user.id, now=NOW) == ""


def test_email_change_refusals_change_nothing(session):
    user = factories.influencer(session, email="me@example.com")
    factories.sponsor(session, email="taken@example.com")
    for bad, message in (("me@example.com", "This is already your e-mail address."),
                         ("taken@example.com", "This e-mail is already registered to another account."),
                         ("not-an-email", None), ("", "E-mail is required.")):
        with pytest.raises(ValidationFailed) as err:
            links.request_email_change(session, user.id, bad, now=NOW, settings=settings())
        assert "new_email" in err.value.errors and (message is None or err.value.errors["new_email"] == message)
    assert session.exec(select(func.count()).select_from(AccountToken)).one() == 0
    # the address was free when asked for, and taken before the link was opened
    links.request_email_change(session, user.id, "late@example.com", now=NOW, settings=settings())
    raw = last_link(session, "late@example.com")
    factories.sponsor(session, email="late@example.com")
    assert "already used by another account" in refused(links.open_link, session, raw, now=NOW).message
    session.rollback()
    session.expire_all()
    assert session.get(User, user.id).email == "me@example.com"


def test_email_change_link_expires_after_a_day(session):
    user = factories.influencer(session)
    links.request_email_change(session, user.id, "next@example.com", now=NOW, settings=settings())
    raw = last_link(session, "next@example.com")
    assert refused(links.open_link, session, raw, now=NOW + timedelta(hours=24, seconds=1)).message == links.BAD_LINK
