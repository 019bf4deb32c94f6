"""A person's data: the ZIP holds exactly that person's rows (not the other party's private fields); closing
an account erases what is personal (searched in every row), keeps the ledger and the statistics, and is
refused with a wrong password, without CLOSE typed or while a deal is open; the admin's closure is audited."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from brandifiers.models import AdRequest, AuditEvent, Deliverable, Funding, Offer, Payment, User, UserStatus
from brandifiers.models.jobs import ExportJob
from brandifiers.models.notify import NotificationChoice
from brandifiers.services.accounts import admin_users, auth, closure
from brandifiers.services.common import channels
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from brandifiers.services.deals import adrequests, dashboards, requests_read
from brandifiers.services.metrics.metrics import enter_day
from brandifiers.services.records import exports
from brandifiers.services.records.personal_parts import PERSONAL_PARTS
from brandifiers.services.rollups.rollups import run_rollup
from brandifiers.state.admin_users import UserDetailState
from brandifiers.state.personal_data import YourDataState
from tests.unit import collab_factories as cf
from tests.unit import factories
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.factories import PASSWORD
from tests.unit.stats_factories import stored
from tests.unit.test_state_handlers import logged_in, redirect_path

CLOSE = {"password": PASSWORD, "confirm": "CLOSE"}


@pytest.fixture(autouse=True)
def export_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRANDIFIERS_EXPORT_DIR", str(tmp_path / "exports"))


@pytest.fixture
def deal(session):
    """A completed, fully paid deal with a day of figures; an open (pending) request on the side;
    a second sponsor's deal with another influencer that nothing here may touch."""
    p = cf.cast(session, others=True, admin=True, budget="5,000")
    r = cf.advance(session, cf.send(session, p.sponsor, p.campaign, p.influencer, payment="300"), "submitted", p)
    adrequests.approve_deliverables(session, p.sponsor.id, r.id)
    adrequests.record_payment(session, p.sponsor.id, r.id, {"amount": "300", "paid_on": cf.today(),
                                                            "reference": "INV-77"})
    session.commit()
    deliverable = session.exec(select(Deliverable).where(Deliverable.ad_request_id == r.id)).one()
    enter_day(session, p.influencer.id, deliverable.id, cf.today(), {"views": "4321", "likes": "210"})
    session.commit()
    p.pending = cf.send(session, p.sponsor, cf.campaign(session, p.sponsor), p.influencer, payment="90")
    other_campaign = cf.campaign(session, p.other_sponsor)
    p.foreign = cf.send(session, p.other_sponsor, other_campaign, p.other_influencer, payment="55")
    run_rollup(session)
    session.commit()
    p.request = r
    return p


def personal_zip(session, engine, actor, data=None) -> dict[str, pd.DataFrame]:
    job = exports.start_export(session, actor.id, {"scope": "personal", **(data or {})})
    session.commit()
    exports.run_export(engine, job.id)
    session.expire_all()
    job = session.get(ExportJob, job.id)
    assert job.status == "done" and job.filename.startswith("brandifiers-my-data-") and job.filename.endswith(".zip")
    with zipfile.ZipFile(job.path) as z:
        csvs = [n for n in z.namelist() if not n.startswith("receipts/")]
        assert sorted(csvs) == sorted(f"{p}.csv" for p in PERSONAL_PARTS)
        files = {n[:-4]: pd.read_csv(io.BytesIO(z.read(n)), dtype=str, keep_default_na=False) for n in csvs}
        receipts = [n for n in z.namelist() if n.startswith("receipts/")]  # HTML, checked with the CSVs
        files["receipts"] = pd.DataFrame({"name": receipts, "html": [z.read(n).decode() for n in receipts]})
        return files


