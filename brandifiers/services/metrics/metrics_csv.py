"""CSV import of daily metric figures (pandas, provenance csv-import) for an actor's own deliverables:
every row accepted or rejected with a reason; a bad file raises DomainError on "file". The caller
commits. Design: docs/metrics.md, "CSV import"."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.models import AdRequest, Campaign, Deliverable, MetricSnapshot, Provenance, Role
from brandifiers.services.common import cache, parse, zones
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.rbac import require_role
from brandifiers.services.metrics.metrics import (
    INPUT_FIELDS,
    STATS_CACHE_PREFIX,
    day_problem,
    parse_day,
    parse_figures,
    upsert_snapshot,
    warnings_for,
)

COLUMNS = ("deliverable_id", "day") + INPUT_FIELDS
MAX_ROWS = 50_000
MAX_BYTES = 5 * 1024 * 1024  # 50,000 full rows take about 3.5 MB; pandas needs several times the file size
MODES = ("valid_only", "all_or_nothing")


@dataclass
class CsvCheck:
    """accepted: [{row, deliverable_id, day, figures, warnings}]; rejected: [{row, reason}]."""

    accepted: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)


@dataclass
class CsvImport:
    mode: str
    written: int
    replaced: int
    accepted: list[dict]
    rejected: list[dict]


def csv_template() -> bytes:
    """The header line to download and fill in (revenue in currency units, e.g. 120.50)."""
    return (",".join(COLUMNS) + "\n").encode()


def parse_csv(data: bytes | str) -> pd.DataFrame:
    """The file as strings, one column per expected header; DomainError(field="file") otherwise."""
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_BYTES:
        raise DomainError(f"The file must be at most {MAX_BYTES // (1024 * 1024)} MB "
                          f"(this one is {len(raw) / (1024 * 1024):.1f} MB).", "file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("The file is not UTF-8 text: save it as CSV (UTF-8).", "file") from None
    if not text.strip():
        raise DomainError("The file is empty.", "file")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True,
                            nrows=MAX_ROWS + 1)  # one past the cap is enough to refuse
    except (pd.errors.ParserError, ValueError) as err:
        raise DomainError(f"The file could not be read as CSV: {str(err).strip()}", "file") from None
    names = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [c for c in names if c not in COLUMNS]
    if missing or unknown or len(set(names)) != len(names):
        detail = "; ".join(part for part in (f"missing: {', '.join(missing)}" if missing else "",
                                             f"unknown: {', '.join(unknown)}" if unknown else "") if part)
        raise DomainError(f"The first line must be the header {','.join(COLUMNS)}"
                          + (f" ({detail})." if detail else " (a column appears twice)."), "file")
    frame.columns = names
    if frame.empty:
        raise DomainError("The file has a header but no rows.", "file")
    if len(frame) > MAX_ROWS:
        raise DomainError(f"The file has more than {MAX_ROWS:,} rows; import at most {MAX_ROWS:,} at a time.",
                          "file")
    return frame[list(COLUMNS)]


def _targets(session: Session, actor, ids: set[int]) -> dict[int, Campaign]:
    """{deliverable id: campaign} for the ids this actor may import figures for."""
    if not ids:
        return {}
    owner = AdRequest.sponsor_id if actor.role == Role.SPONSOR else AdRequest.influencer_id
    out: dict[int, Campaign] = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), 500):
        rows = session.exec(select(Deliverable.id, Campaign)
                            .join(AdRequest, AdRequest.id == Deliverable.ad_request_id)
                            .join(Campaign, Campaign.id == AdRequest.campaign_id)
                            .where(Deliverable.id.in_(id_list[start:start + 500]), owner == actor.id))
        out.update(dict(rows.all()))
    return out


def _check_frame(session: Session, actor, frame: pd.DataFrame, today) -> CsvCheck:
    result = CsvCheck()
    ids = {parse.record_id(v) for v in frame["deliverable_id"].str.strip()} - {0}
    targets = _targets(session, actor, ids)
    seen: dict[tuple, list[int]] = {}
    candidates = []
    for position, values in enumerate(frame.to_dict("records")):
        row = position + 2  # the header is row 1
        values = {k: v.strip() if isinstance(v, str) else "" for k, v in values.items()}  # short rows: NaN
        raw_id = values["deliverable_id"]
        deliverable_id = parse.record_id(raw_id)  # '²', 2**63 and the like: no id, rejected like any unknown one
        if deliverable_id not in targets:
            result.rejected.append({"row": row, "reason": f"Unknown deliverable {raw_id or '(empty)'}: "
                                                          "not one of yours."})
            continue
        try:
            day = parse_day(values["day"])
        except DomainError as err:
            result.rejected.append({"row": row, "reason": f"Day {values['day'] or '(empty)'}: {err.message}"})
            continue
        problem = day_problem(day, targets[deliverable_id], today)
        figures, errors = parse_figures(values)
        if problem or errors:
            reasons = ([f"Day {day}: {problem}"] if problem else []) + list(errors.values())
            result.rejected.append({"row": row, "reason": " ".join(reasons)})
            continue
        seen.setdefault((deliverable_id, day), []).append(row)
        candidates.append({"row": row, "deliverable_id": deliverable_id, "day": day, "figures": figures,
                           "warnings": warnings_for(figures)})
    for cand in candidates:
        rows = seen[(cand["deliverable_id"], cand["day"])]
        if len(rows) > 1:
            result.rejected.append({"row": cand["row"], "reason": f"Deliverable {cand['deliverable_id']} on "
                                    f"{cand['day']} appears on rows {', '.join(map(str, rows))}: keep one."})
        else:
            result.accepted.append(cand)
    result.rejected.sort(key=lambda r: r["row"])
    return result


def check_csv(session: Session, actor_id: int | None, data: bytes | str, *,
              now: datetime | None = None) -> CsvCheck:
    """Validate a whole file without writing anything (a preview for the UI)."""
    actor = require_role(session, actor_id, Role.INFLUENCER, Role.SPONSOR)
    return _check_frame(session, actor, parse_csv(data), zones.local_today(actor, now))


def import_csv(session: Session, actor_id: int | None, data: bytes | str, *, mode: str = "valid_only",
               now: datetime | None = None) -> CsvImport:
    """Validate, then write the accepted rows (valid_only) or, in all_or_nothing, only a clean file."""
    if mode not in MODES:
        raise DomainError("Choose how to import: only the valid rows, or all rows or nothing.", "mode")
    now = now or utcnow()
    actor = require_role(session, actor_id, Role.INFLUENCER, Role.SPONSOR)
    checked = _check_frame(session, actor, parse_csv(data), zones.local_today(actor, now))
    if mode == "all_or_nothing" and checked.rejected:
        return CsvImport(mode, 0, 0, checked.accepted, checked.rejected)
    provenance = Provenance.CSV_IMPORT.value
    existing = _existing(session, {r["deliverable_id"] for r in checked.accepted}, provenance)
    replaced = 0
    for r in checked.accepted:
        key = (r["deliverable_id"], r["day"])
        _row, was = upsert_snapshot(session, actor, r["deliverable_id"], r["day"], provenance, r["figures"],
                                    now=now, existing=existing.get(key), lookup=False)
        replaced += was
    cache.invalidate_after_commit(session, STATS_CACHE_PREFIX)
    return CsvImport(mode, len(checked.accepted), replaced, checked.accepted, checked.rejected)


def _existing(session: Session, ids: set[int], provenance: str) -> dict[tuple, MetricSnapshot]:
    out: dict[tuple, MetricSnapshot] = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), 500):
        for snap in session.exec(select(MetricSnapshot).where(
                MetricSnapshot.deliverable_id.in_(id_list[start:start + 500]),
                MetricSnapshot.provenance == provenance)):
            out[(snap.deliverable_id, snap.day)] = snap
    return out
