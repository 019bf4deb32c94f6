"""Work that must wait for a session's transaction to end: `after_outcome(session, on_commit,
on_abort)` and `after_commit(session, fn)`. Takes an open Session; raises nothing itself (a
callback that fails after the commit is logged, the committed data stays)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlmodel import Session

log = logging.getLogger(__name__)

_WAITING = "brandifiers.after_outcome"  # session.info key: the callbacks waiting for their transaction


@dataclass
class _Waiting:
    root: object  # the outermost SessionTransaction the change belongs to
    chain: set = field(default_factory=set)  # the savepoints enclosing the change, up to the root
    on_commit: Callable[[], object] | None = None
    on_abort: Callable[[], object] | None = None
    committed: bool = False
    aborted: bool = False


def after_outcome(session: Session, on_commit: Callable[[], object] | None,
                  on_abort: Callable[[], object] | None = None) -> None:
    """Run on_commit once the current outermost transaction commits with this change in it,
    on_abort when it ends otherwise (rollback, close, or rollback of an enclosing savepoint).
    Without a transaction there is nothing to wait for: on_commit runs at once."""
    root = session.get_transaction()
    if root is None:
        if on_commit is not None:
            on_commit()
        return
    chain, t = set(), session.get_nested_transaction() or root
    while t is not None:
        chain.add(t)
        t = t.parent
    waiting = session.info.get(_WAITING)
    if waiting is None:  # one set of listeners per session, however many callbacks wait
        waiting = session.info[_WAITING] = []
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_soft_rollback)
        event.listen(session, "after_transaction_end", _after_end)
    waiting.append(_Waiting(root, chain, on_commit, on_abort))


def after_commit(session: Session, fn: Callable[[], object]) -> None:
    """Run fn once the current outermost transaction commits with this change in it (never on rollback)."""
    after_outcome(session, fn, None)


def _after_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        for w in session.info.get(_WAITING, ()):
            w.committed = True


def _after_soft_rollback(session: Session, previous) -> None:
    for w in session.info.get(_WAITING, ()):
        if previous in w.chain:
            w.aborted = True


def _after_end(session: Session, transaction) -> None:
    waiting = session.info.get(_WAITING)
    ended = [w for w in waiting or () if w.root is transaction]
    if not ended:
        return
    waiting[:] = [w for w in waiting if w.root is not transaction]
    for w in ended:
        fn = w.on_commit if w.committed and not w.aborted else w.on_abort
        if fn is None:
            continue
        try:
            fn()
        except Exception:  # the transaction has ended: a failed follow-up cannot undo it
            log.exception("after-transaction callback %r failed", fn)