def test_the_zip_holds_exactly_the_persons_rows(session, engine, deal):
    # A card funding given back on the person's deal, one held on a stranger's; notification choices changed.
    session.add(Funding(ad_request_id=deal.request.id, amount_cents=12_500, gateway="stripe", payment_id="pi_mine",
                        status="refunded", funded_by_id=deal.sponsor.id))
    session.add(Funding(ad_request_id=deal.foreign.id, amount_cents=5_500, gateway="stripe", payment_id="pi_theirs",
                        status="held", funded_by_id=deal.other_sponsor.id))
    channels.store(session, deal.sponsor.id, {"report": channels.Choice(email=False, chat=False, digest=True),
                                              channels.REMINDER: channels.Choice(email=False, chat=True, digest=False)})
    session.commit()
    files = personal_zip(session, engine, deal.sponsor)
    assert list(files["profile"]["email"]) == [deal.sponsor.email]
    assert list(files["profile"]["yearly budget"]) == ["50000.00"]
    assert sorted(files["requests"]["id"].astype(int)) == sorted([deal.request.id, deal.pending.id])
    assert set(files["requests"]["your side"]) == {"sponsor"}
    assert len(files["campaigns"]) == 2 and files["social_accounts"].empty
    assert list(files["payments"]["amount"]) == ["300.00"] and list(files["payments"]["reference"]) == ["INV-77"]
    assert list(files["payments"]["state"]) == ["recorded"]
    payment_id = int(files["payments"]["id"].iloc[0])
    assert list(files["receipts"]["name"]) == [f"receipts/R-{payment_id:06d}.html"]  # each payment's receipt
    assert "$300.00" in files["receipts"]["html"].iloc[0]
    assert list(files["figures"]["views"]) == ["4321"]
    fundings = files["fundings"]
    assert [(f["amount"], f["status"], f["funded by"], f["ad request id"]) for _, f in fundings.iterrows()] == [
        ("125.00", "refunded", "you", str(deal.request.id))]  # the stranger's card payment is not there
    choices = files["notification_choices"]
    assert [(c["kind"], c["email"], c["chat"], c["timing"]) for _, c in choices.iterrows()] == [
        ("reminder", "off", "on", "daily"), ("report", "off", "off", "daily digest")]
    assert set(files["offers"]["ad request id"].astype(int)) == {deal.request.id, deal.pending.id}
    assert "user.data_export" in set(files["audit_entries"]["action"])
    everything = "\n".join(df.to_csv() for df in files.values())
    # The other party by its public name only; its e-mail and private fields, and strangers' rows, never.
    assert deal.influencer.email not in everything and deal.other_sponsor.email not in everything
    assert str(deal.foreign.payment_cents // 100) + ".00" not in set(files["requests"]["payment"])
    mine = files["notifications"]
    assert len(mine) > 0 and set(mine["link"]) <= {link for link in mine["link"] if "/sponsor/" in link or not link}


def test_the_influencer_gets_its_handles_and_figures_and_the_admin_a_persons_on_request(session, engine, deal):
    files = personal_zip(session, engine, deal.influencer)
    assert list(files["social_accounts"]["handle"]) != [""] and files["campaigns"].empty
    assert "created at (UTC)" in files["campaigns"].columns  # an empty part's header names the zone too
    assert {"created at (UTC)", "last seen at (UTC)", "expires at (UTC)"} <= set(files["sessions"].columns)
    assert list(files["figures"]["likes"]) == ["210"] and set(files["requests"]["your side"]) == {"influencer"}
    assert deal.sponsor.email not in "\n".join(df.to_csv() for df in files.values())
    with pytest.raises(PermissionDenied):  # only an admin names someone else
        exports.start_export(session, deal.sponsor.id, {"scope": "personal", "user_id": str(deal.influencer.id)})
    session.rollback()
    files = personal_zip(session, engine, deal.admin, {"user_id": str(deal.influencer.id)})
    assert list(files["profile"]["email"]) == [deal.influencer.email]
    job = session.exec(select(ExportJob).order_by(ExportJob.id.desc())).first()
    token = exports.download_token(session, deal.admin.id, job.id)
    exports.redeem_token(session, job.id, token)
    session.commit()
    actions = session.exec(select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.target_id)
                           .where(AuditEvent.action.like("user.data_%"))).all()
    assert (("user.data_export", deal.admin.id, deal.influencer.id) in actions
            and ("user.data_download", deal.admin.id, deal.influencer.id) in actions)


def _row_values(session) -> str:
    """Every value of every row but the append-only audit log (docs/personal-data.md)."""
    out = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name == "auditevent":
            continue
        for row in session.execute(sa.select(table)).all():
            out.extend(str(v) for v in row)
    return "\n".join(out)


