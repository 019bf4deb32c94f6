"""Reflex configuration. Every field can be overridden by env as REFLEX_<FIELD>
(REFLEX_DB_URL for PostgreSQL, REFLEX_REDIS_URL for Redis-backed state and several workers)."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

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
