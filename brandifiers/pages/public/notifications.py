"""Every role: /notifications, the full history behind the bell (paged, unread / kind filters,
mark read, Open to the thing notified about)."""

import reflex as rx

from brandifiers.components.cards import form_error, pager
from brandifiers.components.layout import template
from brandifiers.services.common.notify import KINDS
from brandifiers.state.notification_page import ALL_KINDS, NotificationPageState
from brandifiers.state.notifications import NotificationState


def _row(n) -> rx.Component:
    unread = n["unread"] != ""
    return rx.card(rx.vstack(
        rx.hstack(
            rx.cond(unread, rx.box(width="8px", height="8px", border_radius="50%", flex_shrink="0",
                                   background_color="var(--accent-9)", aria_label="unread")),
            rx.text(n["title"], weight=rx.cond(unread, "bold", "regular"), size="3"),
            rx.badge(n["kind"], variant="soft", color_scheme="gray"),
            align="center", spacing="2", wrap="wrap"),
        rx.cond(n["body"] != "", rx.text(n["body"], size="2", color_scheme="gray")),
        rx.hstack(
            rx.text(n["when"], size="1", color_scheme="gray"),
            rx.cond(unread, rx.text("Unread", size="1", weight="medium", color_scheme="blue"),
                    rx.text("Read", size="1", color_scheme="gray")),
            rx.spacer(),
            rx.cond(unread, rx.button("Mark read", size="1", variant="soft", id="mark-read-" + n["id"],
                                      on_click=NotificationPageState.mark_read(n["id"]))),
            rx.cond(n["link"] != "", rx.button("Open", size="1", id="open-" + n["id"],
                                               on_click=NotificationPageState.open(n["id"]))),
            align="center", spacing="2", width="100%", wrap="wrap"),
        spacing="1", width="100%"), width="100%", id="note-" + n["id"])


def _filters() -> rx.Component:
    return rx.hstack(
        rx.checkbox("Unread only", checked=NotificationPageState.unread_only,
                    on_change=NotificationPageState.set_unread_only, id="notes-unread"),
        rx.select.root(
            rx.select.trigger(aria_label="Kind", id="notes-kind"),
            rx.select.content(rx.select.item("All kinds", value=ALL_KINDS),
                              *[rx.select.item(label, value=key) for key, label in KINDS.items()]),
            value=NotificationPageState.kind, on_change=NotificationPageState.set_kind),
        rx.spacer(),
        rx.button("Mark all read", variant="soft", size="2", on_click=NotificationPageState.mark_all_read,
                  disabled=NotificationState.unread == 0, id="notes-mark-all"),
        align="center", spacing="4", width="100%", wrap="wrap")


@template(route="/notifications", title="Notifications", access="member", on_load=[NotificationPageState.load])
def notifications_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Notifications", size="7"),
        rx.hstack(rx.text(NotificationState.unread, " unread", weight="medium", size="2", id="notes-unread-count"),
                  rx.text("·", size="2", color_scheme="gray"),
                  rx.text(NotificationPageState.total, " match the filters", size="2", color_scheme="gray",
                          id="notes-total"), spacing="2"),
        _filters(),
        form_error(),
        rx.cond(NotificationPageState.rows.length() > 0,
                rx.vstack(rx.foreach(NotificationPageState.rows, _row), spacing="2", width="100%"),
                rx.text("No notifications match.", size="2", color_scheme="gray", id="notes-empty")),
        pager(NotificationPageState),
        spacing="4", width="100%", max_width="800px",
    )
