"""No usable session token in Reflex's state store: a log-in through the real handler, the state written by
the Redis manager (database 11 of BRANDIFIERS_TEST_STATE_REDIS_URL) and by the disk manager (.states/);
every key or file is read back, no token or browser marker is in it, and the tab still works from it."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from sqlmodel import select

from brandifiers.db import session_scope
from brandifiers.models import UserSession
from brandifiers.services.accounts import auth
from brandifiers.state.account import AccountState
from brandifiers.state.auth import AuthState
from tests.unit import factories
from tests.unit.factories import PASSWORD

REDIS_URL = os.environ.get("BRANDIFIERS_TEST_STATE_REDIS_URL", "redis://127.0.0.1:6379/11")


def _redis_manager():
    import redis
    import redis.asyncio as aioredis
    from reflex.istate.manager.redis import StateManagerRedis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis does not answer at {REDIS_URL}: {exc}")
    client = aioredis.Redis.from_url(REDIS_URL)

    async def dump() -> list[bytes]:
        values = []
        for key in await client.keys("*"):
            kind = (await client.type(key)).decode()
            if kind == "string":
                values.append(key + b"=" + (await client.get(key) or b""))
            elif kind == "hash":
                values.extend(key + b"=" + k + v for k, v in (await client.hgetall(key)).items())
            else:
                values.append(key)
        return values

    async def flush() -> None:
        await client.flushdb()  # this test's own database only

    return (lambda: StateManagerRedis(redis=client)), dump, flush


def _disk_manager(directory):
    from reflex.istate.manager.disk import StateManagerDisk

    async def dump() -> list[bytes]:
        return [p.read_bytes() for p in directory.rglob("*") if p.is_file()]

    async def flush() -> None:
        return None

    return StateManagerDisk, dump, flush


@pytest.mark.parametrize("store", ["redis", "disk"])
def test_logged_in_state_holds_no_usable_token_and_the_tab_still_works(session, store, tmp_path, monkeypatch):
    from reflex.istate.manager.token import BaseStateToken
    from reflex.state import State

    monkeypatch.setenv("REFLEX_STATES_WORKDIR", str(tmp_path / "states"))
    make, dump, flush = _redis_manager() if store == "redis" else _disk_manager(tmp_path / "states")
    user = factories.influencer(session, email="tab@example.com")
    session.commit()
    tab = BaseStateToken.from_legacy_token(f"{uuid.uuid4()}_{AccountState.get_full_name()}", root_state=State)

    async def scenario():
        await flush()
        first = make()  # one worker: the log-in event
        async with first.modify_state(tab) as root:
            account = await root.get_state(AccountState)
            await account.login({"email": user.email, "password": PASSWORD})
            token, device = account.auth_token, account.device_token
        await first.close()
        stored = await dump()
        second = make()  # another worker (or a restart): the tab's next event
        async with second.modify_state(tab) as root:
            account = await root.get_state(AccountState)
            actor = account._actor_id()
            account.logout()
        await second.close()
        await flush()
        return token, device, stored, actor

    token, device, stored, actor = asyncio.run(scenario())
    assert token and device and stored
    assert not [blob for blob in stored if token.encode() in blob or device.encode() in blob]
    assert any(auth.token_digest(token).encode() in blob for blob in stored)  # what the server keeps instead
    assert actor == user.id  # the tab works from the stored hash
    with session_scope() as s:  # and its log-out, from the stored hash too, revoked the session
        assert s.exec(select(UserSession.revoked_at).where(UserSession.user_id == user.id)).one() is not None


def test_a_browser_without_the_token_is_logged_out_even_after_a_reload_from_the_store(session):
    """The hash follows every assignment of the browser's value: a hydrate that resets client storage (the
    user cleared it, or another tab logged out) leaves no stale hash that would keep the tab logged in."""
    import pickle

    user = factories.influencer(session, email="tab@example.com")
    session.commit()
    state = AuthState()
    with session_scope() as s:
        state.auth_token = auth.login(s, user.email, PASSWORD).token
    restored = pickle.loads(pickle.dumps(state))
    assert restored.auth_token == "" and restored._actor_id() == user.id
    restored.auth_token = ""  # what hydrate's client-storage reset does when the browser has no token
    assert restored._actor_id() is None
