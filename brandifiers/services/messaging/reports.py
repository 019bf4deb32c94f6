"""Monthly activity reports for sponsors: the month's figures, one HTML rendering, a text part and a PDF
of the same HTML, queued in the outbox; the sponsor's Reports page (DomainError, NotFound,
PermissionDenied). Design: docs/messaging.md."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import multiprocessing
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2
from sqlmodel import Session, func, select

from brandifiers.clock import utcnow
from brandifiers.config import Settings, get_settings
from brandifiers.models import COMMITTED, AdRequest, Campaign, Role, SponsorProfile, User, UserStatus
from brandifiers.models.jobs import MonthlyReport
from brandifiers.services.common import channels, parse, zones
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.rbac import require_role
from brandifiers.services.messaging import outbox
from brandifiers.services.messaging.mailer import Attachment
from brandifiers.services.metrics import metric_defs
from brandifiers.services.rollups import rollup_read
from brandifiers.services.stats import goals

KIND = "report.monthly"
log = logging.getLogger("brandifiers.reports")
REPORT_METRICS = ("views", "engagements", "revenue_cents")  # from the sponsor's day rollups
# Every sponsor's month is counted in one pass over the same bounds, so reports use one zone and say so.
REPORT_ZONE = "UTC"
MAX_CAMPAIGNS = 25  # rows in the budget table; the rest are counted
PARALLEL_FROM = 24  # reports in a batch before PDFs are made in several processes
TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).resolve().parents[2] / "templates"),
                               autoescape=jinja2.select_autoescape(["html"]), keep_trailing_newline=True)
COUNTS = (("sent", "Ad requests sent", AdRequest.created_at),
          ("accepted", "Ad requests accepted", AdRequest.accepted_at),
          ("completed", "Ad requests completed", AdRequest.completed_at))


def month_bounds(month: str) -> tuple[date, date]:
    """'2026-10' -> (2026-10-01, 2026-11-01)."""
    try:
        start = date.fromisoformat(parse.month(month, "month") + "-01")
    except ValueError as exc:
        raise DomainError("Choose a month like 2026-10.", "month") from exc
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, end


def previous_month(month: str) -> str:
    start, _ = month_bounds(month)
    return f"{start.year - (start.month == 1):04d}-{(start.month - 2) % 12 + 1:02d}"


def last_month(now: datetime, settings: Settings) -> str:
    local = zones.local_today(settings.timezone, now)
    return previous_month(f"{local.year:04d}-{local.month:02d}")


def _at(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time(), tzinfo=UTC)


def month_figures(session: Session, month: str) -> dict[int, dict[str, int]]:
    """Every sponsor's figures for one month: {sponsor_id: {sent, accepted, completed, spend_cents,
    views, engagements, revenue_cents}} (sponsors with nothing are absent)."""
    start, end = month_bounds(month)
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, _label, column in COUNTS:
        stmt = (select(AdRequest.sponsor_id, func.count()).where(column >= _at(start), column < _at(end))
                .group_by(AdRequest.sponsor_id))
        for sponsor_id, n in session.exec(stmt):
            out[sponsor_id][key] = int(n)
    agreed = (select(AdRequest.sponsor_id, func.sum(AdRequest.payment_cents))
              .where(AdRequest.accepted_at >= _at(start), AdRequest.accepted_at < _at(end),
                     AdRequest.status.in_(COMMITTED)).group_by(AdRequest.sponsor_id))
    for sponsor_id, cents in session.exec(agreed):
        out[sponsor_id]["spend_cents"] = int(cents or 0)
    for key, sums in rollup_read.day_sums(session, "sponsor", start, end, REPORT_METRICS).items():
        if any(sums.values()):
            out[int(key)].update(sums)
    return {k: dict(v) for k, v in out.items()}


def _campaigns(session: Session, sponsor_ids: list[int], month: str) -> dict[int, list[dict]]:
    """The campaigns running in the month (dates overlap it), with budget, spend and goal progress
    (services/stats/goals: the all-time figures of the statistics page) to date."""
    start, end = month_bounds(month)
    committed = (select(AdRequest.campaign_id, func.sum(AdRequest.payment_cents).label("spend"))
                 .where(AdRequest.status.in_(COMMITTED)).group_by(AdRequest.campaign_id).subquery())
    out: dict[int, list[dict]] = defaultdict(list)
    for i in range(0, len(sponsor_ids), 500):
        stmt = (select(Campaign, func.coalesce(committed.c.spend, 0))
                .outerjoin(committed, committed.c.campaign_id == Campaign.id)
                .where(Campaign.sponsor_id.in_(sponsor_ids[i:i + 500]), Campaign.start_date < end,
                       Campaign.end_date >= start).order_by(Campaign.sponsor_id, Campaign.start_date, Campaign.id))
        found = session.exec(stmt).all()
        progress = goals.for_campaigns(session, [c for c, _spend in found])
        for c, spend in found:
            out[c.sponsor_id].append({"name": c.name, "status": c.status, "budget_cents": c.budget_cents,
                                      "spend_cents": int(spend), "goals": progress[c.id]})
    return out


def _growth(now: int, before: int) -> str:
    change = metric_defs.safe_div(now - before, before)
    return "-" if change is None else f"{change:+.0%}"


def report_context(company: str, month: str, figs: dict, prev: dict, campaigns: list[dict], *,
                   generated: datetime, link: str) -> dict:
    """Everything the templates show, as display strings."""
    def g(d, k):
        return int(d.get(k, 0))
    rows = [(label, str(g(figs, key)), str(g(prev, key)), _growth(g(figs, key), g(prev, key)))
            for key, label, _col in COUNTS]
    for key, label in (("views", "Reach (views)"), ("engagements", "Engagements")):
        rows.append((label, f"{g(figs, key):,}", f"{g(prev, key):,}", _growth(g(figs, key), g(prev, key))))
    er = [metric_defs.engagement_rate(g(d, "engagements"), g(d, "views")) for d in (figs, prev)]
    rows.append(("Engagement rate", metric_defs.format_percent(er[0]), metric_defs.format_percent(er[1]), "-"))
    for key, label in (("spend_cents", "Spend"), ("revenue_cents", "Revenue")):
        rows.append((label, format_cents(g(figs, key)), format_cents(g(prev, key)),
                     _growth(g(figs, key), g(prev, key))))
    rois = [metric_defs.roi(g(d, "revenue_cents"), g(d, "spend_cents")) for d in (figs, prev)]
    rows.append(("ROI", metric_defs.format_percent(rois[0]), metric_defs.format_percent(rois[1]), "-"))
    shown = campaigns[:MAX_CAMPAIGNS]
    budget, spend = sum(c["budget_cents"] for c in shown), sum(c["spend_cents"] for c in shown)
    start, _ = month_bounds(month)
    prev_start, _ = month_bounds(previous_month(month))
    return {
        "company": company, "month": month, "month_label": start.strftime("%B %Y"),
        "prev_label": prev_start.strftime("%B %Y"),
        "figures": [{"label": a, "value": b, "prev": c, "growth": d} for a, b, c, d in rows],
        "campaigns": [{"name": c["name"], "status": c["status"], "budget": format_cents(c["budget_cents"]),
                       "spend": format_cents(c["spend_cents"]),
                       "remaining": format_cents(c["budget_cents"] - c["spend_cents"])} for c in shown],
        "goals": [{"name": c["name"], "rows": [{"label": g["label"], "figure": f"{g['figure']:,}",
                                                 "target": f"{g['target']:,}", "pct": f"{g['pct']}%"}
                                                for g in c["goals"]]} for c in shown if c.get("goals")],
        "more_campaigns": max(0, len(campaigns) - MAX_CAMPAIGNS),
        "total_budget": format_cents(budget), "total_spend": format_cents(spend),
        "total_remaining": format_cents(budget - spend),
        "definitions": [metric_defs.DEFINITIONS[k] for k in ("engagements", "er_views", "spend", "roi", "undefined")],
        "generated": zones.fmt_time(generated, REPORT_ZONE), "link": link,
        "zone": f"Months run from the 1st, 00:00, in {zones.zone_label(REPORT_ZONE)}.",
    }


def render(context: dict) -> tuple[str, str]:
    """(html, text) from the one set of figures."""
    return (TEMPLATES.get_template("monthly_report.html").render(r=context),
            TEMPLATES.get_template("monthly_report.txt").render(r=context))


def html_to_pdf(html: str) -> bytes:
    from xhtml2pdf import pisa  # on first use: a web worker that never makes a PDF does not carry it

    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"PDF rendering failed ({result.err} errors)")
    return out.getvalue()


@contextlib.contextmanager
def _pdf_maker(count: int):
    """A function that turns a list of HTML reports into PDFs. PDF rendering is CPU-bound, so a run
    with many reports keeps one pool of spawned processes for all its batches (spawned: nothing of
    this process, its threads or connections, is inherited)."""
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or count < PARALLEL_FROM:
        yield lambda htmls: [html_to_pdf(h) for h in htmls]
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))

    def make(htmls: list[str]) -> list[bytes]:
        try:
            return list(pool.map(html_to_pdf, htmls, chunksize=8))
        except BrokenProcessPool:  # e.g. a parent whose __main__ cannot be re-imported: do it here
            log.warning("PDF process pool unavailable; rendering %d reports in this process", len(htmls))
            return [html_to_pdf(h) for h in htmls]
    try:
        yield make
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_monthly_reports(session: Session, *, now: datetime | None = None, settings: Settings | None = None,
                        month: str | None = None, batch: int = 200) -> dict[str, int]:
    """Make last month's report for every active sponsor with activity; queue the e-mail (PDF
    attached, unless the sponsor opted out) and an in-app notice. A second run makes nothing.
    Works in batches (rendered, PDFs made in parallel, stored and committed)."""
    now = now or utcnow()
    settings = settings or get_settings()
    month = month or last_month(now, settings)
    figures, before = month_figures(session, month), month_figures(session, previous_month(month))
    done = set(session.exec(select(MonthlyReport.sponsor_id).where(MonthlyReport.month == month)))
    sponsors = session.exec(select(User.id, User.email, SponsorProfile.company_name)
                            .join(SponsorProfile, SponsorProfile.user_id == User.id)
                            .where(User.role == Role.SPONSOR.value, User.status == UserStatus.ACTIVE.value,
                                   User.id.in_(list(figures)))).all()
    todo = [s for s in sponsors if s[0] not in done]
    campaigns = _campaigns(session, [s[0] for s in todo], month)
    counts = defaultdict(int)
    with _pdf_maker(len(todo)) as make_pdfs:
        for i in range(0, len(todo), batch):
            _batch(session, todo[i:i + batch], month, figures, before, campaigns, make_pdfs, now, settings, counts)
    return dict(counts)


def _batch(session: Session, todo, month: str, figures: dict, before: dict, campaigns: dict, make_pdfs,
           now: datetime, settings: Settings, counts) -> None:
    """Render, make the PDFs of, store and commit one batch of reports."""
    made = []
    for sponsor_id, email, company in todo:
        context = report_context(company, month, figures[sponsor_id], before.get(sponsor_id, {}),
                                 campaigns.get(sponsor_id, []), generated=now,
                                 link=f"{settings.public_url}/sponsor/reports/{month}")
        html, text = render(context)
        mail = ("email", email) in channels.targets(session, session.get(User, sponsor_id), channels.BY_KEY["report"],
                                                  digest=False)
        made.append((sponsor_id, email, context, html, text, mail))
    pdfs = iter(make_pdfs([m[3] for m in made if m[5]]))
    for sponsor_id, email, context, html, text, mail in made:
        _store(session, sponsor_id, email, month, context, html, text, next(pdfs) if mail else None,
               figures[sponsor_id], before.get(sponsor_id, {}), now, counts)
    session.commit()


def _store(session: Session, sponsor_id: int, email: str, month: str, context: dict, html: str, text: str,
           pdf: bytes | None, figures: dict, before: dict, now: datetime, counts) -> None:
    session.add(MonthlyReport(sponsor_id=sponsor_id, month=month, html=html, text=text, created_at=now,
                              data=json.dumps({"figures": figures, "before": before})))
    counts["reports"] += 1
    outbox.enqueue(session, kind=KIND, channel="inapp", recipient=str(sponsor_id), period=month,
                   subject=f"Your {context['month_label']} report is ready", text="Open it in Reports.",
                   link=f"/sponsor/reports/{month}", user_id=sponsor_id, now=now)
    if pdf is not None:
        attachment = Attachment(f"brandifiers-report-{month}.pdf", "application/pdf", pdf)
        page, header = channels.unsubscribe_urls(session, sponsor_id, "report")
        if outbox.enqueue(session, kind=KIND, channel="email", recipient=email, period=month,
                          text=f"{text}\n\nStop these e-mails: {page}", html=html,
                          subject=f"Your Brandifiers report for {context['month_label']}", user_id=sponsor_id,
                          attachments=[attachment], unsubscribe_url=header, now=now):
            counts["emails"] += 1


# ---- the sponsor's Reports page -----------------------------------------------------------------

@dataclass
class ReportLine:
    month: str
    label: str
    created_at: datetime


def _report_owner(session: Session, actor_id: int | None, sponsor_id: int | None) -> int:
    """Whose reports the actor reads: a sponsor its own only; an admin any sponsor's (read-only)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    if actor.role != Role.ADMIN.value:
        if sponsor_id not in (None, actor.id):
            raise NotFound("report")  # as a missing one: a foreign id reveals nothing
        return actor.id
    sponsor_id = int(sponsor_id or 0)
    sponsor = session.get(User, sponsor_id) if 0 < sponsor_id < 2**31 else None  # the id column is 32-bit on PG
    if sponsor is None or sponsor.role != Role.SPONSOR.value:
        raise NotFound("sponsor")
    return sponsor.id


