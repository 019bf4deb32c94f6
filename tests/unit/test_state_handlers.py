"""State handlers are thin, but they are what the browser calls: a wrong role or a foreign id
sent by any browser is refused there and nothing changes."""

from __future__ import annotations

import asyncio

from sqlmodel import func, select

from brandifiers.db import session_scope
from brandifiers.models import Setting, User
from brandifiers.services.accounts import auth
from brandifiers.state.account import AccountState
from brandifiers.state.admin import AdminState
from brandifiers.state.auth import AuthState
from brandifiers.state.dashboards import DashboardState
from tests.unit import factories
from tests.unit.factories import PASSWORD


def redirect_path(event) -> str | None:
    if event is None or getattr(event.handler, "fn", None) is None or event.handler.fn.__qualname__ != "_redirect":
        return None
    return {k._js_expr: v for k, v in event.args}["path"]._var_value


def logged_in(state_cls, user):
    with session_scope() as s:
        token = auth.login(s, user.email, PASSWORD).token
    state = state_cls()
    state.auth_token = token
    return state


def users(session):
    session.expire_all()
    return [(u.id, u.status) for u in session.exec(select(User).order_by(User.id))]


def test_login_handler_sets_token_and_goes_home(session):
    user = factories.influencer(session)
    state = AccountState()
    assert redirect_path(asyncio.run(state.login({"email": user.email, "password": PASSWORD}))) == "/influencer"
    assert state.auth_token and state.user_role == "influencer" and state.errors == {}


def test_login_handler_shows_generic_error_next_to_password(session):
    factories.influencer(session, email="me@example.com")
    state = AccountState()
    assert asyncio.run(state.login({"email": "me@example.com", "password": "nope-nope"})) is None
    assert state.errors == {"password": auth.GENERIC_LOGIN_ERROR} and state.auth_token == ""


def test_signup_submitted_twice_makes_one_account(session):
    data = {"email": "twice@example.com", "password": PASSWORD, "display_name": "Twice", "category": "Food",
            "platform": "tiktok", "handle": "twice", "followers": "10"}
    state = AccountState()
    assert redirect_path(asyncio.run(state.signup_influencer(data))) == "/influencer"
    assert redirect_path(asyncio.run(state.signup_influencer(data))) == "/influencer"
    other_tab = AccountState()
    assert asyncio.run(other_tab.signup_influencer(data)) is None
    assert "already registered" in other_tab.errors["email"]
    assert session.exec(select(func.count()).select_from(User)).one() == 1


def test_signup_errors_stay_next_to_fields(session):
    state = AccountState()
    asyncio.run(state.signup_sponsor({"email": "bad", "password": "short", "company_name": "", "industry": "x"}))
    assert set(state.errors) == {"email", "password", "company_name"}
    assert session.exec(select(func.count()).select_from(User)).one() == 0


def test_guards_send_wrong_roles_home_and_anonymous_to_login(session):
    inf = factories.influencer(session)
    assert redirect_path(logged_in(AuthState, inf).guard_admin()) == "/influencer"
    assert redirect_path(logged_in(AuthState, inf).guard_influencer()) is None
    assert redirect_path(AuthState().guard_sponsor()).startswith("/login")
    pending = factories.sponsor(session)
    assert redirect_path(logged_in(AuthState, pending).guard_sponsor()) == "/awaiting-approval"
    forged = AuthState()
    forged.auth_token = "forged-token"
    forged.user_role = "admin"  # a browser can claim anything; the server does not listen
    assert redirect_path(forged.guard_admin()).startswith("/login")


def test_admin_handlers_refuse_non_admins_and_change_nothing(session):
    pending = factories.sponsor(session)
    inf = factories.influencer(session)
    before = users(session)
    state = logged_in(AdminState, inf)
    state.user_role = "admin"  # forged display var
    state.approve(pending.id)
    assert "not allowed" in state.form_error
    state.reject_id = pending.id
    state.submit_reject({"reason": "because"})
    assert "not allowed" in state.form_error
    state.approve_campaign(1)
    assert "not allowed" in state.form_error
    state.set_setting("campaigns.hold_public_for_approval", True)
    assert "not allowed" in state.form_error
    state.load()
    assert state.pending == [] and state.held == [] and state.settings == []
    assert users(session) == before
    assert session.exec(select(func.count()).select_from(Setting)).one() == 0


def test_admin_handlers_for_admins(session):
    pending = factories.sponsor(session, company_name="Glow Labs")
    other = factories.sponsor(session, company_name="Other")
    state = logged_in(AdminState, factories.admin(session))
    state.load()
    assert [r["company"] for r in state.pending] == ["Glow Labs", "Other"] and state.pending_total == 2
    state.open_reject(other.id, "Other")
    state.submit_reject({"reason": "  "})
    assert "reason" in state.errors and session.get(User, other.id).status == "pending"
    state.approve(pending.id)
    assert state.form_error == "" and [r["company"] for r in state.pending] == ["Other"]
    state.approve(999_999)
    assert "does not exist" in state.form_error
    session.expire_all()
    assert session.get(User, pending.id).status == "active"


def test_dashboard_loaders_refuse_other_roles(session):
    inf = factories.influencer(session)
    sponsor = factories.sponsor(session, approved=True)
    state = logged_in(DashboardState, inf)
    asyncio.run(state.load_sponsor())
    assert state.cards == []
    asyncio.run(state.load_influencer())
    assert state.cards and state.platforms[0]["followers"] == "12,000"
    sstate = logged_in(DashboardState, sponsor)
    asyncio.run(sstate.load_influencer())
    assert sstate.cards == []
    asyncio.run(sstate.load_sponsor())
    assert sstate.title.startswith("Brand")


def test_discovery_result_count_says_what_the_service_knows():
    from brandifiers.services.discovery.search import Page
    from brandifiers.state.discovery import _result_count

    def count(total, more_than=0):
        return _result_count(Page([], 0, 20, False, total, more_than=more_than))

    assert (count(0), count(1), count(1234)) == ("", "1 match", "1,234 matches")
    assert (count(None, 1000), count(None)) == ("More than 1,000 matches", "Many matches")


def test_files_refused_by_the_drop_zone_get_a_message_next_to_their_field():
    """react-dropzone refuses a file of the wrong type or size before it reaches the server: the
    handlers say which file and why, next to the field (not a generic toast)."""
    from brandifiers.state.csv_import import CsvImportState
    from brandifiers.state.profiles import ProfileState

    profile = ProfileState()
    profile.avatar_refused(["./party.gif|file-invalid-type"])  # components.cards.refused_files' texts
    assert profile.errors == {
        "avatar": "party.gif was not accepted: choose a PNG, JPEG or WebP picture of at most 2 MB."}
    csv_state = CsvImportState()
    csv_state.file_refused(["./a.csv|too-many-files", "./b.csv|too-many-files"])
    assert csv_state.errors == {"file": "Choose one file at a time."}
    csv_state.file_refused(["figures.xlsx|file-invalid-type,file-too-large"])
    assert csv_state.errors == {"file": "figures.xlsx was not accepted: choose a .csv file (the template is one) "
                                        "of at most 5 MB."}
