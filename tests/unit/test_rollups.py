"""Rollups against an independent computation (plain loops over the raw rows): full rebuild,
incremental runs with late and replaced rows, idempotence and a crash midway."""

from __future__ import annotations

import dataclasses
import random
import tempfile
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from brandifiers.config import get_settings
from brandifiers.jobs.scheduler import nightly_compaction
from brandifiers.models import MetricSnapshot, RollupWatermark
from brandifiers.services.common import cache
from brandifiers.services.deals import adrequests
from brandifiers.services.metrics.metrics import upsert_snapshot
from brandifiers.services.rollups import rollup_read, rollup_rebuild, rollup_sql, rollups
from brandifiers.services.stats import stats
from tests.unit import factories
from tests.unit.collab_factories import cheap_passwords, today  # noqa: F401  (autouse fixture)
from tests.unit.stats_factories import Clock, expected, random_snapshots, stored, world


@pytest.fixture
def seeded(session):
    w = world(session)
    w.clock, w.rng = Clock(), random.Random(20261126)
    random_snapshots(session, w.deliverables, w.rng, w.clock)
    return w


def assert_matches(session):
    want_days, want_totals = expected(session)
    got_days, got_totals = stored(session)
    assert len(want_days) > 150 and len(want_totals) > 15  # not vacuous
    assert got_days == want_days
    assert got_totals == want_totals


def test_rebuild_matches_plain_loops(session, seeded):
    rollups.rebuild_all(session, chunksize=7)  # tiny chunks: requests span several of them
    assert_matches(session)
    # there is spend without metrics (an accepted request without deliverables) and zero-view days
    _, totals = stored(session)
    accepted = seeded.requests[4]
    assert totals[("adrequest", str(accepted.id))] == {"spend_cents": accepted.payment_cents, "followers": 500}


def test_first_incremental_run_equals_rebuild(session, seeded):
    rollups.run_rollup(session, chunksize=5)
    assert_matches(session)
    first = stored(session)
    rollups.rebuild_all(session)
    assert stored(session) == first


def late_and_changed_rows(session, w):
    """An old day arriving late, replaced figures, a higher provenance, a new deliverable day and
    an ad request reaching accepted (spend appears)."""
    d0, d1 = w.deliverables[0], w.deliverables[1]
    random_snapshots(session, [d1], w.rng, w.clock, days=range(-30, -28))  # late: older days
    upsert_snapshot(session, None, d0.id, today() - timedelta(days=3), "creator-reported",
                    {"views": 0, "likes": 9, "clicks": 0}, now=w.clock())
    upsert_snapshot(session, None, d0.id, today() - timedelta(days=4), "platform-api",
                    {"views": 77, "likes": 7, "clicks": 3, "revenue_cents": 500}, now=w.clock())
    session.commit()
    adrequests.accept_offer(session, w.influencers[0].id, w.requests[5].id)
    session.commit()


def test_incremental_after_late_rows_matches(session, seeded):
    rollups.run_rollup(session)
    late_and_changed_rows(session, seeded)
    result = rollups.run_rollup(session, chunksize=3)
    # the two late days of d1 had no rows before (new to the rollups: added as they are); the
    # replaced figures and the higher provenance are recomputed from all raw rows of their keys
    assert result["keys"] == 4 and result["fresh_keys"] == 2 and result["requests"] == 1
    assert result["known_keys"] == 0  # d0's request has two deliverables: its keys are recomputed
    assert_matches(session)
    after = stored(session)
    rollups.rebuild_all(session)
    assert stored(session) == after


def test_new_rows_are_added_as_they_are_and_mixed_keys_recomputed(session, seeded):
    """A (deliverable, day) whose rows are all new to the rollups adds its figures without reading
    the stored ones; the request's other deliverable keeps its figures of that day. A key that
    also holds a replaced row is recomputed whole. Without the seen-id watermark (a database from
    before it), nothing is taken as new."""
    d0, d1 = seeded.deliverables[0], seeded.deliverables[1]  # both of request 0
    random_snapshots(session, [d0], seeded.rng, seeded.clock, days=[-20, -21])
    rollups.run_rollup(session)
    random_snapshots(session, [d1], seeded.rng, seeded.clock, days=[-20], p_extra=0.9)  # d0 has day -20
    result = rollups.run_rollup(session)
    assert result == {"keys": 1, "requests": 0, "fresh_keys": 1, "known_keys": 0, "changed_rows": 1}
    assert_matches(session)
    random_snapshots(session, [d1], seeded.rng, seeded.clock, days=[-21])  # new for d1 ...
    upsert_snapshot(session, None, d0.id, today() - timedelta(days=21), "platform-api",  # ... d0 replaced
                    {"views": 5, "likes": 1, "clicks": 0}, now=seeded.clock())
    session.commit()
    result = rollups.run_rollup(session)
    assert result["keys"] == 1 and result["fresh_keys"] == 0 and result["known_keys"] == 0  # two deliverables
    assert_matches(session)
    session.delete(session.get(RollupWatermark, "metricsnapshot.id"))
    session.commit()
    random_snapshots(session, [d0, d1], seeded.rng, seeded.clock, days=[-25])
    assert rollups.run_rollup(session)["fresh_keys"] == 0
    assert_matches(session)
    assert session.get(RollupWatermark, "metricsnapshot.id").last_id == max(session.exec(select(MetricSnapshot.id)))


