"""Reflex configuration. Every field can be overridden by env as REFLEX_<FIELD>
(REFLEX_DB_URL for PostgreSQL, REFLEX_REDIS_URL for Redis-backed state and several workers)."""

import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

# Pinned off: with auto setters the browser could set any state var (an id, a role) by itself. Reflex
# reads REFLEX_STATE_AUTO_SETTERS over the config, so the variable is dropped before the config is
# built (tests/unit/test_rxconfig.py).
os.environ.pop("REFLEX_STATE_AUTO_SETTERS", None)

config = rx.Config(
    app_name="brandifiers",
    db_url="sqlite:///brandifiers.db",
    show_built_with_reflex=False,
    telemetry_enabled=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="violet", gray_color="slate", radius="medium")),
    ],
    disable_plugins=[SitemapPlugin],
)
if config.state_auto_setters:  # no environment or later edit may turn client-settable vars on
    raise RuntimeError("state_auto_setters must stay off (see rxconfig.py)")