def test_closing_erases_the_person_and_keeps_the_ledger(session, engine, deal):
    me, email = deal.influencer, deal.influencer.email
    name = session.exec(sa.text("SELECT display_name FROM influencerprofile WHERE user_id = :u"),
                        params={"u": me.id}).scalar_one()
    before_ledger = dashboards.sponsor_overview(session, deal.sponsor.id)
    offers = [o.model_dump() for o in session.exec(select(Offer).order_by(Offer.id))]
    payments = [p.model_dump() for p in session.exec(select(Payment).order_by(Payment.id))]
    before_stats = stored(session)
    assert email in _row_values(session) and name in _row_values(session)
    channels.store(session, me.id, {"payment": channels.Choice(email=False, chat=False, digest=True)})
    session.commit()

    closure.close_own_account(session, me.id, CLOSE)
    session.commit()
    session.expire_all()

    values = _row_values(session)
    assert email not in values and name not in values  # nothing personal left, anywhere
    user = session.get(User, me.id)
    assert user.status == UserStatus.CLOSED.value and user.email.endswith("@closed.invalid")
    assert not session.exec(select(NotificationChoice).where(NotificationChoice.user_id == me.id)).all()
    assert session.exec(sa.text("SELECT display_name, bio, avatar_path FROM influencerprofile WHERE user_id = :u"),
                        params={"u": me.id}).one() == ("Closed account", None, None)
    # The ledger and the statistics are those of before; the pending request was withdrawn.
    assert [o.model_dump() for o in session.exec(select(Offer).order_by(Offer.id))] == offers
    assert [p.model_dump() for p in session.exec(select(Payment).order_by(Payment.id))] == payments
    after_ledger = dashboards.sponsor_overview(session, deal.sponsor.id)
    assert {k: after_ledger[k] for k in ("committed_cents", "paid_cents", "budget_cents")} == \
           {k: before_ledger[k] for k in ("committed_cents", "paid_cents", "budget_cents")}
    run_rollup(session)
    session.commit()
    assert stored(session) == before_stats
    assert session.get(AdRequest, deal.pending.id).status == "withdrawn"
    assert session.get(AdRequest, deal.request.id).status == "completed"
    assert session.get(AdRequest, deal.foreign.id).status == "pending"
    view = requests_read.get_request(session, deal.sponsor.id, deal.request.id)
    assert "Closed account" in str(view) and "The other party closed their account" in str(view)
    # Signed out, cannot log in with the old e-mail; the e-mail signs up again.
    assert auth.resolve_session(session, "x") is None
    with pytest.raises(DomainError):
        auth.login(session, email, PASSWORD)
    session.rollback()
    again = factories.influencer(session, email=email)
    assert again.id != me.id
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.close")).one()
    assert (event.actor_id, event.target_id) == (me.id, me.id) and email not in event.summary
    with pytest.raises((DomainError, PermissionDenied)):
        exports.start_export(session, me.id, {"scope": "personal"})


def _with(deal, influencer):
    return SimpleNamespace(sponsor=deal.sponsor, influencer=influencer)


def test_closing_is_refused_with_a_wrong_password_no_confirmation_or_an_open_deal(session, deal):
    with pytest.raises(ValidationFailed) as err:
        closure.close_own_account(session, deal.sponsor.id, {"password": "wrong-password", "confirm": "CLOSE"})
    assert err.value.errors == {"password": "That is not your password."}
    with pytest.raises(ValidationFailed) as err:
        closure.close_own_account(session, deal.sponsor.id, {"password": PASSWORD, "confirm": "close it"})
    assert set(err.value.errors) == {"confirm"}
    running = cf.advance(session, cf.send(session, deal.sponsor, deal.campaign, deal.other_influencer,
                                          payment="120"), "in_progress", _with(deal, deal.other_influencer))
    with pytest.raises(DomainError) as err:
        closure.close_own_account(session, deal.sponsor.id, CLOSE)
    assert f"#{running.id}" in err.value.message and "in progress" in err.value.message
    session.rollback()
    session.expire_all()
    assert session.get(User, deal.sponsor.id).status == UserStatus.ACTIVE.value
    assert session.get(AdRequest, deal.pending.id).status == "pending"  # nothing was written
    with pytest.raises(PermissionDenied):  # an admin's own account is not closed by itself
        closure.close_own_account(session, deal.admin.id, CLOSE)


