"""Word matching for discovery search (free text and the niche filter), the one place that knows SQLite FTS5
and PostgreSQL full-text search apart: every word as a word prefix; too long a query or too deep a page
raises DomainError. Design: docs/discovery.md, "Free text"."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from brandifiers.services.common import parse
from brandifiers.services.common.errors import DomainError

TEXT_MAX, MAX_WORDS = 200, 8
MAX_RESULTS = 1000  # a text search pages through its first 1,000 results
READ_COST = 11  # SQLite: reading + sorting one match costs about as much as 11 index steps
READ_ALWAYS = 500  # SQLite: up to this many matches are always read (cheap, and gives the total)
FTS_TABLES = ("fts_influencer", "fts_campaign")

# PostgreSQL: the same expressions as the GIN indexes of migrations 7391e64099c1 and d9e1f3a5b7c9 (or they
# go unused).
PG_INFLUENCER_TSV = "to_tsvector('simple'::regconfig, coalesce(display_name, '') || ' ' || coalesce(bio, ''))"
PG_HANDLE_TSV = "to_tsvector('simple'::regconfig, regexp_replace(handle, '[^[:alnum:]]+', ' ', 'g'))"
PG_CAMPAIGN_TSV = "to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(description, ''))"
PG_BRAND_TSV = "to_tsvector('simple'::regconfig, coalesce(company_name, ''))"
PG_NICHE_TSV = "to_tsvector('simple'::regconfig, coalesce(niche, ''))"
_TSQ = "to_tsquery('simple'::regconfig, :{p})"
_PG_MATCH = {  # the ids whose text has one word (a prefix query); {p} names its parameter
    "influencer": f"SELECT id FROM influencerprofile WHERE {PG_INFLUENCER_TSV} @@ {_TSQ} "
                  f"UNION SELECT influencer_id FROM socialaccount WHERE {PG_HANDLE_TSV} @@ {_TSQ}",
    "campaign": f"SELECT id FROM campaign WHERE {PG_CAMPAIGN_TSV} @@ {_TSQ} "  # the sponsor's company name too
                f"UNION SELECT c.id FROM campaign c JOIN sponsorprofile s ON s.user_id = c.sponsor_id "
                f"WHERE {PG_BRAND_TSV} @@ {_TSQ}",
}
_PG_NICHE = {"influencer": f"SELECT id FROM influencerprofile WHERE {PG_NICHE_TSV} @@ {_TSQ}",
             "campaign": f"SELECT id FROM campaign WHERE {PG_NICHE_TSV} @@ {_TSQ}"}
# SQLite: the FTS5 columns the free text searches (the niche column is the niche filter's)
_FTS_TEXT = {"influencer": "display_name bio handles", "campaign": "name description brand"}
_NOUN = {"influencer": "profiles", "campaign": "campaigns"}


def words(text: str, field: str = "text") -> list[str]:
    """The search words: letters and digits, lower-cased; 1-letter words only when alone."""
    text = parse.text(text, field, "Search text").strip()
    if len(text) > TEXT_MAX:
        raise DomainError(f"Search with at most {TEXT_MAX} characters.", field)
    found = re.findall(r"[^\W_]+", text.lower())
    return ([w for w in found if len(w) > 1] or found)[:MAX_WORDS]


def depth_note(total: int | None) -> str:
    """What a page of a text search says when its results go past the ones it can page through."""
    if total is not None and total <= MAX_RESULTS:
        return ""
    return f"A text search shows its first {MAX_RESULTS:,} results; add a word or a filter to narrow it down."


def check_depth(ws: list[str], offset: int) -> None:
    """A text search shows its first MAX_RESULTS results: refuse a page that starts past them."""
    if ws and offset >= MAX_RESULTS:
        raise DomainError(depth_note(None), "page")


@dataclass
class Text:
    condition: object  # a condition on the row id
    mode: str  # SQLite: "read" (the matches are read and sorted) or "scan" (not counted); PostgreSQL: ""
    more_than: int = 0  # "scan": the matches are known to be more than this many


def _pg_in(id_col, sql: str, name: str, tsquery: str):
    return id_col.in_(sa.text(sql.format(p=name)).bindparams(**{name: tsquery}).columns(sa.column("id", sa.Integer)))


def text_filter(session: Session, id_col, kind: str, ws: list[str], want: int, niche: list[str] = ()) -> Text:
    """Rows (profile ids or campaign ids) whose text contains every word of `ws` and whose niche every
    word of `niche`, as word prefixes; `want` is how many rows of the sorted result the caller reads
    (offset + limit)."""
    if session.get_bind().dialect.name == "postgresql":  # per text word: one GIN-indexed lookup per text
        conds = [_pg_in(id_col, _PG_MATCH[kind], f"w{i}", f"{w}:*") for i, w in enumerate(ws)]
        if niche:  # the niche is one text: one lookup for all its words
            conds.append(_pg_in(id_col, _PG_NICHE[kind], "niche_q", " & ".join(f"{w}:*" for w in niche)))
        return Text(sa.and_(*conds), "")
    # SQLite: choose how to join the FTS matches with the sorted query (the planner cannot know
    # how many there are). "read": read each match's row and sort them, ~READ_COST index steps per
    # match. "scan": walk the sort index and probe the (materialised) match set until `want` rows
    # are found: about want x rows / matches steps. The cheaper one wins; a literal "+ 0" on the id
    # keeps SQLite from choosing "read" on its own.
    table = f"fts_{kind}"
    terms = [f"{{{_FTS_TEXT[kind]}}} : (" + " AND ".join(f'"{w}"*' for w in ws) + ")" if ws else "",
             "niche : (" + " AND ".join(f'"{w}"*' for w in niche) + ")" if niche else ""]
    query = " AND ".join(t for t in terms if t)  # prefix terms; words are [^\W_]+ only
    matches = sa.text(f"SELECT rowid FROM {table} WHERE {table} MATCH :fts_q").bindparams(
        fts_q=query).columns(sa.column("rowid", sa.Integer))
    rows = session.execute(sa.select(sa.func.max(id_col))).scalar_one() or 0  # ~ row count, O(log n)
    # scan when n x n x READ_COST > want x rows: counting up to that threshold is enough to decide
    threshold = max(READ_ALWAYS, math.isqrt(want * rows // READ_COST))
    n = session.execute(sa.text(f"SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH :q "
                                "LIMIT :n)").bindparams(q=query, n=threshold + 1)).scalar_one()
    if not n:
        return Text(sa.false(), "read")
    if n > threshold:
        return Text((id_col + 0).in_(matches), "scan", threshold)
    return Text(id_col.in_(matches), "read")


def optimize(conn) -> None:
    """SQLite: merge each FTS5 index into one segment (after a bulk load: the triggers built it
    row by row in many segments, and every query reads each segment)."""
    if conn.dialect.name == "sqlite":
        for table in FTS_TABLES:
            conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")
