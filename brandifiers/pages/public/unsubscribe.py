"""The one-click unsubscribe page an e-mail links to (/unsubscribe?t=TOKEN): turns that e-mail off, says so."""

import reflex as rx

from brandifiers.components.layout import template
from brandifiers.components.preferences import unsubscribe_notice
from brandifiers.state.preferences import UnsubscribeState


@template(route="/unsubscribe", title="Unsubscribe", on_load=[UnsubscribeState.load])
def unsubscribe() -> rx.Component:
    return unsubscribe_notice()
