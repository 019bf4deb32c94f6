"""CSV exports built in the background with pandas, their progress in the database: a sponsor's own
data, an admin's table or a person's data (ZIP), downloaded through a short-lived token (DomainError,
NotFound, PermissionDenied). Design: docs/jobs.md, "Exports"; docs/personal-data.md."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.config import get_settings
from brandifiers.models import COMMITTED as COMMITTED_STATUSES
from brandifiers.models import Role, User, UserStatus, counts_as_paid_sql
from brandifiers.models.jobs import ExportJob
from brandifiers.services.common import audit, parse
from brandifiers.services.common.csv_safe import cents_text, neutralise
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.labels import status_label
from brandifiers.services.common.rbac import require_role
from brandifiers.services.messaging import outbox, receipts
from brandifiers.services.records.personal_parts import PERSONAL_PARTS
from brandifiers.services.rollups import rollup_read

CHUNK = int(os.environ.get("BRANDIFIERS_EXPORT_CHUNK", "20000"))  # rows per read and per progress step
TOKEN_TTL = timedelta(minutes=10)
COMMITTED = "(" + ", ".join(f"'{status}'" for status in COMMITTED_STATUSES) + ")"
CAMPAIGN_TOTALS = rollup_read.totals_sql("campaign")

# Sponsor exports: name -> (SQL with :sponsor, money columns in cents). Every query is scoped to
# the sponsor in its WHERE clause: there is no parameter that could name another sponsor.
SPONSOR_PARTS = {
    "campaigns": (f"""
        SELECT c.id, c.name, c.description, c.category, c.niche, c.start_date, c.end_date, c.budget_cents,
               c.visibility, c.status, c.goals, c.target_views, c.target_engagements, c.target_conversions,
               COALESCE(r.committed, 0) AS committed_cents, COALESCE(p.paid, 0) AS paid_cents,
               c.budget_cents - COALESCE(r.committed, 0) AS remaining_cents,
               COALESCE(t.views, 0) AS views, COALESCE(t.engagements, 0) AS engagements,
               COALESCE(t.clicks, 0) AS clicks, COALESCE(t.conversions, 0) AS conversions,
               COALESCE(t.revenue_cents, 0) AS revenue_cents
        FROM campaign c
        LEFT JOIN (SELECT campaign_id, SUM(payment_cents) AS committed FROM adrequest
                   WHERE sponsor_id = :sponsor AND status IN {COMMITTED} GROUP BY campaign_id) r
               ON r.campaign_id = c.id
        LEFT JOIN (SELECT a.campaign_id, SUM(pay.amount_cents) AS paid FROM payment pay
                   JOIN adrequest a ON a.id = pay.ad_request_id
                   WHERE a.sponsor_id = :sponsor AND {counts_as_paid_sql('pay')}
                   GROUP BY a.campaign_id) p ON p.campaign_id = c.id
        LEFT JOIN {CAMPAIGN_TOTALS} t ON t."key" = CAST(c.id AS VARCHAR(60))
        WHERE c.sponsor_id = :sponsor ORDER BY c.id""",
        ("budget_cents", "committed_cents", "paid_cents", "remaining_cents", "revenue_cents")),
    "ad_requests": ("""
        SELECT a.id, a.campaign_id, c.name AS campaign, i.display_name AS influencer, a.status,
               a.payment_cents, a.due_date, a.initiated_by, a.created_at, a.accepted_at, a.completed_at
        FROM adrequest a JOIN campaign c ON c.id = a.campaign_id
        LEFT JOIN influencerprofile i ON i.user_id = a.influencer_id
        WHERE a.sponsor_id = :sponsor ORDER BY a.id""", ("payment_cents",)),
    "metrics": ("""
        SELECT m.deliverable_id, d.ad_request_id, d.platform, d.post_url, m.day, m.provenance, m.views,
               m.likes, m.comments, m.shares, m.saves, m.clicks, m.conversions, m.revenue_cents
        FROM metricsnapshot m JOIN deliverable d ON d.id = m.deliverable_id
        JOIN adrequest a ON a.id = d.ad_request_id
        WHERE a.sponsor_id = :sponsor ORDER BY m.deliverable_id, m.day, m.provenance""", ("revenue_cents",)),
}
# Admin exports: whole tables, with the columns an admin sees in the console (no secrets).
ADMIN_TABLES = {
    "users": ('SELECT id, email, role, status, status_reason, created_at, last_seen_at FROM "user" ORDER BY id', ()),
    "campaigns": ("SELECT id, sponsor_id, name, category, niche, start_date, end_date, budget_cents, visibility, "
                  "status, flagged, flag_reason, approved, created_at FROM campaign ORDER BY id", ("budget_cents",)),
    "ad_requests": ("SELECT id, campaign_id, sponsor_id, influencer_id, status, payment_cents, initiated_by, "
                    "flagged, flag_reason, created_at, accepted_at, completed_at FROM adrequest ORDER BY id",
                    ("payment_cents",)),
    "payments": ("SELECT id, ad_request_id, amount_cents, paid_on, reference, created_at, state, dispute_reason, "
                 "resolution, resolution_reason FROM payment ORDER BY id",
                 ("amount_cents",)),
    "audit_log": ("SELECT id, created_at, actor_id, actor_role, on_behalf_of_id, action, target_type, target_id, "
                  "summary, before, after FROM auditevent ORDER BY id", ()),
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def export_dir() -> Path:
    path = Path(os.environ.get("BRANDIFIERS_EXPORT_DIR", "exports"))
    path.mkdir(parents=True, exist_ok=True)
    return path


MEMBERS = (Role.SPONSOR, Role.INFLUENCER, Role.ADMIN)


def start_export(session: Session, actor_id: int | None, data: dict, *, now: datetime | None = None) -> ExportJob:
    """Queue an export of the actor's own data (sponsor) or of one table (admin); with scope "personal",
    the ZIP of everything held about a person (start_personal_export)."""
    if data.get("scope") == "personal":
        return start_personal_export(session, actor_id, data.get("user_id"), now=now)
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    if actor.role == Role.ADMIN.value:
        table = parse.text(data.get("table"), "table", "Table")
        if table not in ADMIN_TABLES:
            raise DomainError("Choose a table to export.", "table")
        kind, options = "admin_table", {"parts": [table]}
    else:
        parts = ["campaigns"] + [p for p in ("ad_requests", "metrics") if _on(data.get(f"include_{p}"))]
        kind, options = "sponsor", {"parts": parts}
    options["email"] = _on(data.get("email_me"))
    job = ExportJob(user_id=actor.id, kind=kind, options=json.dumps(options), created_at=now or utcnow())
    session.add(job)
    session.flush()
    return job


def start_personal_export(session: Session, actor_id: int | None, subject_id: int | str | None = None, *,
                          now: datetime | None = None) -> ExportJob:
    """Queue the ZIP of everything the platform holds about a person: the actor's own data, or (an admin,
    on the person's request) the user `subject_id`'s. Audited."""
    actor = require_role(session, actor_id, *MEMBERS)
    subject = actor
    if subject_id not in (None, "", 0, "0"):
        require_role(session, actor_id, Role.ADMIN)
        subject = session.get(User, parse.record_id(subject_id))
        if subject is None:
            raise NotFound("user")
    if subject.status == UserStatus.CLOSED.value:
        raise DomainError("This account is closed: its personal data was erased, there is nothing to download.")
    now = now or utcnow()
    job = ExportJob(user_id=actor.id, kind="personal", created_at=now,
                    options=json.dumps({"parts": list(PERSONAL_PARTS), "subject": subject.id, "email": False}))
    session.add(job)
    session.flush()
    on_request = " on the person's request" if subject.id != actor.id else ""
    audit.record(session, actor, "user.data_export", "user", subject.id,
                 f"personal data export #{job.id} of user #{subject.id}{on_request}", now=now)
    return job


def _on(value) -> bool:
    return value in (True, "on", "true", "1", 1)


def _count(conn, sql: str, params: dict) -> int:
    return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM ({sql}) AS q"), params).scalar_one())


def run_export(engine: Engine, job_id: int, *, chunk: int = CHUNK) -> ExportJob:
    """Build the file of a queued export (the background part). Failures are recorded on the job."""
    with Session(engine) as s:
        job = s.get(ExportJob, job_id)
        if job is None or job.status != "queued":
            raise DomainError("This export is not waiting to run.")
        job.status = "running"
        s.add(job)
        s.commit()
        options, owner = json.loads(job.options), s.get(User, job.user_id)
    parts = options["parts"]
    queries = {"admin_table": ADMIN_TABLES, "personal": PERSONAL_PARTS}.get(job.kind, SPONSOR_PARTS)
    params = {"admin_table": {}, "personal": {"user": options.get("subject")}}.get(job.kind, {"sponsor": owner.id})
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    files: list[tuple[str, Path]] = []
    try:
        with engine.connect() as conn:
            total = sum(_count(conn, queries[p][0], params) for p in parts) or 1
            done = 0
            for part in parts:
                sql, money = queries[part]
                path = export_dir() / f"export-{job_id}-{part}.csv"
                header = True
                with path.open("w", encoding="utf-8", newline="") as out:
                    for frame in pd.read_sql(sa.text(sql), conn, params=params, chunksize=chunk):
                        frame = for_people(cents_text(neutralise(frame), money))  # money stays a number
                        frame.to_csv(out, index=False, header=header)
                        header = False
                        done += len(frame)
                        _progress(engine, job_id, min(99, done * 100 // total), done)
                    if header:  # no rows: still a file with its header
                        pd.DataFrame(columns=_columns(conn, sql, params, money)).to_csv(out, index=False)
                files.append((part, path))
        extra = []
        if job.kind == "personal":  # each payment's receipt beside payments.csv
            with Session(engine) as s:
                extra = receipts.receipts_html(s, options.get("subject"))
        name, path = _package(job_id, files, stamp, "my-data" if job.kind == "personal" else "export", extra)
    except Exception as exc:  # recorded for the user; the half-made files are removed
        for _part, p in files:
            p.unlink(missing_ok=True)
        with Session(engine) as s:
            job = s.get(ExportJob, job_id)
            job.status, job.error, job.finished_at = "failed", str(exc)[:1000], utcnow()
            s.add(job)
            s.commit()
        raise
    return _finish(engine, job_id, name, path, done, options)


def _columns(conn, sql: str, params: dict, money) -> list[str]:
    cols = list(conn.execute(sa.text(f"SELECT * FROM ({sql}) AS q LIMIT 0"), params).keys())
    return [header(c[:-6] if c in money and c.endswith("_cents") else c) for c in cols]


def header(column: str) -> str:
    """A column's header as words; a stored time (name_at, kept in UTC) names its zone: "created at (UTC)".
    Calendar dates (due_date, paid_on, day) are days, not times, and say nothing."""
    words = status_label(column)
    return f"{words} (UTC)" if column.endswith("_at") else words


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """Headers and status values as words ("start date", "in progress", "created at (UTC)"): the files are
    read in a spreadsheet, and no program reads them back (the metric import has its own template)."""
    if "status" in frame.columns:
        frame["status"] = frame["status"].map(status_label, na_action="ignore")
    return frame.rename(columns=header)


def _package(job_id: int, files: list[tuple[str, Path]], stamp: str, label: str,
             extra: list[tuple[str, str]] = ()) -> tuple[str, Path]:
    if len(files) == 1:
        part, path = files[0]
        return f"brandifiers-{part}-{stamp}.csv", path
    path = export_dir() / f"export-{job_id}.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for part, p in files:
            z.write(p, f"{part}.csv")
            p.unlink()
        for name, text in extra:
            z.writestr(name, text)
    return f"brandifiers-{label}-{stamp}.zip", path


def _progress(engine: Engine, job_id: int, percent: int, rows: int) -> None:
    with Session(engine) as s:
        s.exec(sa.update(ExportJob).where(ExportJob.id == job_id).values(progress=percent, rows=rows))
        s.commit()


def _finish(engine: Engine, job_id: int, name: str, path: Path, rows: int, options: dict) -> ExportJob:
    now = utcnow()
    with Session(engine, expire_on_commit=False) as s:
        job = s.get(ExportJob, job_id)
        job.status, job.progress, job.rows, job.filename, job.path, job.finished_at = \
            "done", 100, rows, name, str(path), now
        s.add(job)
        owner = s.get(User, job.user_id)
        link = _link(owner, job.kind, options)
        text = f"{name} ({rows:,} rows) is ready to download."
        outbox.enqueue(s, kind="export.ready", channel="inapp", recipient=str(owner.id), period=str(job_id),
                       subject="Your export is ready", text=text, link=link, user_id=owner.id, now=now)
        if options.get("email"):
            outbox.enqueue(s, kind="export.ready", channel="email", recipient=owner.email, period=str(job_id),
                           subject="Your Brandifiers export is ready", user_id=owner.id, now=now,
                           text=f"{text}\nDownload it from {get_settings().public_url}{link}")
        s.commit()
        outbox.deliver_due(engine, now=now)  # the in-app notice at once (e-mail: also, or later by the job)
        return job


def _link(owner: User, kind: str, options: dict) -> str:
    """Where the owner downloads a finished export."""
    if kind == "personal":
        if owner.role == Role.ADMIN.value:
            return f"/admin/users/{options.get('subject')}"
        return f"/{owner.role}/profile"
    return "/admin/exports" if owner.role == Role.ADMIN.value else "/sponsor/exports"


def my_exports(session: Session, actor_id: int | None, limit: int = 20) -> list[ExportJob]:
    actor = require_role(session, actor_id, *MEMBERS)
    stmt = select(ExportJob).where(ExportJob.user_id == actor.id).order_by(ExportJob.id.desc()).limit(limit)
    return list(session.exec(stmt))


def get_export(session: Session, actor_id: int | None, job_id: int) -> ExportJob:
    """One of the actor's own exports (another user's does not exist for it, admins included)."""
    actor = require_role(session, actor_id, *MEMBERS)
    job = session.get(ExportJob, parse.record_id(job_id))
    if job is None or job.user_id != actor.id:
        raise NotFound("export")
    return job


def download_token(session: Session, actor_id: int | None, job_id: int, *, now: datetime | None = None) -> str:
    """A new single-use link token for a finished export (valid TOKEN_TTL)."""
    job = get_export(session, actor_id, job_id)
    if job.status != "done":
        raise DomainError("This export is not ready yet.")
    token = secrets.token_urlsafe(32)
    job.token_hash, job.token_expires_at = _hash(token), (now or utcnow()) + TOKEN_TTL
    session.add(job)
    return token


def redeem_token(session: Session, job_id: int, token: str, *, now: datetime | None = None) -> tuple[str, Path]:
    """(filename, path) for a valid token; the token is used up."""
    now = now or utcnow()
    if not token:
        raise NotFound("download")
    # One conditional UPDATE checks and clears the token: of parallel downloads with it, only one gets a row.
    row = session.execute(sa.update(ExportJob).where(
        ExportJob.id == parse.record_id(job_id), ExportJob.token_hash == _hash(token),
        ExportJob.token_expires_at >= now,
        ExportJob.status == "done").values(token_hash=None, token_expires_at=None)
        .returning(ExportJob.filename, ExportJob.path, ExportJob.kind, ExportJob.user_id, ExportJob.options)
        .execution_options(synchronize_session=False)).first()
    if row is None:
        raise NotFound("download")
    if row[2] == "personal":  # a person's data left the platform: on the record
        subject = json.loads(row[4]).get("subject")
        audit.record(session, session.get(User, row[3]), "user.data_download", "user", subject,
                     f"personal data of user #{subject} downloaded ({row[0]})", now=now)
    return row[0], Path(row[1])