def list_reports(session: Session, actor_id: int | None, sponsor_id: int | None = None) -> list[ReportLine]:
    """The reports of the actor (a sponsor) or of `sponsor_id` (an admin), newest first."""
    owner = _report_owner(session, actor_id, sponsor_id)
    stmt = (select(MonthlyReport.month, MonthlyReport.created_at).where(MonthlyReport.sponsor_id == owner)
            .order_by(MonthlyReport.month.desc()))
    return [ReportLine(m, month_bounds(m)[0].strftime("%B %Y"), at) for m, at in session.exec(stmt)]


def get_report(session: Session, actor_id: int | None, month: str, sponsor_id: int | None = None) -> MonthlyReport:
    """One month's report of the actor (another sponsor's does not exist for it), or of `sponsor_id`
    for an admin. A month that is not one (say "garbage") is NotFound too: no such report."""
    owner = _report_owner(session, actor_id, sponsor_id)
    try:
        month_bounds(month)
    except DomainError as exc:
        raise NotFound("report") from exc
    report = session.exec(select(MonthlyReport).where(MonthlyReport.sponsor_id == owner,
                                                      MonthlyReport.month == month)).first()
    if report is None:
        raise NotFound("report")
    return report


def report_pdf(session: Session, actor_id: int | None, month: str,
               sponsor_id: int | None = None) -> tuple[str, bytes]:
    report = get_report(session, actor_id, month, sponsor_id)
    return f"brandifiers-report-{month}.pdf", html_to_pdf(report.html)
