"""CSV exports: a sponsor gets exactly its own data (read back with pandas), formulas are
neutralised, progress reaches 100 and "export ready" is notified; downloads need the owner's
fresh single-use token; admins export whole tables without secrets."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pandas as pd
import pytest
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import AdRequest, Notification
from brandifiers.models.jobs import ExportJob, OutboxMessage
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied
from brandifiers.services.deals import adrequests
from brandifiers.services.records import exports
from tests.unit import collab_factories as cf
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)


@pytest.fixture(autouse=True)
def export_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRANDIFIERS_EXPORT_DIR", str(tmp_path / "exports"))


@pytest.fixture
def people(session):
    p = cf.cast(session, others=True, admin=True, name="=HYPERLINK(\"http://evil\")", budget="2,000")
    r = cf.send(session, p.sponsor, p.campaign, p.influencer, payment="300")
    adrequests.accept_offer(session, p.influencer.id, r.id)
    session.commit()
    adrequests.record_payment(session, p.sponsor.id, r.id, {"amount": "120.50", "paid_on": utcnow().date(),
                                                              "reference": "@SUM(A1)"})
    cf.campaign(session, p.other_sponsor, name="Not yours")
    session.commit()
    return p


def run(session, engine, actor, data):
    job = exports.start_export(session, actor.id, data)
    session.commit()
    exports.run_export(engine, job.id, chunk=1)  # one row per chunk: progress moves
    session.expire_all()
    return session.get(ExportJob, job.id)


def test_sponsor_exports_its_own_campaigns(session, engine, people):
    job = run(session, engine, people.sponsor, {"email_me": "on"})
    assert (job.status, job.progress, job.rows) == ("done", 100, 1) and job.filename.endswith(".csv")
    df = pd.read_csv(job.path, dtype=str)
    assert list(df["name"]) == ["'=HYPERLINK(\"http://evil\")"]  # neutralised, and only its own campaign
    row = df.iloc[0]
    assert (row["budget"], row["committed"], row["paid"], row["remaining"]) == ("2000.00", "300.00", "120.50",
                                                                               "1700.00")
    assert {"start date", "end date", "visibility", "status", "goals", "views", "target views"} <= set(df.columns)
    assert not [c for c in df.columns if "_" in c]  # headers are words
    notes = session.exec(select(Notification).where(Notification.kind == "export.ready")).all()
    assert [n.user_id for n in notes] == [people.sponsor.id]
    mails = session.exec(select(OutboxMessage).where(OutboxMessage.channel == "email",
                                                     OutboxMessage.kind == "export.ready")).all()
    assert [m.recipient for m in mails] == [people.sponsor.email]


def test_requests_and_metrics_come_as_a_zip(session, engine, people):
    job = run(session, engine, people.sponsor, {"include_ad_requests": "on", "include_metrics": "on"})
    with zipfile.ZipFile(job.path) as z:
        assert sorted(z.namelist()) == ["ad_requests.csv", "campaigns.csv", "metrics.csv"]
        requests = pd.read_csv(io.BytesIO(z.read("ad_requests.csv")), dtype=str)
        metrics = pd.read_csv(io.BytesIO(z.read("metrics.csv")), dtype=str)
    assert list(requests["payment"]) == ["300.00"] and list(requests["status"]) == ["accepted"]
    assert metrics.empty and {"views", "deliverable id"} <= set(metrics.columns)  # no posts yet: the header alone


def test_statuses_and_headers_are_words(session, engine, people):
    """A request in progress reads "in progress" in the file, under a "campaign id" header; a stored time's
    header names its zone (UTC), a calendar date's does not."""
    request_id = session.exec(select(AdRequest.id)).one()
    adrequests.start_work(session, people.influencer.id, request_id)
    session.commit()
    job = run(session, engine, people.sponsor, {"include_ad_requests": "on"})
    with zipfile.ZipFile(job.path) as z:
        requests = pd.read_csv(io.BytesIO(z.read("ad_requests.csv")), dtype=str)
    assert list(requests["status"]) == ["in progress"]
    assert {"campaign id", "due date", "initiated by", "accepted at (UTC)", "created at (UTC)"} <= set(requests.columns)
    accepted = session.get(AdRequest, request_id).accepted_at
    assert requests["accepted at (UTC)"].iloc[0].startswith(accepted.strftime("%Y-%m-%d %H:%M:%S"))  # as stored


def test_downloads_are_single_use_and_only_the_owners(session, engine, people):
    job = run(session, engine, people.sponsor, {})
    with pytest.raises(NotFound):
        exports.download_token(session, people.other_sponsor.id, job.id)
    with pytest.raises(NotFound):
        exports.download_token(session, people.admin.id, job.id)  # admins export their own
    session.rollback()
    token = exports.download_token(session, people.sponsor.id, job.id)
    session.commit()
    with pytest.raises(NotFound):
        exports.redeem_token(session, job.id, "forged")
    session.rollback()
    name, path = exports.redeem_token(session, job.id, token)
    session.commit()
    assert name == job.filename and path.exists()
    with pytest.raises(NotFound):
        exports.redeem_token(session, job.id, token)  # used up
    session.rollback()
    late = exports.download_token(session, people.sponsor.id, job.id)
    session.commit()
    with pytest.raises(NotFound):
        exports.redeem_token(session, job.id, late, now=utcnow() + timedelta(minutes=11))


def test_roles_and_bad_choices(session, engine, people):
    with pytest.raises(PermissionDenied):
        exports.start_export(session, people.influencer.id, {})
    with pytest.raises(DomainError) as err:
        exports.start_export(session, people.admin.id, {"table": "usersession"})  # not exportable
    assert err.value.field == "table"
    session.rollback()
    assert session.exec(select(ExportJob)).all() == []
    job = run(session, engine, people.admin, {"table": "users"})
    df = pd.read_csv(job.path, dtype=str)
    assert "password_hash" not in df.columns and len(df) == 5
    job = run(session, engine, people.admin, {"table": "payments"})
    assert list(pd.read_csv(job.path, dtype=str)["reference"]) == ["'@SUM(A1)"]
    with pytest.raises(DomainError, match="not waiting"):
        exports.run_export(engine, job.id)  # a finished export does not run again


def test_parallel_downloads_with_one_token_get_one_file(session, engine, people):
    """Real threads, one session each, released together: of several redeems of one token only one
    succeeds (the token is cleared by one conditional UPDATE, not read and then written)."""
    from tests.unit.test_budget_guard import race

    job = run(session, engine, people.sponsor, {})
    for _ in range(5):
        token = exports.download_token(session, people.sponsor.id, job.id)
        session.commit()
        results = race(engine, *[lambda s, t=token: exports.redeem_token(s, job.id, t) for _ in range(4)])
        assert results.count("ok") == 1, results
        assert all(r == "ok" or isinstance(r, NotFound) for r in results), results
