"""discovery words: the niche filter by words, the sponsor's company name in campaign text search

SQLite: fts_influencer gains a niche column, fts_campaign a brand (the sponsor's company name) and
a niche column. FTS5 tables cannot add columns, so both are made anew with their triggers and
filled from the existing rows; a sponsor renamed updates its campaigns' brand.
PostgreSQL: GIN expression indexes over to_tsvector('simple', ...) of the niches and of the
company name (the expressions of brandifiers/services/discovery/fulltext.py).
The SQL is copied on purpose (a migration is frozen), the old definitions too for the downgrade.

Revision ID: d9e1f3a5b7c9
Revises: d1f3a5c7e9b0
Create Date: 2026-12-05 22:40:00

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'd9e1f3a5b7c9'
down_revision: Union[str, Sequence[str], None] = 'd1f3a5c7e9b0'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_HANDLES = "coalesce((SELECT group_concat(handle, ' ') FROM socialaccount WHERE influencer_id = {id}), '')"
_BRAND = "coalesce((SELECT company_name FROM sponsorprofile WHERE user_id = {id}), '')"
_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
_TRIGGERS = ("fts_influencer_ai", "fts_influencer_au", "fts_influencer_ad", "fts_social_ai", "fts_social_au",
             "fts_social_ad", "fts_campaign_ai", "fts_campaign_au", "fts_campaign_ad", "fts_sponsor_ai",
             "fts_sponsor_au")
_DROP = (*(f"DROP TRIGGER IF EXISTS {t}" for t in _TRIGGERS),
         "DROP TABLE IF EXISTS fts_influencer", "DROP TABLE IF EXISTS fts_campaign")

_SOCIAL = (  # unchanged: recompute the handles column of the owning profile
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
)
_INF_ROW = f"(new.id, new.display_name, coalesce(new.bio, ''), {_HANDLES.format(id='new.id')}, coalesce(new.niche, ''))"
_CAMP_ROW = f"(new.id, new.name, new.description, {_BRAND.format(id='new.sponsor_id')}, coalesce(new.niche, ''))"
SQLITE_UP = (
    *_DROP,
    f"CREATE VIRTUAL TABLE fts_influencer USING fts5(display_name, bio, handles, niche, {_TOKENIZE})",
    f"CREATE VIRTUAL TABLE fts_campaign USING fts5(name, description, brand, niche, {_TOKENIZE})",
    "CREATE TRIGGER fts_influencer_ai AFTER INSERT ON influencerprofile BEGIN "
    f"INSERT INTO fts_influencer(rowid, display_name, bio, handles, niche) VALUES {_INF_ROW}; END",
    "CREATE TRIGGER fts_influencer_au AFTER UPDATE OF id, display_name, bio, niche ON influencerprofile BEGIN "
    "DELETE FROM fts_influencer WHERE rowid = old.id; "
    f"INSERT INTO fts_influencer(rowid, display_name, bio, handles, niche) VALUES {_INF_ROW}; END",
    "CREATE TRIGGER fts_influencer_ad AFTER DELETE ON influencerprofile BEGIN "
    "DELETE FROM fts_influencer WHERE rowid = old.id; END",
    *_SOCIAL,
    "CREATE TRIGGER fts_campaign_ai AFTER INSERT ON campaign BEGIN "
    f"INSERT INTO fts_campaign(rowid, name, description, brand, niche) VALUES {_CAMP_ROW}; END",
    "CREATE TRIGGER fts_campaign_au AFTER UPDATE OF id, name, description, niche, sponsor_id ON campaign BEGIN "
    "DELETE FROM fts_campaign WHERE rowid = old.id; "
    f"INSERT INTO fts_campaign(rowid, name, description, brand, niche) VALUES {_CAMP_ROW}; END",
    "CREATE TRIGGER fts_campaign_ad AFTER DELETE ON campaign BEGIN "
    "DELETE FROM fts_campaign WHERE rowid = old.id; END",
    # the sponsor's company name: its campaigns' brand column (ix_campaign_sponsor_id finds them)
    "CREATE TRIGGER fts_sponsor_ai AFTER INSERT ON sponsorprofile BEGIN "
    "UPDATE fts_campaign SET brand = new.company_name "
    "WHERE rowid IN (SELECT id FROM campaign WHERE sponsor_id = new.user_id); END",
    "CREATE TRIGGER fts_sponsor_au AFTER UPDATE OF company_name, user_id ON sponsorprofile BEGIN "
    "UPDATE fts_campaign SET brand = '' WHERE rowid IN (SELECT id FROM campaign WHERE sponsor_id = old.user_id); "
    "UPDATE fts_campaign SET brand = new.company_name "
    "WHERE rowid IN (SELECT id FROM campaign WHERE sponsor_id = new.user_id); END",
    # the rows that exist already
    "INSERT INTO fts_influencer(rowid, display_name, bio, handles, niche) "
    "SELECT p.id, p.display_name, coalesce(p.bio, ''), coalesce(h.handles, ''), coalesce(p.niche, '') "
    "FROM influencerprofile p LEFT JOIN (SELECT influencer_id, group_concat(handle, ' ') AS handles "
    "FROM socialaccount GROUP BY influencer_id) h ON h.influencer_id = p.id",
    "INSERT INTO fts_campaign(rowid, name, description, brand, niche) "
    "SELECT c.id, c.name, c.description, coalesce(s.company_name, ''), coalesce(c.niche, '') "
    "FROM campaign c LEFT JOIN sponsorprofile s ON s.user_id = c.sponsor_id",
    "INSERT INTO fts_influencer(fts_influencer) VALUES ('optimize')",
    "INSERT INTO fts_campaign(fts_campaign) VALUES ('optimize')",
)
SQLITE_DOWN = (  # the tables and triggers of migration 7391e64099c1
    *_DROP,
    f"CREATE VIRTUAL TABLE fts_influencer USING fts5(display_name, bio, handles, {_TOKENIZE})",
    f"CREATE VIRTUAL TABLE fts_campaign USING fts5(name, description, {_TOKENIZE})",
    "CREATE TRIGGER fts_influencer_ai AFTER INSERT ON influencerprofile BEGIN "
    "INSERT INTO fts_influencer(rowid, display_name, bio, handles) VALUES "
    f"(new.id, new.display_name, coalesce(new.bio, ''), {_HANDLES.format(id='new.id')}); END",
    "CREATE TRIGGER fts_influencer_au AFTER UPDATE OF id, display_name, bio ON influencerprofile BEGIN "
    "DELETE FROM fts_influencer WHERE rowid = old.id; "
    "INSERT INTO fts_influencer(rowid, display_name, bio, handles) VALUES "
    f"(new.id, new.display_name, coalesce(new.bio, ''), {_HANDLES.format(id='new.id')}); END",
    "CREATE TRIGGER fts_influencer_ad AFTER DELETE ON influencerprofile BEGIN "
    "DELETE FROM fts_influencer WHERE rowid = old.id; END",
    *_SOCIAL,
    "CREATE TRIGGER fts_campaign_ai AFTER INSERT ON campaign BEGIN "
    "INSERT INTO fts_campaign(rowid, name, description) VALUES (new.id, new.name, new.description); END",
    "CREATE TRIGGER fts_campaign_au AFTER UPDATE OF id, name, description ON campaign BEGIN "
    "DELETE FROM fts_campaign WHERE rowid = old.id; "
    "INSERT INTO fts_campaign(rowid, name, description) VALUES (new.id, new.name, new.description); END",
    "CREATE TRIGGER fts_campaign_ad AFTER DELETE ON campaign BEGIN "
    "DELETE FROM fts_campaign WHERE rowid = old.id; END",
    "INSERT INTO fts_influencer(rowid, display_name, bio, handles) "
    "SELECT p.id, p.display_name, coalesce(p.bio, ''), coalesce(h.handles, '') FROM influencerprofile p "
    "LEFT JOIN (SELECT influencer_id, group_concat(handle, ' ') AS handles FROM socialaccount "
    "GROUP BY influencer_id) h ON h.influencer_id = p.id",
    "INSERT INTO fts_campaign(rowid, name, description) SELECT id, name, description FROM campaign",
)

PG_UP = (
    "CREATE INDEX ix_search_influencer_niche_words ON influencerprofile USING gin "
    "(to_tsvector('simple'::regconfig, coalesce(niche, '')))",
    "CREATE INDEX ix_search_campaign_niche_words ON campaign USING gin "
    "(to_tsvector('simple'::regconfig, coalesce(niche, '')))",
    "CREATE INDEX ix_search_sponsor_brand ON sponsorprofile USING gin "
    "(to_tsvector('simple'::regconfig, coalesce(company_name, '')))",
)
PG_DOWN = tuple(f"DROP INDEX IF EXISTS {n}" for n in (
    "ix_search_influencer_niche_words", "ix_search_campaign_niche_words", "ix_search_sponsor_brand"))


def upgrade() -> None:
    """Upgrade schema."""
    dialect = op.get_bind().dialect.name
    for sql in SQLITE_UP if dialect == "sqlite" else PG_UP if dialect == "postgresql" else ():
        op.execute(sql)


def downgrade() -> None:
    """Downgrade schema."""
    dialect = op.get_bind().dialect.name
    for sql in SQLITE_DOWN if dialect == "sqlite" else PG_DOWN if dialect == "postgresql" else ():
        op.execute(sql)