def test_a_day_after_every_seen_day_is_new_without_counting_its_rows(session, seeded):
    """Rows with an id and a day above what the last run saw are new to the rollups as they are
    (their rows are not counted); several provenances of such a day still count once. A key that
    also holds a changed row the last run could have seen (committed late, as on PostgreSQL) is
    recomputed whole."""
    rollups.run_rollup(session)
    seen_id, seen_day = rollup_sql.seen(session)
    assert seen_day == today() - timedelta(days=1)  # the seeded days end yesterday
    random_snapshots(session, seeded.deliverables[:4], seeded.rng, seeded.clock, days=[0], p_extra=0.9)
    result = rollups.run_rollup(session)
    assert result["keys"] == 3 and result["fresh_keys"] == 3 and result["known_keys"] == 0  # requests 0, 1, 2
    assert_matches(session)
    assert rollup_sql.seen(session) == (max(session.exec(select(MetricSnapshot.id))), today())
    # a late row: its id at or below the recorded one, its day not counted in the newest day
    d0, d1 = seeded.deliverables[0], seeded.deliverables[1]  # both of request 0
    tomorrow = today() + timedelta(days=1)
    upsert_snapshot(session, None, d0.id, tomorrow, "csv-import", {"views": 40, "likes": 4, "clicks": 1},
                    now=seeded.clock())
    session.commit()
    mark = session.get(RollupWatermark, "metricsnapshot.id")
    mark.last_id = max(session.exec(select(MetricSnapshot.id)))  # as if seen, but its day not
    session.add(mark)
    session.commit()
    upsert_snapshot(session, None, d1.id, tomorrow, "creator-reported", {"views": 9, "likes": 1, "clicks": 0},
                    now=seeded.clock())
    session.commit()
    result = rollups.run_rollup(session)
    assert result["keys"] == 1 and result["fresh_keys"] == 0 and result["known_keys"] == 0
    assert_matches(session)


def test_changed_rows_that_decide_a_one_deliverable_day_are_taken_as_they_are(session, seeded):
    """A request with one deliverable: a replaced row that is its day's only row, and a platform-api
    row (chosen whatever else the day holds), decide the new base row; only the stored one is read."""
    one, other = seeded.deliverables[2], seeded.deliverables[3]  # requests 1 and 2: one deliverable each
    random_snapshots(session, [one], seeded.rng, seeded.clock, days=[-22], p_extra=0)
    rollups.run_rollup(session)
    only = session.exec(select(MetricSnapshot).where(MetricSnapshot.deliverable_id == one.id,
                                                     MetricSnapshot.day == today() - timedelta(days=22))).one()
    upsert_snapshot(session, None, one.id, only.day, only.provenance, {"views": 1, "likes": 2, "clicks": 0},
                    now=seeded.clock())
    upsert_snapshot(session, None, other.id, today() - timedelta(days=5), "platform-api",
                    {"views": 999, "likes": 1, "clicks": 1}, now=seeded.clock())
    session.commit()
    result = rollups.run_rollup(session)
    assert result["keys"] == 2 and result["known_keys"] == 2 and result["fresh_keys"] == 0
    assert_matches(session)


def test_running_twice_changes_nothing(session, seeded):
    rollups.run_rollup(session)
    late_and_changed_rows(session, seeded)
    rollups.run_rollup(session)
    once = stored(session)
    result = rollups.run_rollup(session)
    assert result["keys"] == 0 and result["changed_rows"] == 0
    assert stored(session) == once


def test_crash_midway_then_rerun(session, seeded, monkeypatch):
    rollups.run_rollup(session)
    marks = {m.source: (m.updated_at, m.last_id) for m in session.exec(select(RollupWatermark))}
    before = stored(session)
    late_and_changed_rows(session, seeded)

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(rollups, "_apply_upper", boom)  # after the base rows were rewritten
    with pytest.raises(RuntimeError):
        rollups.run_rollup(session)
    session.expire_all()
    assert stored(session) == before
    assert {m.source: (m.updated_at, m.last_id) for m in session.exec(select(RollupWatermark))} == marks
    monkeypatch.undo()
    rollups.run_rollup(session)
    assert_matches(session)


