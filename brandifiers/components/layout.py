"""The one page template: navigation bar, role guard on load, content gated on the role."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from brandifiers.components.email_change import verify_banner
from brandifiers.components.tables import CARD_ROWS
from brandifiers.state.auth import AuthState
from brandifiers.state.notifications import LOADERS, NotificationState

BRAND = "Brandifiers"

NAV_LINKS: dict[str, list[tuple[str, str]]] = {
    "admin": [("Dashboard", "/admin"), ("Statistics", "/admin/statistics"), ("Approvals", "/admin/approvals"),
              ("Users", "/admin/users"), ("Campaigns", "/admin/campaigns"), ("Audit", "/admin/audit"),
              ("Outbox", "/admin/outbox"), ("Exports", "/admin/exports"), ("Disputes", "/admin/disputes"),
              ("Reconciliation", "/admin/reconciliation")],
    "sponsor": [("Dashboard", "/sponsor"), ("Campaigns", "/sponsor/campaigns"), ("Performance", "/sponsor/performance"),
                ("Find influencers", "/sponsor/discover"), ("Requests", "/sponsor/requests"),
                ("Reports", "/sponsor/reports"), ("Exports", "/sponsor/exports"), ("Profile", "/sponsor/profile")],
    "influencer": [("Dashboard", "/influencer"), ("Find campaigns", "/influencer/campaigns"),
                   ("Requests", "/influencer/requests"), ("Performance", "/influencer/performance"),
                   ("My figures", "/influencer/figures"), ("Profile", "/influencer/profile")],
}

# Filled by @template as the page modules are imported; brandifiers.py adds them to the app.
PAGES: list[dict] = []

GUARDS = {
    "admin": AuthState.guard_admin,
    "sponsor": AuthState.guard_sponsor,
    "influencer": AuthState.guard_influencer,
    "member": AuthState.guard_member,  # any active role
    "pending": AuthState.guard_pending,
    "notice": AuthState.guard_notice,
    "anonymous": AuthState.guard_anonymous,
}


def _nav_links() -> rx.Component:
    """From 768 px up the links in the bar; narrower, behind the menu button (nav_menu)."""
    return rx.match(
        AuthState.user_role,
        *[
            (role, rx.flex(*[rx.link(label, href=href, size="2", weight="medium") for label, href in links],
                           spacing="3", wrap="wrap", display=rx.breakpoints(initial="none", md="flex")))
            for role, links in NAV_LINKS.items()
        ],
        rx.fragment(),
    )


def nav_menu() -> rx.Component:
    """The phone's menu button: the role's links, the role and the e-mail."""
    return rx.box(rx.menu.root(
        rx.menu.trigger(rx.button(rx.icon("menu", size=18), variant="soft", size="2", id="nav-menu",
                                  aria_label="Menu")),
        rx.menu.content(
            rx.match(AuthState.user_role,
                     *[(role, rx.fragment(*[rx.menu.item(label, on_click=rx.redirect(href)) for label, href in links]))
                       for role, links in NAV_LINKS.items()],
                     rx.fragment()),
            rx.menu.separator(),
            rx.box(rx.text(AuthState.user_email, " (", AuthState.user_role, ")", size="1", color_scheme="gray"),
                   padding_x="0.75em", padding_y="0.25em"),
            id="nav-menu-content",
        ),
    ), display=rx.breakpoints(initial="block", md="none"))


def navbar() -> rx.Component:
    """One row at every width: below 768 px the links, the role and the e-mail go behind nav_menu."""
    return rx.box(
        rx.flex(
            rx.link(
                rx.hstack(rx.image(src="/logo.svg", alt="", width="26px", height="26px"),
                          rx.text(BRAND, size="5", weight="bold"), align="center", spacing="2"),
                href="/", underline="none", color_scheme="gray", high_contrast=True,
            ),
            rx.cond(AuthState.user_status == "active", _nav_links()),
            rx.spacer(),
            rx.cond(
                AuthState.logged_in,
                rx.hstack(
                    rx.cond(AuthState.user_status == "active", bell()),
                    rx.cond(AuthState.user_status == "active", rx.link(
                        rx.hstack(rx.icon("circle_user", size=18),
                                  rx.text("Account", size="2", weight="medium",
                                          display=rx.breakpoints(initial="none", md="block")),
                                  align="center", spacing="1"),
                        href="/account", aria_label="Account", id="nav-account")),
                    rx.badge(AuthState.user_role, variant="soft", class_name="hide-on-narrow",
                             display=rx.breakpoints(initial="none", md="flex")),
                    rx.text(AuthState.user_email, size="2", color_scheme="gray", class_name="hide-on-narrow",
                            id="nav-email"),
                    rx.cond(AuthState.user_status == "active", nav_menu()),
                    rx.button("Log out", on_click=AuthState.logout, variant="outline", size="2", id="logout"),
                    align="center", spacing=rx.breakpoints(initial="2", md="3"), margin_left="auto",
                ),
                rx.hstack(
                    rx.link(rx.button("Log in", variant="soft", size="2"), href="/login"),
                    rx.link(rx.button("Sign up", size="2"), href="/signup/influencer"),
                    spacing="2", margin_left="auto",
                ),
            ),
            align="center", spacing=rx.breakpoints(initial="2", md="4"),
            wrap=rx.breakpoints(initial="nowrap", md="wrap"), width="100%", max_width="1200px", margin_x="auto",
        ),
        padding_x="1em", padding_y="0.75em", border_bottom="1px solid var(--gray-a5)",
        background_color="var(--color-panel-solid)", position="sticky", top="0", z_index="10",
    )


def _notification(n) -> rx.Component:
    return rx.box(
        rx.hstack(rx.cond(n["unread"] != "", rx.box(width="8px", height="8px", border_radius="50%",
                                                     background_color="var(--accent-9)", flex_shrink="0")),
                  rx.text(n["title"], size="2", weight="medium"), align="center", spacing="2"),
        rx.text(n["body"], size="1", color_scheme="gray"),
        rx.hstack(rx.text(n["when"], size="1", color_scheme="gray"), rx.spacer(),
                  rx.cond(n["link"] != "", rx.link("Open", href=n["link"], size="1"))),
        padding_y="0.5em", border_bottom="1px solid var(--gray-a4)", width="100%",
    )


def bell() -> rx.Component:
    """Unread count + the latest notifications; refreshed live (NotificationState.refresh)."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("bell", size=18),
                rx.cond(NotificationState.unread > 0,
                        rx.badge(NotificationState.unread, color_scheme="red", variant="solid", id="bell-count")),
                variant="ghost", size="2", id="bell", aria_label="Notifications",
                on_click=NotificationState.load_items,
            ),
        ),
        rx.popover.content(
            rx.vstack(
                rx.hstack(rx.text("Notifications", weight="bold"), rx.spacer(),
                          rx.button("Mark all read", size="1", variant="soft", on_click=NotificationState.mark_all_read,
                                    id="mark-read")),
                rx.cond(NotificationState.items.length() > 0, rx.foreach(NotificationState.items, _notification),
                        rx.text("Nothing yet.", size="2", color_scheme="gray")),
                rx.link("See all notifications", href="/notifications", size="2", id="bell-see-all"),
                spacing="2", width="100%",
            ),
            width="min(360px, 92vw)", max_height="70vh", overflow_y="auto",
        ),
    )


