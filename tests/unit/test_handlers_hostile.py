"""Every event handler of every state, called with hostile payloads as anonymous, as each role, as a
non-owner and as a pending sponsor: no unhandled exception, and a caller who may not act changes no
row of anyone else. Handlers are found by walking the State class tree: a new one is covered as is."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import inspect
import io
import pkgutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import reflex as rx
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

import brandifiers.state
from brandifiers.db import get_engine
from brandifiers.services.accounts import auth
from brandifiers.state.base import RoleState
from tests.conftest import _empty_all_tables
from tests.unit import collab_factories, factories, stats_factories

for _mod in pkgutil.iter_modules(brandifiers.state.__path__):
    importlib.import_module(f"brandifiers.state.{_mod.name}")

# Reflex's own generic setter, not a handler of ours (it sets a var by name; nothing to parse).
SKIPPED = {"setvar"}
HOSTILE = [
    "１２", "²", "٣", "9" * 100_000, 2**63, str(2**63), 2**31, "3000000000", -1, "-1", 0,
    -(10**30), 1.5, float("nan"), float("inf"),
    None, True, False, [], [1, "a"], {"a": 1}, "", "   ", " 7 ", "1e999", "0x1F", "1,2,3", "１２３.４５",
    "9999-12-31", "0000-00-00", "9999-12", "2025-02-30", "a\x00b", "\x00", "\ud800", "x" * 100_000,
    "\u202egnp.exe\u200b", "\u200b=HYPERLINK(1)", "' OR 1=1; DROP TABLE \"user\"; --", "<script>alert(1)</script>",
]
# Anonymous callers and strangers are refused before any parsing: a shorter sweep proves they change nothing.
FEW = [None, "a\x00b", 2**63, "9" * 100_000, "９", "9999-12-31", {"a": 1}, "\ud800", "' OR 1=1 --"]
# Tables that any call may touch for the caller itself or as a cache (never someone else's data).
CACHES = {"analyticssnapshot", "categorymedian", "loginthrottle", "schedulerlease", "jobrun"}
OWNER_COLUMNS = ("user_id", "sponsor_id", "influencer_id", "actor_id", "created_by_id", "author_id", "recorded_by_id",
                 "reported_by_id")
PNG = b"\x89PNG\r\n\x1a\n"
FILES = [PNG + b"<html><script>alert(1)</script></html>", b"", b"\x00" * 10, PNG + b"\x00" * (3 * 1024 * 1024),
         b"deliverable_id,day\n" + b"9" * 5000 + b",9999-12-31\n", "é,\x00\n".encode(), b"\xff\xfe\x00"]


def _walk(cls):
    yield cls
    for sub in cls.get_substates():
        yield from _walk(sub)


def _handlers() -> list[tuple[type, str]]:
    out = []
    for cls in _walk(rx.State):
        if cls.__module__.startswith("brandifiers."):
            out += [(cls, name) for name in sorted(cls.event_handlers) if name not in SKIPPED]
    return out


HANDLERS = _handlers()


class AnyKey(dict):
    """A form whose every field holds the same hostile value (whatever names the handler reads)."""

    def __init__(self, value):
        super().__init__()
        self.value = value

    def get(self, key, default=None):
        return self.value

    def __getitem__(self, key):
        return self.value

    def __contains__(self, key):
        return True


def _upload(content: bytes, name: str = "x.png") -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(content), path=Path(name), size=len(content))


def _as_bytes(value) -> bytes:
    return str(value).encode("utf-8", "surrogatepass")


def _arg_values(annotation: str, payloads: list) -> list:
    """What a browser can send for one parameter: the corpus as is, forms of it, files of it."""
    if "UploadFile" in annotation:
        files = [[_upload(c)] for c in FILES] + [[_upload(_as_bytes(p), "x.csv")] for p in payloads]
        return files + [p for p in payloads if not isinstance(p, list)] + [[None], [{"a": 1}]]
    if annotation == "dict":
        return [AnyKey(p) for p in payloads] + [{}, None, "x", [1]]
    return list(payloads)


def _benign(annotation: str, world):
    return {"int": world.ids["campaign_id"], "bool": True, "dict": {}}.get(annotation, "x")


def _calls(cls, name: str, payloads: list, world):
    """(args, route value) pairs: each payload in each parameter in turn (the others benign), or, for a
    handler without parameters, each text payload as every route argument."""
    params = list(inspect.signature(cls.event_handlers[name].fn).parameters.values())[1:]
    if not params:
        return [((), p) for p in payloads if isinstance(p, str)] + [((), None)]
    calls = []
    for i, param in enumerate(params):
        for value in _arg_values(str(param.annotation), payloads):
            args = [_benign(str(p.annotation), world) for p in params]
            args[i] = value
            calls.append((tuple(args), None))
    return calls


DELIVERY_FREE = ("id", "kind", "channel", "recipient", "period", "user_id", "subject", "text_body", "html_body", "link")


def _table_digest(conn, actor_id: int | None) -> dict[str, str]:
    """A digest of every table's rows, leaving out the caller's own rows and the caches."""
    out = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name in CACHES:
            continue
        owner_cols = [c for c in table.columns if c.name in OWNER_COLUMNS or (table.name == "user" and c.name == "id")]
        stmt = sa.select(table)
        if table.name == "outboxmessage":  # what was queued, not its delivery: an export's deliver_due() also
            stmt = sa.select(*[table.c[n] for n in DELIVERY_FREE])  # sends others' due messages (the job's work)
        if actor_id is not None and owner_cols:
            stmt = stmt.where(sa.and_(*[sa.or_(c.is_(None), c != actor_id) for c in owner_cols]))
        if table.name == "usersession":  # the rest of a session row is the caller's last use of it
            continue
        rows = sorted(repr(tuple(r)) for r in conn.execute(stmt))
        out[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


@pytest.fixture(scope="module")
def world(db_url, tmp_path_factory):
    engine = get_engine(db_url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REFLEX_DB_URL", db_url)
        mp.setattr("brandifiers.services.accounts.auth.hash_password", collab_factories._hash)
        mp.setattr("tests.unit.factories.hash_password", collab_factories._hash)
        upload_dir = tmp_path_factory.mktemp("uploads")
        mp.setattr(rx, "get_upload_dir", lambda: upload_dir)
        with Session(engine, expire_on_commit=False) as s:
            w = stats_factories.world(s)
            actors = {"admin": w.admin, "sponsor": w.sponsors[0], "influencer": w.influencers[0],
                      "stranger_sponsor": factories.sponsor(s, approved=True),
                      "stranger_influencer": factories.influencer(s),
                      "pending_sponsor": factories.sponsor(s)}
            victim = factories.influencer(s)
            s.commit()
            ids = {"campaign_id": w.campaigns[0].id, "request_id": w.requests[0].id,
                   "influencer_id": w.influencers[0].id, "target_id": w.influencers[0].id, "user_id": victim.id,
                   "reject_id": actors["pending_sponsor"].id, "reason_target": victim.id}
            users = {k: (u.id, u) for k, u in actors.items()}
        yield SimpleNamespace(engine=engine, users=users, ids=ids, mp=mp)
    _empty_all_tables(db_url)


def _token(world, who: str | None) -> str:
    if who is None:
        return ""
    with Session(world.engine) as s:
        token = auth.start_session(s, s.merge(world.users[who][1]))
        s.commit()
    return token


def _state(cls, world, who: str | None):
    state = cls()
    state.auth_token = _token(world, who)
    for name, value in world.ids.items():  # the state's id vars point at the world's own rows
        if name in cls.vars and not name.startswith("_"):
            current = getattr(state, name)
            if isinstance(current, int | str) and not isinstance(current, bool):
                setattr(state, name, type(current)(value))
    return state


def _invoke(state, name: str, args: tuple):
    handler = type(state).event_handlers[name]
    # A background task (ExportState.start) cannot be called on a state directly: run its function.
    result = handler.fn(state, *args) if handler.is_background else getattr(state, name)(*args)
    if inspect.iscoroutine(result):
        asyncio.run(result)
    elif inspect.isasyncgen(result):
        async def drain():
            async for _ in result:
                pass
        asyncio.run(drain())
    elif inspect.isgenerator(result):
        list(result)


AUTHORISED = ("admin", "sponsor", "influencer")
REFUSED = (None, "stranger_sponsor", "stranger_influencer", "pending_sponsor")


def _route(world, value):
    def route_text(_self, name: str) -> str:
        return str(world.ids.get(name, "2025-01")) if value is None else value
    return route_text


@pytest.mark.parametrize(("cls", "name"), HANDLERS, ids=[f"{c.__name__}.{n}" for c, n in HANDLERS])
def test_hostile_payloads_never_crash_a_handler(world, cls, name, monkeypatch):
    failures = []
    for who in REFUSED + AUTHORISED:
        payloads = HOSTILE if who in AUTHORISED else FEW
        actor_id = world.users[who][0] if who else None
        with world.engine.connect() as conn:
            before = _table_digest(conn, actor_id) if who in REFUSED else None
        state = _state(cls, world, who)
        for args, route in _calls(cls, name, payloads, world):
            monkeypatch.setattr(RoleState, "_route_text", _route(world, route))
            if getattr(state, "auth_token", "") == "" and who is not None:  # a handler logged the caller out
                state.auth_token = _token(world, who)
            try:
                _invoke(state, name, args)
            except Exception as exc:
                failures.append(f"{who or 'anonymous'} {[repr(a)[:40] for a in args]} route={repr(route)[:30]}: "
                                f"{type(exc).__name__}: {str(exc)[:160]}")
        if before is not None:
            with world.engine.connect() as conn:
                after = _table_digest(conn, actor_id)
            changed = [t for t in before if before[t] != after.get(t)]
            assert not changed, f"{who or 'anonymous'} changed {changed} through {cls.__name__}.{name}"
    assert not failures, f"{len(failures)} crash(es):\n" + "\n".join(failures[:15])


def test_the_sweep_covers_every_state():
    """The enumeration really walks the tree: states of several pages and their handlers are in it."""
    names = {f"{c.__name__}.{n}" for c, n in HANDLERS}
    assert {"AccountState.login", "RequestState.pay", "ProfileState.upload_avatar", "CsvImportState.upload",
            "AdminState.approve", "DiscoveryState.send_request"} <= names
    assert len(HANDLERS) > 100