def test_a_rebuild_that_fails_midway_changes_nothing_and_leaves_no_scratch_file(session, seeded, monkeypatch,
                                                                               tmp_path):
    """SQLite (a file): the sponsors' and platform's days are computed on a second connection into a
    scratch database; a failure before they are copied in rolls everything back, stops that
    connection's statement and removes the file. A rerun then rebuilds as usual."""
    rollups.run_rollup(session)
    before = stored(session)
    late_and_changed_rows(session, seeded)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def boom(conn):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(rollup_rebuild, "_rebuild_totals", boom)  # after the base rows were rewritten
        with pytest.raises(RuntimeError):
            rollups.rebuild_all(session)
    session.expire_all()
    assert stored(session) == before
    assert list(tmp_path.iterdir()) == []
    rollups.rebuild_all(session)
    assert_matches(session)
    assert list(tmp_path.iterdir()) == []


def delta_rows(session) -> int:
    n = sum(session.exec(sa.text(f"SELECT COUNT(*) FROM {t}_delta")).one()[0]
            for t in ("rollup_adrequest_day", "rollup_day", "rollup_total"))
    session.rollback()
    return n


def platform_views(session, admin_id) -> int:
    cache.invalidate("")
    return stats.platform_stats(session, admin_id)["totals"]["views"]


def test_compaction_folds_the_deltas_in_and_readers_see_the_same(session, seeded):
    rollups.rebuild_all(session)
    assert delta_rows(session) == 0  # a rebuild leaves everything in the main tables
    late_and_changed_rows(session, seeded)
    rollups.run_rollup(session)
    assert delta_rows(session) > 0
    assert_matches(session)
    admin = factories.admin(session).id
    want = expected(session)[1][("platform", "")]["views"]
    assert platform_views(session, admin) == want  # the reader adds main + delta
    result = rollups.compact(session)
    assert result["rollup_adrequest_day"] > 0 and delta_rows(session) == 0
    assert_matches(session)
    assert platform_views(session, admin) == want
    random_snapshots(session, seeded.deliverables[1:3], seeded.rng, seeded.clock, days=range(-40, -37))
    session.commit()  # more late rows: the next runs go on from there
    rollups.run_rollup(session)
    assert_matches(session)
    rollups.compact(session)
    rollups.compact(session)  # nothing left to fold: changes nothing
    assert_matches(session)


def test_only_sponsor_and_platform_days_are_stored_the_others_are_read_from_the_base_rows(session, seeded):
    """Only sponsors and the platform have stored day rows; a campaign's and an influencer's series
    are summed from their ad requests' base rows (main + delta) when read; categories have totals
    only."""
    def scopes() -> set:
        out = {r[0] for t in ("rollup_day", "rollup_day_delta")
               for r in session.exec(sa.text(f"SELECT DISTINCT scope FROM {t}")).all()}
        session.rollback()
        return out
    rollups.rebuild_all(session)
    assert scopes() == {"sponsor", "platform"}
    late_and_changed_rows(session, seeded)
    rollups.run_rollup(session)
    assert scopes() == {"sponsor", "platform"}
    assert_matches(session)  # the campaigns' and influencers' series and totals among them
    days = expected(session)[0]
    campaign = next(k for (scope, k, _) in days if scope == "campaign")
    want = sorted(day for (scope, k, day) in days if (scope, k) == ("campaign", campaign))
    assert [d.isoformat() for d, _ in rollup_read.day_series(session, "campaign", campaign, None, None)] == want
    assert rollup_read.day_series(session, "campaign", "not-an-id", None, None) == []


def test_last_refreshed(session, seeded):
    assert rollups.last_refreshed(session) is None
    now = seeded.clock()
    rollups.run_rollup(session, now=now)
    assert rollups.last_refreshed(session) == now


def test_provenance_priority_is_deterministic():
    import pandas as pd

    raw = pd.DataFrame({"ad_request_id": [1, 1, 1, 1], "deliverable_id": [5, 5, 5, 6], "day": ["d"] * 4,
                        "provenance": ["creator-reported", "platform-api", "csv-import", "creator-reported"],
                        **{f: [1, 2, 3, 4] for f in rollups.FIGURES}})
    base = rollups.base_rows(raw)
    assert base["views"].tolist() == [2 + 4]


