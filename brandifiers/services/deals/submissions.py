"""Submissions of posts for an ad request: several posts in one submission, each row checked on its own
(fields platform_N / post_url_N / note_N), the revision note that sends one back, and the history the
request page shows (each earlier submission replaced by the next). Raises ValidationFailed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from brandifiers.models import AdRequest, AdRequestStatus, Deliverable, Platform, Submission, SubmissionPost
from brandifiers.services.common.errors import ValidationFailed
from brandifiers.services.common.validation import Form, post_url_error

MAX_POSTS = 20
FIRST_ROW = "post_url_0"  # where "add at least one post" and "too many posts" land

# Existing deliverables (each distinct ad request and submission time) as submissions of their posts;
# copied (frozen) into the migration e2b4c6d8f0a1. The seed runs it after its bulk insert.
BACKFILL = (
    "INSERT INTO submission (ad_request_id, submitted_at) "
    "SELECT DISTINCT ad_request_id, submitted_at FROM deliverable",
    "INSERT INTO submissionpost (submission_id, deliverable_id, position, platform, post_url, note) "
    "SELECT s.id, d.id, 0, d.platform, d.post_url, d.note FROM deliverable d JOIN submission s "
    "ON s.ad_request_id = d.ad_request_id AND s.submitted_at = d.submitted_at",
    # a request back in progress with a revision note: its latest submission was sent back
    # (one set-based UPDATE ... FROM, not a per-row max() subquery: bench/README.md, 2026-12-06)
    "UPDATE submission SET revision_note = a.revision_note, revision_requested_at = a.updated_at "
    "FROM adrequest a, (SELECT ad_request_id, max(submitted_at) AS latest FROM submission "
    "GROUP BY ad_request_id) m "
    "WHERE a.id = submission.ad_request_id AND a.status = 'in_progress' AND a.revision_note IS NOT NULL "
    "AND m.ad_request_id = submission.ad_request_id AND submission.submitted_at = m.latest",
)


def valid_posts(posts: list[dict]) -> list[tuple[str, str, str]]:
    """(platform, url, note) per row, or ValidationFailed naming each bad row's field (row N: platform_N,
    post_url_N, note_N); nothing is kept from a list with any bad row."""
    posts = list(posts or [])
    if not posts:
        raise ValidationFailed({FIRST_ROW: "Add at least one post."})
    if len(posts) > MAX_POSTS:
        raise ValidationFailed({FIRST_ROW: f"Submit at most {MAX_POSTS} posts at a time."})
    form = Form({f"{k}_{i}": v for i, post in enumerate(posts) for k, v in dict(post).items()})
    result, seen = [], set()
    for i in range(len(posts)):
        platform = form.choice(f"platform_{i}", "Platform", [p.value for p in Platform])
        url = form.text(f"post_url_{i}", "Post address", max_len=500)
        note = form.text(f"note_{i}", "Note", max_len=2000, required=False)
        if url and (error := post_url_error(platform, url)):
            form.error(f"post_url_{i}", error)
        elif url in seen:
            form.error(f"post_url_{i}", "This post is listed twice.")
        seen.add(url)
        result.append((platform, url, note))
    form.check()
    return result


def record_submission(session: Session, request: AdRequest, valid: list[tuple[str, str, str]],
                      now: datetime) -> list[Deliverable]:
    """A new submission listing the posts. A post already on record (same address) is the same
    Deliverable, updated in place (its metrics stay with it); the others are added."""
    existing = {d.post_url: d for d in session.exec(select(Deliverable).where(Deliverable.ad_request_id == request.id))}
    submission = Submission(ad_request_id=request.id, submitted_at=now)
    session.add(submission)
    rows = []
    for platform, url, note in valid:
        row = existing.get(url) or Deliverable(ad_request_id=request.id, post_url=url, platform=platform)
        row.platform, row.note, row.submitted_at = platform, note, now
        session.add(row)
        rows.append(row)
    session.flush()
    session.add_all([SubmissionPost(submission_id=submission.id, deliverable_id=row.id, position=i,
                                    platform=row.platform, post_url=row.post_url, note=row.note)
                     for i, row in enumerate(rows)])
    session.flush()
    return rows


def _latest(session: Session, request_id: int) -> Submission | None:
    return session.exec(select(Submission).where(Submission.ad_request_id == request_id)
                        .order_by(Submission.submitted_at.desc(), Submission.id.desc()).limit(1)).first()


def send_back(session: Session, request: AdRequest, note: str, now: datetime) -> None:
    """The revision note answers the latest submission (and stays the request's last revision note)."""
    request.revision_note = note
    if (latest := _latest(session, request.id)) is not None:
        latest.revision_note, latest.revision_requested_at = note, now
        session.add(latest)


@dataclass
class SubmissionView:
    submission: Submission
    posts: list[SubmissionPost] = field(default_factory=list)
    replaced_by: datetime | None = None  # when the next submission came (None: the current one)


def history(session: Session, request_id: int) -> list[SubmissionView]:
    """The request's submissions, newest first, each with its posts in the order they were listed."""
    subs = list(session.exec(select(Submission).where(Submission.ad_request_id == request_id)
                             .order_by(Submission.submitted_at.desc(), Submission.id.desc())))
    posts: dict[int, list[SubmissionPost]] = {}
    if subs:
        stmt = (select(SubmissionPost).where(SubmissionPost.submission_id.in_([s.id for s in subs]))
                .order_by(SubmissionPost.position, SubmissionPost.deliverable_id))  # backfilled rows: all at 0
        for p in session.exec(stmt):
            posts.setdefault(p.submission_id, []).append(p)
    return [SubmissionView(s, posts.get(s.id, []), subs[i - 1].submitted_at if i else None)
            for i, s in enumerate(subs)]


def current_revision_note(request: AdRequest, subs: list[SubmissionView]) -> str:
    """The revision banner's text: only while the request is back in progress and its latest submission
    was sent back; a resubmission, approval or payment ends it."""
    if request.status != AdRequestStatus.IN_PROGRESS.value or not subs:
        return ""
    return subs[0].submission.revision_note or ""
