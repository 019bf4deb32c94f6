"""The Reflex app: every page module registers itself with components.layout.template,
and the app adds them here. No logic."""

import reflex as rx

import brandifiers.models  # noqa: F401  (every table, for `reflex db` and the migration check)
from brandifiers.api import api
from brandifiers.components.layout import PAGES
from brandifiers.observability import instrument
from brandifiers.pages.admin import approvals as _admin_approvals  # noqa: F401
from brandifiers.pages.admin import audit as _admin_audit  # noqa: F401
from brandifiers.pages.admin import campaigns as _admin_campaigns  # noqa: F401
from brandifiers.pages.admin import dashboard as _admin_dashboard  # noqa: F401
from brandifiers.pages.admin import disputes as _admin_disputes  # noqa: F401
from brandifiers.pages.admin import exports as _admin_exports  # noqa: F401
from brandifiers.pages.admin import outbox as _admin_outbox  # noqa: F401
from brandifiers.pages.admin import reconciliation as _admin_reconciliation  # noqa: F401
from brandifiers.pages.admin import sponsor_reports as _admin_sponsor_reports  # noqa: F401
from brandifiers.pages.admin import statistics as _admin_statistics  # noqa: F401
from brandifiers.pages.admin import user_detail as _admin_user_detail  # noqa: F401
from brandifiers.pages.admin import users as _admin_users  # noqa: F401
from brandifiers.pages.influencer import campaigns as _influencer_campaigns  # noqa: F401
from brandifiers.pages.influencer import dashboard as _influencer_dashboard  # noqa: F401
from brandifiers.pages.influencer import figures as _influencer_figures  # noqa: F401
from brandifiers.pages.influencer import performance as _influencer_performance  # noqa: F401
from brandifiers.pages.influencer import profile as _influencer_profile  # noqa: F401
from brandifiers.pages.influencer import requests as _influencer_requests  # noqa: F401
from brandifiers.pages.public import account as _account  # noqa: F401
from brandifiers.pages.public import email_links as _email_links  # noqa: F401
from brandifiers.pages.public import landing as _landing  # noqa: F401
from brandifiers.pages.public import login as _login  # noqa: F401
from brandifiers.pages.public import notifications as _notifications  # noqa: F401
from brandifiers.pages.public import reset_password as _reset_password  # noqa: F401
from brandifiers.pages.public import signup as _signup  # noqa: F401
from brandifiers.pages.public import status as _status  # noqa: F401
from brandifiers.pages.public import unsubscribe as _unsubscribe  # noqa: F401
from brandifiers.pages.sponsor import campaign_detail as _campaign_detail  # noqa: F401
from brandifiers.pages.sponsor import campaign_form as _campaign_form  # noqa: F401
from brandifiers.pages.sponsor import campaign_stats as _campaign_stats  # noqa: F401
from brandifiers.pages.sponsor import campaigns as _sponsor_campaigns  # noqa: F401
from brandifiers.pages.sponsor import dashboard as _sponsor_dashboard  # noqa: F401
from brandifiers.pages.sponsor import discover as _discover  # noqa: F401
from brandifiers.pages.sponsor import exports as _sponsor_exports  # noqa: F401
from brandifiers.pages.sponsor import influencer_profile as _influencer_profile_page  # noqa: F401
from brandifiers.pages.sponsor import performance as _sponsor_performance  # noqa: F401
from brandifiers.pages.sponsor import profile as _sponsor_profile  # noqa: F401
from brandifiers.pages.sponsor import report as _sponsor_report  # noqa: F401
from brandifiers.pages.sponsor import reports as _sponsor_reports  # noqa: F401
from brandifiers.pages.sponsor import requests as _sponsor_requests  # noqa: F401
from brandifiers.startup import prepare_database, scheduled_jobs
from brandifiers.state.notifications import live_updates
from brandifiers.upload_guard import upload_guard


def _startup():
    prepare_database()


app = rx.App(toaster=rx.toast.provider(position="top-center"), api_transformer=[api, upload_guard])
for _page in PAGES:
    app.add_page(**_page)
app.register_lifespan_task(_startup)
app.register_lifespan_task(scheduled_jobs)  # the embedded scheduler (see brandifiers/jobs/scheduler.py)
app.register_lifespan_task(live_updates)  # one listener per worker wakes the tabs of users with news
instrument(app)  # every event timed for /metrics and the event log (brandifiers/observability.py)
