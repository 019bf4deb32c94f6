"""The Reflex app: pages register themselves through components.layout.template; no logic here."""

import reflex as rx

import brandifiers.models  # noqa: F401  (every table, for `reflex db` and the migration check)
from brandifiers.pages.admin import dashboard as _admin_dashboard  # noqa: F401
from brandifiers.pages.influencer import dashboard as _influencer_dashboard  # noqa: F401
from brandifiers.pages.public import landing as _landing  # noqa: F401
from brandifiers.pages.public import login as _login  # noqa: F401
from brandifiers.pages.public import signup as _signup  # noqa: F401
from brandifiers.pages.public import status as _status  # noqa: F401
from brandifiers.pages.sponsor import dashboard as _sponsor_dashboard  # noqa: F401
from brandifiers.startup import prepare_database


def _startup():
    prepare_database()


app = rx.App(
    toaster=rx.toast.provider(position="top-center"),
)
app.register_lifespan_task(_startup)
