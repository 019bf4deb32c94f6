"""The notifications page's service: only the owner's rows, paged newest first, unread and kind
filters, mark read (one, all), a link per kind; and the approved sponsor's e-mail through the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import Notification
from brandifiers.models.jobs import OutboxMessage, UserPreference
from brandifiers.services.common import notify
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied
from brandifiers.services.messaging import account_mail
from tests.unit import factories


@pytest.fixture
def inbox(session):
    """An influencer with 25 notifications (every 5th a campaign one, the rest request ones) and a neighbour."""
    me, other = factories.influencer(session), factories.influencer(session)
    start = utcnow() - timedelta(hours=1)
    for i in range(25):
        kind = "campaign.status" if i % 5 == 0 else "request.counter"
        notify.notify(session, me.id, kind, f"Note {i}", link=None if i == 0 else f"/influencer/requests/{i}",
                      now=start + timedelta(minutes=i))
    notify.notify(session, other.id, "request.new", "Not yours", now=start)
    session.commit()
    return me, other


def test_history_is_paged_newest_first_and_only_mine(session, inbox):
    me, _ = inbox
    first, total = notify.history(session, me.id, page_size=10)
    assert total == 25 and [n.title for n in first] == [f"Note {i}" for i in range(24, 14, -1)]
    last, _ = notify.history(session, me.id, page=2, page_size=10)
    assert [n.title for n in last] == [f"Note {i}" for i in range(4, -1, -1)]
    assert "Not yours" not in {n.title for n in first + last}


def test_filters_unread_and_kind(session, inbox):
    me, _ = inbox
    rows, total = notify.history(session, me.id, kind="campaign")
    assert total == 5 and {n.kind_label for n in rows} == {"Campaigns"}
    notify.mark_read(session, me.id, rows[0].id)
    session.commit()
    unread, total = notify.history(session, me.id, unread_only=True)
    assert total == 24 and rows[0].id not in {n.id for n in unread}
    assert notify.unread_count(session, me.id) == 24
    with pytest.raises(DomainError):
        notify.history(session, me.id, kind="nonsense")


def test_mark_read_refuses_someone_elses_notification(session, inbox):
    me, other = inbox
    theirs = session.exec(select(Notification).where(Notification.user_id == other.id)).one()
    with pytest.raises(NotFound):
        notify.mark_read(session, me.id, theirs.id)
    with pytest.raises(NotFound):
        notify.mark_read(session, me.id, 10**12)
    with pytest.raises(PermissionDenied):
        notify.mark_read(session, None, theirs.id)
    session.refresh(theirs)
    assert theirs.read_at is None


def test_mark_all_read_touches_only_mine(session, inbox):
    me, other = inbox
    assert notify.mark_all_mine_read(session, me.id) == 25
    session.commit()
    assert notify.unread_count(session, me.id) == 0 and notify.unread_count(session, other.id) == 1


def test_every_notification_has_a_link_by_kind(session, inbox):
    me, _ = inbox
    rows, _ = notify.history(session, me.id, page_size=50)
    links = {n.title: n.link for n in rows}
    assert links["Note 3"] == "/influencer/requests/3"  # the stored one
    assert links["Note 0"] == "/influencer/campaigns"  # derived from the kind (stored without one)
    admin = factories.admin(session)
    notify.notify(session, admin.id, "account.reset_code", "Admin notice")
    session.commit()
    assert notify.history(session, admin.id)[0][0].link == ""  # no page for it: no link rather than a wrong one


def test_an_approved_sponsor_gets_an_email_through_the_outbox(session):
    admin, sponsor = factories.admin(session), factories.sponsor(session, company_name="Acme Tea")
    account_mail.approve_sponsor(session, admin.id, sponsor.id)
    session.commit()
    mails = session.exec(select(OutboxMessage).where(OutboxMessage.user_id == sponsor.id)).all()
    assert [(m.channel, m.recipient, m.kind) for m in mails] == [("email", sponsor.email, "account.approved")]
    assert "approved" in mails[0].subject and "/sponsor" in mails[0].text_body  # the link to the thing
    assert "/unsubscribe?t=" in mails[0].text_body and mails[0].unsubscribe_url
    assert [n.kind for n in notify.recent(session, sponsor.id)] == ["account.approved"]


def test_no_approval_email_for_a_sponsor_who_opted_out(session):
    admin, sponsor = factories.admin(session), factories.sponsor(session)
    session.add(UserPreference(user_id=sponsor.id, email_opt_out=True))
    session.commit()
    account_mail.approve_sponsor(session, admin.id, sponsor.id)
    session.commit()
    assert session.exec(select(OutboxMessage)).all() == []
    assert notify.unread_count(session, sponsor.id) == 1  # the in-app notice still


def test_only_an_admin_approves_and_nothing_is_queued_otherwise(session):
    sponsor, other = factories.sponsor(session), factories.sponsor(session, approved=True)
    with pytest.raises(PermissionDenied):
        account_mail.approve_sponsor(session, other.id, sponsor.id)
    assert session.exec(select(OutboxMessage)).all() == []
