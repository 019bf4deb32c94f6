"""The admin console's thin states: the browser's role claims do not count, errors sit by their field."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from brandifiers.models import User
from brandifiers.state.account import AccountState
from brandifiers.state.admin_users import AdminUsersState, UserDetailState
from brandifiers.state.audit_log import AuditLogState
from tests.unit import factories
from tests.unit.factories import PASSWORD
from tests.unit.test_state_handlers import logged_in, redirect_path


def detail_state(monkeypatch, admin_or_user, target_id):
    """The detail state as if opened at /admin/users/<target_id>."""
    monkeypatch.setattr(UserDetailState, "_route_id", lambda _self, _name: target_id)
    return logged_in(UserDetailState, admin_or_user)


def test_user_list_filters_pages_and_field_errors(session):
    admin = factories.admin(session)
    factories.sponsor(session, company_name="Acme Cosmetics")
    state = logged_in(AdminUsersState, admin)
    state.load()
    assert state.total == 2 and state.rows[0]["name"] == "Acme Cosmetics" and not state.has_next
    state.apply_filters({"role": "all", "status": "", "text": "acme"})
    state.load()
    assert [r["name"] for r in state.rows] == ["Acme Cosmetics"]
    state.apply_filters({"signed_up_from": "2025-05-02", "signed_up_to": "2025-05-01"})
    state.load()
    assert "signed_up_to" in state.errors and state.rows == []
    state.clear_filters()
    state.load()
    assert state.total == 2 and state.errors == {}


def test_user_states_refuse_non_admins(session, monkeypatch):
    inf = factories.influencer(session)
    target = factories.influencer(session)
    state = logged_in(AdminUsersState, inf)
    state.user_role = "admin"  # forged display var
    state.load()
    assert state.rows == [] and "not allowed" in state.form_error
    detail = detail_state(monkeypatch, inf, target.id)
    detail.load()
    assert detail.account == {}
    detail.user_id = target.id
    detail.submit_deactivate({"reason": "spam"})
    detail.generate_reset_code()
    assert "not allowed" in detail.form_error and detail.reset_code == ""
    session.expire_all()
    assert session.get(User, target.id).status == "active"


def test_detail_deactivate_reactivate_and_code_shown_once(session, monkeypatch):
    admin = factories.admin(session)
    inf = factories.influencer(session, display_name="Trail Tess")
    state = detail_state(monkeypatch, admin, inf.id)
    state.load()
    assert state.account["name"] == "Trail Tess" and ["Followers", "12,000"] in state.profile
    state.open_deactivate()
    state.submit_deactivate({"reason": " "})
    assert "reason" in state.errors and state.deactivate_open
    state.submit_deactivate({"reason": "Fake followers"})
    assert state.account["status"] == "deactivated" and not state.deactivate_open
    assert state.history[0]["action"] == "user.deactivate"
    state.reactivate()
    assert state.account["status"] == "active"
    state.reactivate()
    assert "already handled" in state.form_error
    # Another admin deactivates the account while this one has the dialog open: the refusal stays
    # in the dialog and the page behind shows the account as it is now.
    from brandifiers.db import session_scope
    from brandifiers.services.accounts import admin_users
    state.open_deactivate()
    with session_scope() as s:
        admin_users.deactivate_user(s, factories.admin(s).id, inf.id, "Spam")
    assert state.account["status"] == "active"
    state.submit_deactivate({"reason": "Fake followers"})
    assert "already" in state.form_error and state.deactivate_open
    assert state.account["status"] == "deactivated"
    with session_scope() as s:
        admin_users.reactivate_user(s, admin.id, inf.id)
    state.load()
    state.generate_reset_code()
    assert len(state.reset_code) == 11 and state.reset_expires.endswith("UTC")
    state.load()
    assert state.reset_code == ""
    missing = detail_state(monkeypatch, admin, 999_999)
    missing.load()
    assert missing.account == {} and "does not exist" in missing.form_error


def test_reset_password_handler(session, monkeypatch):
    admin = factories.admin(session)
    inf = factories.influencer(session, email="tess@example.com")
    code_state = detail_state(monkeypatch, admin, inf.id)
    code_state.load()
    code_state.generate_reset_code()
    state = AccountState()
    form = {"email": "tess@example.com", "code": "WRONG-CODE0", "password": "new-password-1",
            "confirm": "new-password-1"}
    assert asyncio.run(state.reset_password(form)) is None and "not valid" in state.errors["code"]
    asyncio.run(state.reset_password({**form, "confirm": "other"}))
    assert set(state.errors) == {"confirm"}
    assert redirect_path(asyncio.run(state.reset_password({**form, "code": code_state.reset_code}))[-1]) == "/login"
    session.expire_all()
    assert session.exec(select(User).where(User.id == inf.id)).one().password_hash != PASSWORD


def test_audit_state_lists_and_exports(session):
    admin = factories.admin(session)
    factories.sponsor(session, company_name="=cmd")
    state = logged_in(AuditLogState, admin)
    state.load()
    assert state.total == 1 and state.rows[0]["action"] == "user.signup"
    state.apply_filters({"target_id": "x"})
    state.load()
    assert "target_id" in state.errors
    state.clear_filters()
    event = state.export_csv()
    assert event is not None and "download" in str(event).lower()
    inf_state = logged_in(AuditLogState, factories.influencer(session))
    assert inf_state.export_csv() is None and "not allowed" in inf_state.form_error


def test_the_audit_log_shows_status_changes_as_words(session):
    from tests.unit import collab_factories as cf

    people = cf.cast(session, admin=True)
    cf.advance(session, cf.send(session, people.sponsor, people.campaign, people.influencer), "in_progress", people)
    state = logged_in(AuditLogState, people.admin)
    state.load()
    changes = [r["change"] for r in state.rows]
    assert "accepted → in progress" in changes and not any("in_progress" in c for c in changes)