def test_every_path_counts_the_highest_provenance_whatever_order_its_rows_came_in(session):
    """One row per (deliverable, day) counts: the highest provenance, whichever row was written
    first; among rows of no known provenance, the first written (lowest id). The rebuild (SQLite: a
    probe for a higher-ranked row; PostgreSQL: DISTINCT ON) and the incremental run (pandas) agree."""
    w = world(session)
    clock, request = Clock(), w.requests[1]  # a request with one deliverable
    (deliverable,) = [d for d in w.deliverables if d.ad_request_id == request.id]
    written = {-4: [("zz-legacy", 7), ("aa-legacy", 5)],  # both unranked: the first written counts
               -3: [("creator-reported", 1), ("platform-api", 100), ("csv-import", 10)],
               -2: [("platform-api", 200), ("creator-reported", 2)],
               -1: [("csv-import", 30), ("creator-reported", 3), ("zz-legacy", 9)]}
    for offset, rows in written.items():
        for provenance, views in rows:
            session.add(MetricSnapshot(deliverable_id=deliverable.id, day=today() + timedelta(days=offset),
                                       provenance=provenance, updated_at=clock(),
                                       **{**dict.fromkeys(rollups.FIGURES, 0), "views": views}))
            session.flush()  # ids in the order written
    session.commit()
    want = [(today() + timedelta(days=offset), views) for offset, views in ((-4, 7), (-3, 100), (-2, 200), (-1, 30))]

    def views_by_day():
        series = rollup_read.day_series(session, "adrequest", str(request.id), None, None)
        session.rollback()
        return [(day, figures["views"]) for day, figures in series]

    rollups.run_rollup(session, now=clock())
    assert views_by_day() == want
    rollups.rebuild_all(session, now=clock())
    assert views_by_day() == want


def test_the_scheduler_job(session, seeded, db_url, monkeypatch):
    from brandifiers.jobs import scheduler
    from brandifiers.jobs.rollups import run_rollup

    monkeypatch.setenv("BRANDIFIERS_ROLLUP_MINUTES", "7")
    sched = scheduler.build_scheduler()
    job = sched.get_job(scheduler.ROLLUP_JOB_ID)
    assert job.func == sched.jobs_runner.run and job.args == ("rollup",)  # the lease-guarded runner
    assert job.trigger.interval.total_seconds() == 7 * 60 and not sched.running
    assert scheduler.build_scheduler(rollup_minutes=2).get_job(scheduler.ROLLUP_JOB_ID).trigger.interval \
        .total_seconds() == 120
    now = seeded.clock()
    result = run_rollup(clock=lambda: now)  # the job opens its own session on REFLEX_DB_URL
    assert result["changed_rows"] > 0 and rollups.last_refreshed(session) == now
    assert_matches(session)


def test_a_run_before_any_ad_request_exists_refreshes_nothing(session):
    """A new platform (the admin's Refresh now, the first job run): no ad request, no snapshot."""
    assert rollups.run_rollup(session) == {"keys": 0, "requests": 0, "fresh_keys": 0, "known_keys": 0,
                                           "changed_rows": 0}
    assert rollups.last_refreshed(session) is not None


def test_the_nightly_compaction_job_runs_once_a_day_from_its_time(session, seeded, engine, monkeypatch):
    from brandifiers.jobs import scheduler

    merged = []
    real_optimize = scheduler.fulltext.optimize
    monkeypatch.setattr(scheduler.fulltext, "optimize", lambda conn: merged.append(real_optimize(conn)))
    rollups.run_rollup(session)
    assert delta_rows(session) > 0
    settings = dataclasses.replace(get_settings(), timezone="UTC", compact_time="03:00")
    day = datetime(2026, 11, 26, tzinfo=UTC)
    assert nightly_compaction(engine, day + timedelta(hours=2, minutes=59), settings) is None
    assert delta_rows(session) > 0
    done = nightly_compaction(engine, day + timedelta(hours=3, minutes=5), settings)
    assert done["rollup_adrequest_day"] > 0 and delta_rows(session) == 0
    assert len(merged) == 1 and done["search_indexes_merged"] == (engine.dialect.name == "sqlite")
    assert_matches(session)
    assert nightly_compaction(engine, day + timedelta(hours=9), settings) is None  # done today


def test_the_rebuild_command_repairs_what_the_incremental_run_cannot_see(session, seeded, capsys):
    """Deleted snapshots are invisible to the watermark; `python -m brandifiers.jobs rebuild` (on the
    configured database) recomputes everything and empties the deltas."""
    import json

    from brandifiers.jobs.__main__ import main

    rollups.run_rollup(session)
    victims = [seeded.deliverables[0].id]
    session.exec(sa.delete(MetricSnapshot).where(MetricSnapshot.deliverable_id.in_(victims)))
    session.commit()
    rollups.run_rollup(session)
    assert stored(session) != expected(session)  # the incremental run kept the deleted figures
    main(["rebuild"])
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed["base_rows"] > 0
    session.expire_all()
    assert_matches(session)
    assert delta_rows(session) == 0
