"""The models and the Alembic history agree, and the app refuses an unmigrated database."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from brandifiers.db import get_engine
from brandifiers.migrations import (
    SchemaNotCurrent,
    create_database,
    current_revision,
    ensure_current,
    head_revision,
    pending_model_changes,
    upgrade,
)
from tests.conftest import BACKENDS, PG_URL, _pg_database, make_database


def test_models_and_migrations_agree(engine):
    assert current_revision(engine) == head_revision()
    assert pending_model_changes(engine) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_unmigrated_database_is_refused_with_the_command(backend, tmp_path):
    url, drop = make_database(backend, tmp_path)
    try:
        eng = get_engine(url)
        with pytest.raises(SchemaNotCurrent) as err:
            ensure_current(eng)
        assert "reflex db migrate" in str(err.value)
        upgrade(eng)
        ensure_current(eng)  # no error once migrated
        upgrade(eng)  # idempotent
        assert current_revision(eng) == head_revision()
    finally:
        drop()


@pytest.mark.parametrize("backend", BACKENDS)
def test_rollup_deltas_written_before_d4e6f8a0b2c4_are_folded_in(backend, tmp_path):
    """Until that revision a total delta row carried the figures its day rows carried too; upgrading
    folds such deltas into the main tables (as the nightly compaction did), so no figure is counted
    twice by the readers of the new rule (a total = main + its delta days)."""
    url, drop = make_database(backend, tmp_path)
    try:
        eng = get_engine(url)
        upgrade(eng, "c88758979042")
        with eng.begin() as conn:
            for table, key, views in (("rollup_total", "'7'", 100), ("rollup_total_delta", "'7'", 5),
                                      ("rollup_total_delta", "'8'", 3)):
                conn.execute(sa.text(f'INSERT INTO {table} (scope, "key", views, likes, comments, shares, saves, '
                                     "clicks, conversions, revenue_cents, engagements, spend_cents, followers) "
                                     f"VALUES ('campaign', {key}, {views}, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0)"))
            conn.execute(sa.text('INSERT INTO rollup_day_delta (scope, "key", day, views, likes, comments, shares, '
                                 "saves, clicks, conversions, revenue_cents, engagements) "
                                 "VALUES ('campaign', '7', '2026-11-01', 5, 0, 0, 0, 0, 0, 0, 0, 0)"))
        upgrade(eng, "d4e6f8a0b2c4")
        with eng.connect() as conn:
            totals = dict(conn.execute(sa.text('SELECT "key", views FROM rollup_total ORDER BY "key"')).all())
            spend = conn.execute(sa.text("SELECT spend_cents FROM rollup_total WHERE \"key\" = '7'")).scalar_one()
            day = conn.execute(sa.text("SELECT views FROM rollup_day WHERE \"key\" = '7'")).scalar_one()
            left = sum(conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                       for t in ("rollup_total_delta", "rollup_day_delta", "rollup_adrequest_day_delta"))
        assert totals == {"7": 105, "8": 3} and spend == 20 and day == 5 and left == 0
    finally:
        drop()


_FIGURES = "views, likes, comments, shares, saves, clicks, conversions, revenue_cents, engagements"


@pytest.mark.parametrize("backend", BACKENDS)
def test_campaign_influencer_and_category_days_go_after_their_deltas_are_folded_in(backend, tmp_path):
    """e5f7a9b1c3d5: the campaign, influencer and category day rows are deleted (the first two are
    summed from the base rows when read now, the last are shown nowhere); the deltas are first
    folded in by the rule that held until then (a total = main + its delta days), so the totals
    keep every figure."""
    url, drop = make_database(backend, tmp_path)
    try:
        eng = get_engine(url)
        upgrade(eng, "d4e6f8a0b2c4")
        with eng.begin() as conn:
            for table, scope, key, views in (("rollup_total", "campaign", "7", 100),
                                             ("rollup_total", "sponsor", "3", 100),
                                             ("rollup_total_delta", "campaign", "7", 0)):
                conn.execute(sa.text(f'INSERT INTO {table} (scope, "key", {_FIGURES}, spend_cents, followers) '
                                     f"VALUES ('{scope}', '{key}', {views}, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0)"))
            for table, scope, key, views in (("rollup_day", "campaign", "7", 100),
                                             ("rollup_day", "influencer", "9", 100),
                                             ("rollup_day", "sponsor", "3", 100),
                                             ("rollup_day", "category", "Food", 100),
                                             ("rollup_day_delta", "campaign", "7", 5),
                                             ("rollup_day_delta", "sponsor", "3", 5)):
                conn.execute(sa.text(f'INSERT INTO {table} (scope, "key", day, {_FIGURES}) '
                                     f"VALUES ('{scope}', '{key}', '2026-11-01', {views}, 0, 0, 0, 0, 0, 0, 0, 0)"))
        upgrade(eng)
        with eng.connect() as conn:
            totals = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(sa.text(
                'SELECT scope, "key", views, spend_cents FROM rollup_total'))}
            days = conn.execute(sa.text('SELECT scope, "key", views FROM rollup_day')).all()
            left = sum(conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                       for t in ("rollup_total_delta", "rollup_day_delta", "rollup_adrequest_day_delta"))
        assert totals == {("campaign", "7"): (105, 20), ("sponsor", "3"): (105, 10)}
        assert [tuple(d) for d in days] == [("sponsor", "3", 105)] and left == 0
    finally:
        drop()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_main_base_rows_keep_their_figures_without_their_owners(backend, tmp_path):
    """a7c9e1f3b5d7: rollup_adrequest_day loses its owner columns (SQLite: copied into a new
    table), every row and figure stays; the delta keeps its owners."""
    url, drop = make_database(backend, tmp_path)
    try:
        eng = get_engine(url)
        upgrade(eng, "f6a8b0c2d4e6")
        with eng.begin() as conn:
            for request, day, views in ((3, "2026-11-01", 40), (3, "2026-11-02", 7), (12, "2026-11-01", 0)):
                conn.execute(sa.text(
                    f"INSERT INTO rollup_adrequest_day (ad_request_id, day, campaign_id, sponsor_id, influencer_id, "
                    f"category, {_FIGURES}) VALUES ({request}, '{day}', 5, 6, 7, 'Food', {views}, 1, 0, 0, 0, 0, 0, "
                    f"0, {views + 1})"))
        upgrade(eng)
        with eng.connect() as conn:
            rows = conn.execute(sa.text("SELECT ad_request_id, day, views, likes, engagements "
                                        "FROM rollup_adrequest_day ORDER BY ad_request_id, day")).all()
            main_cols = {c["name"] for c in sa.inspect(conn).get_columns("rollup_adrequest_day")}
            delta_cols = {c["name"] for c in sa.inspect(conn).get_columns("rollup_adrequest_day_delta")}
        assert [(r[0], str(r[1])[:10], r[2], r[3], r[4]) for r in rows] == [
            (3, "2026-11-01", 40, 1, 41), (3, "2026-11-02", 7, 1, 8), (12, "2026-11-01", 0, 1, 1)]
        assert not main_cols & {"campaign_id", "sponsor_id", "influencer_id", "category"}
        assert {"campaign_id", "sponsor_id", "influencer_id", "category"} <= delta_cols
        assert pending_model_changes(eng) == []
    finally:
        drop()


@pytest.mark.skipif(not PG_URL, reason="needs BRANDIFIERS_TEST_DB_URL (PostgreSQL)")
def test_create_database_makes_a_missing_postgresql_database_once():
    name = "brandifiers_test_create_" + uuid.uuid4().hex[:8]
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        assert create_database(url) is True
        assert create_database(url) is False  # it exists now: left alone
        with get_engine(url).connect() as conn:
            assert conn.execute(sa.text("SELECT current_database()")).scalar_one() == name
    finally:
        get_engine(url).dispose()
        _pg_database(PG_URL, name, create=False)


def test_create_database_leaves_sqlite_alone(tmp_path):
    assert create_database(f"sqlite:///{tmp_path / 'x.db'}") is False
    assert not (tmp_path / "x.db").exists()
