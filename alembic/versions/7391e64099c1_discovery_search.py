"""discovery search: full-text indexes and search indexes

SQLite: FTS5 tables fts_influencer (display name, bio, the profile's social handles) and
fts_campaign (name, description), kept in sync by triggers, filled from the existing rows.
PostgreSQL: GIN expression indexes over to_tsvector('simple', ...) of the same texts.
Both: composite btree indexes for the discovery sorts (ix_search_*).

None of these objects is declared on the SQLModel metadata (FTS tables, triggers and expression
indexes cannot be): brandifiers.migrations.include_name/include_object hide the names starting
with "fts_" and "ix_search_" from autogenerate, so models and migrations still agree.
The SQL here is copied on purpose (a migration is frozen); brandifiers/services/discovery/search.py must
use the same expressions for PostgreSQL to pick the GIN indexes.

Revision ID: 7391e64099c1
Revises: ec9049073dc4
Create Date: 2026-11-26 00:00:00

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '7391e64099c1'
down_revision: Union[str, Sequence[str], None] = 'ec9049073dc4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Composite indexes for the common discovery sorts (both backends).
_FEED = "created_at, sponsor_id, budget_cents, start_date, end_date, niche"  # covers the usual filters
BTREE = (
    # open campaigns (the four visibility conditions), newest first, optionally of one category/niche
    f"CREATE INDEX ix_search_campaign_feed ON campaign (visibility, status, approved, flagged, {_FEED})",
    f"CREATE INDEX ix_search_campaign_feed_cat ON campaign (visibility, status, approved, flagged, category, {_FEED})",
    f"CREATE INDEX ix_search_campaign_niche ON campaign (niche, visibility, status, approved, flagged, {_FEED})",
    # influencers of one category by reach / engagement / price (and the category median rate)
    "CREATE INDEX ix_search_influencer_cat_reach ON influencerprofile (category, total_followers)",
    "CREATE INDEX ix_search_influencer_cat_er ON influencerprofile (category, avg_engagement_rate)",
    "CREATE INDEX ix_search_influencer_cat_price ON influencerprofile (category, asking_price_cents)",
    "CREATE INDEX ix_search_influencer_niche ON influencerprofile (niche, category, total_followers)",
    # completion records of hundreds of influencers at once (fit sort)
    "CREATE INDEX ix_search_adrequest_influencer_status ON adrequest (influencer_id, status)",
)
BTREE_NAMES = ("ix_search_campaign_feed", "ix_search_campaign_feed_cat", "ix_search_campaign_niche",
               "ix_search_influencer_cat_reach", "ix_search_influencer_cat_er", "ix_search_influencer_cat_price",
               "ix_search_influencer_niche", "ix_search_adrequest_influencer_status")

_HANDLES = "coalesce((SELECT group_concat(handle, ' ') FROM socialaccount WHERE influencer_id = {id}), '')"

SQLITE_UP = (
    # A regular (content-storing) FTS5 table, not an external-content one: the handles live in
    # another table, and an external-content index needs the exact old text on every delete,
    # which triggers on two tables cannot guarantee. The copy costs ~10% of the profile table.
    "CREATE VIRTUAL TABLE fts_influencer USING fts5("
    "display_name, bio, handles, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE fts_campaign USING fts5("
    "name, description, tokenize = 'unicode61 remove_diacritics 2')",
    # influencer profile rows
    "CREATE TRIGGER fts_influencer_ai AFTER INSERT ON influencerprofile BEGIN "
    "INSERT INTO fts_influencer(rowid, display_name, bio, handles) VALUES "
    f"(new.id, new.display_name, coalesce(new.bio, ''), {_HANDLES.format(id='new.id')}); END",
    "CREATE TRIGGER fts_influencer_au AFTER UPDATE OF id, display_name, bio ON influencerprofile BEGIN "
    "DELETE FROM fts_influencer WHERE rowid = old.id; "
    "INSERT INTO fts_influencer(rowid, display_name, bio, handles) VALUES "
    f"(new.id, new.display_name, coalesce(new.bio, ''), {_HANDLES.format(id='new.id')}); END",
    "CREATE TRIGGER fts_influencer_ad AFTER DELETE ON influencerprofile BEGIN "
    "DELETE FROM fts_influencer WHERE rowid = old.id; END",
    # social handles: recompute the handles column of the owning profile
    "CREATE TRIGGER fts_social_ai AFTER INSERT ON socialaccount BEGIN "
    f"UPDATE fts_influencer SET handles = {_HANDLES.format(id='new.influencer_id')} "
    "WHERE rowid = new.influencer_id; END",
    "CREATE TRIGGER fts_social_au AFTER UPDATE OF handle, influencer_id ON socialaccount BEGIN "
    f"UPDATE fts_influencer SET handles = {_HANDLES.format(id='old.influencer_id')} "
    "WHERE rowid = old.influencer_id; "
    f"UPDATE fts_influencer SET handles = {_HANDLES.format(id='new.influencer_id')} "
    "WHERE rowid = new.influencer_id; END",
    "CREATE TRIGGER fts_social_ad AFTER DELETE ON socialaccount BEGIN "
    f"UPDATE fts_influencer SET handles = {_HANDLES.format(id='old.influencer_id')} "
    "WHERE rowid = old.influencer_id; END",
    # campaigns
    "CREATE TRIGGER fts_campaign_ai AFTER INSERT ON campaign BEGIN "
    "INSERT INTO fts_campaign(rowid, name, description) VALUES (new.id, new.name, new.description); END",
    "CREATE TRIGGER fts_campaign_au AFTER UPDATE OF id, name, description ON campaign BEGIN "
    "DELETE FROM fts_campaign WHERE rowid = old.id; "
    "INSERT INTO fts_campaign(rowid, name, description) VALUES (new.id, new.name, new.description); END",
    "CREATE TRIGGER fts_campaign_ad AFTER DELETE ON campaign BEGIN "
    "DELETE FROM fts_campaign WHERE rowid = old.id; END",
    # the rows that exist already
    "INSERT INTO fts_influencer(rowid, display_name, bio, handles) "
    "SELECT p.id, p.display_name, coalesce(p.bio, ''), coalesce(h.handles, '') FROM influencerprofile p "
    "LEFT JOIN (SELECT influencer_id, group_concat(handle, ' ') AS handles FROM socialaccount "
    "GROUP BY influencer_id) h ON h.influencer_id = p.id",
    "INSERT INTO fts_campaign(rowid, name, description) SELECT id, name, description FROM campaign",
)
SQLITE_DOWN = (
    *(f"DROP TRIGGER IF EXISTS {t}" for t in (
        "fts_influencer_ai", "fts_influencer_au", "fts_influencer_ad", "fts_social_ai", "fts_social_au",
        "fts_social_ad", "fts_campaign_ai", "fts_campaign_au", "fts_campaign_ad")),
    "DROP TABLE IF EXISTS fts_influencer",
    "DROP TABLE IF EXISTS fts_campaign",
)

# PostgreSQL: the expressions must stay identical to those in brandifiers/services/discovery/search.py.
PG_UP = (
    "CREATE INDEX ix_search_influencer_text ON influencerprofile USING gin "
    "(to_tsvector('simple'::regconfig, coalesce(display_name, '') || ' ' || coalesce(bio, '')))",
    "CREATE INDEX ix_search_social_handle ON socialaccount USING gin "
    "(to_tsvector('simple'::regconfig, regexp_replace(handle, '[^[:alnum:]]+', ' ', 'g')))",
    "CREATE INDEX ix_search_campaign_text ON campaign USING gin "
    "(to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(description, '')))",
)
PG_DOWN = tuple(f"DROP INDEX IF EXISTS {n}" for n in (
    "ix_search_influencer_text", "ix_search_social_handle", "ix_search_campaign_text"))


def upgrade() -> None:
    """Upgrade schema."""
    dialect = op.get_bind().dialect.name
    for sql in BTREE:
        op.execute(sql)
    if dialect == "sqlite":
        for sql in SQLITE_UP:
            op.execute(sql)
    elif dialect == "postgresql":
        for sql in PG_UP:
            op.execute(sql)


def downgrade() -> None:
    """Downgrade schema."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for sql in SQLITE_DOWN:
            op.execute(sql)
    elif dialect == "postgresql":
        for sql in PG_DOWN:
            op.execute(sql)
    for name in BTREE_NAMES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