def test_a_completed_deal_not_paid_in_full_blocks_closing(session, deal):
    r = cf.advance(session, cf.send(session, deal.sponsor, deal.campaign, deal.other_influencer, payment="80"),
                   "completed", _with(deal, deal.other_influencer))
    with pytest.raises(DomainError) as err:
        closure.close_own_account(session, deal.other_influencer.id, CLOSE)
    assert f"#{r.id}" in err.value.message and "not paid in full" in err.value.message


def test_the_admin_closes_an_account_on_request_and_it_is_audited(session, engine, deal):
    with pytest.raises(PermissionDenied):
        closure.admin_close_account(session, deal.sponsor.id, deal.influencer.id, {"reason": "x", "confirm": "CLOSE"})
    with pytest.raises(ValidationFailed) as err:
        closure.admin_close_account(session, deal.admin.id, deal.influencer.id, {"confirm": "CLOSE"})
    assert set(err.value.errors) == {"reason"}
    with pytest.raises(NotFound):
        closure.admin_close_account(session, deal.admin.id, 999999, {"reason": "x", "confirm": "CLOSE"})
    theirs = personal_zip(session, engine, deal.admin, {"user_id": str(deal.sponsor.id)})
    assert list(theirs["profile"]["email"]) == [deal.sponsor.email]
    other = exports.start_export(session, deal.admin.id, {"scope": "personal", "user_id": str(deal.influencer.id)})
    session.commit()
    zips = {j.id: j.path for j in session.exec(select(ExportJob))}
    closure.admin_close_account(session, deal.admin.id, deal.sponsor.id,
                                {"reason": "E-mail of 3 December", "confirm": "CLOSE"})
    session.commit()
    # The admin's ZIP of the closed person's data is gone (row and file); its export of someone else stays.
    assert [j.id for j in session.exec(select(ExportJob))] == [other.id]
    assert not any(Path(p).exists() for j, p in zips.items() if p and j != other.id)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.close")).one()
    assert (event.actor_id, event.target_id, event.actor_role) == (deal.admin.id, deal.sponsor.id, "admin")
    assert "E-mail of 3 December" in event.summary
    assert session.get(User, deal.sponsor.id).status == UserStatus.CLOSED.value
    # The influencer's side of the ledger is unchanged.
    balances = adrequests.earnings(session, deal.influencer.id)
    assert (balances["agreed_cents"], balances["paid_cents"]) == (30000, 30000)
    with pytest.raises(DomainError):
        closure.admin_close_account(session, deal.admin.id, deal.sponsor.id, {"reason": "again", "confirm": "CLOSE"})


def test_the_states_close_with_the_password_and_refuse_others(session, deal, monkeypatch):
    state = logged_in(YourDataState, deal.influencer)
    state.open_close()
    state.close_account({"password": "nope", "confirm": "CLOSE"})
    assert state.errors == {"password": "That is not your password."} and state.close_open and state.auth_token
    # A sponsor posing as the admin on the user page closes nothing.
    monkeypatch.setattr(UserDetailState, "_route_id", lambda _self, _name: deal.influencer.id)
    detail = logged_in(UserDetailState, deal.sponsor)
    detail.user_id = deal.influencer.id
    detail.submit_close_account({"reason": "asked", "confirm": "CLOSE"})
    assert "not allowed" in detail.form_error
    session.expire_all()
    assert session.get(User, deal.influencer.id).status == UserStatus.ACTIVE.value
    events = state.close_account({"password": PASSWORD, "confirm": "CLOSE"})
    assert redirect_path(events[-1]) == "/login" and state.auth_token == "" and state.user_role == ""
    session.expire_all()
    assert session.get(User, deal.influencer.id).status == UserStatus.CLOSED.value


def test_a_closed_account_takes_no_reset_code_or_deactivation(session, deal):
    closure.close_own_account(session, deal.influencer.id, CLOSE)
    session.commit()
    for fn, args in ((admin_users.create_reset_code, ()), (admin_users.deactivate_user, ("spam",))):
        with pytest.raises(DomainError, match="This account is closed"):
            fn(session, deal.admin.id, deal.influencer.id, *args)
