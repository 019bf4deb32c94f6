"""The models and the Alembic history agree, and the app refuses an unmigrated database."""

from __future__ import annotations

import pytest

from brandifiers.db import get_engine
from brandifiers.migrations import (
    SchemaNotCurrent, current_revision, ensure_current, head_revision, pending_model_changes, upgrade,
)
from tests.conftest import BACKENDS, make_database


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