def loading() -> rx.Component:
    return rx.center(rx.spinner(size="3"), padding="4em")


def page_shell(content: rx.Component) -> rx.Component:
    return rx.box(
        navbar(),
        rx.box(verify_banner(), content, width="100%", max_width="1200px", margin_x="auto",
               padding=["1em", "1em", "2em"]),
        rx.el.style(
            # the admin's ten links, the role and the e-mail do not fit one line below this width
            "@media (max-width: 1400px) { .hide-on-narrow { display: none !important; } }\n" + CARD_ROWS
        ),
        min_height="100vh", background_color="var(--gray-1)",
    )


def template(route: str, title: str, access: str | None = None,
             on_load: list | None = None) -> Callable[[Callable[[], rx.Component]], rx.Component]:
    """Register a page with the shared layout.

    access: None (public), "anonymous" (log-in/sign-up), "pending", "notice", a role or "member" (any
    active role).
    For a role, the guard runs first on load and the content renders only once the
    server has confirmed the role; the page's own loaders follow.
    """

    def decorator(page: Callable[[], rx.Component]):
        def render() -> rx.Component:
            content = page()
            if access in NAV_LINKS:
                content = rx.cond(
                    (AuthState.user_role == access) & (AuthState.user_status == "active"), content, loading()
                )
            elif access == "member":
                content = rx.cond(AuthState.user_status == "active", content, loading())
            return page_shell(content)

        render.__name__ = page.__name__
        events = ([GUARDS[access]] if access else []) + list(on_load or [])
        if access in NAV_LINKS or access == "member":
            LOADERS[route.strip("/")] = list(on_load or [])
            events.append(NotificationState.track)
        PAGES.append({"component": render, "route": route, "title": f"{title} · {BRAND}",
                      "on_load": events or None})
        return page

    return decorator
