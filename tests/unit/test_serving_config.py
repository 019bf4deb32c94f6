"""The production server binds where the README says, and the client address trusts X-Forwarded-For only
as configured (REFLEX_BACKEND_HOST, REFLEX_TRUSTED_PROXY_HOPS: Reflex's own settings, read by rxconfig)."""

from __future__ import annotations

import re
from pathlib import Path

import reflex as rx

README = Path(__file__).resolve().parents[2] / "README.md"


def _documented_default(name: str) -> str:
    row = re.search(rf"^\| `{name}` \| `?([^`|]+?)`? \|", README.read_text(), re.MULTILINE)
    assert row, f"{name} is not in the README's Configuration table"
    return row.group(1).strip()


def test_bind_address_and_proxy_hops_are_what_the_readme_says(monkeypatch):
    monkeypatch.delenv("REFLEX_BACKEND_HOST", raising=False)
    monkeypatch.delenv("REFLEX_TRUSTED_PROXY_HOPS", raising=False)
    config = rx.Config(app_name="brandifiers")
    assert config.backend_host == _documented_default("REFLEX_BACKEND_HOST") == "0.0.0.0"
    assert str(config.trusted_proxy_hops) == _documented_default("REFLEX_TRUSTED_PROXY_HOPS") == "0"
    monkeypatch.setenv("REFLEX_BACKEND_HOST", "127.0.0.1")
    monkeypatch.setenv("REFLEX_TRUSTED_PROXY_HOPS", "1")
    behind_proxy = rx.Config(app_name="brandifiers")
    assert (behind_proxy.backend_host, behind_proxy.trusted_proxy_hops) == ("127.0.0.1", 1)
