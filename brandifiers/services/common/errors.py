"""The one domain error type. State turns it into an inline message or a toast."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with a user-facing message.

    `field` names the form field the message belongs next to (None: whole form).
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """Wrong role, wrong status or somebody else's object."""

    def __init__(self, message: str = "You are not allowed to do that."):
        super().__init__(message)


class NotFound(DomainError):
    def __init__(self, what: str = "item"):
        super().__init__(f"That {what} does not exist.")


def found(row, what: str):
    """`row` itself, or NotFound(what) raised when it is None."""
    if row is None:
        raise NotFound(what)
    return row


class ValidationFailed(DomainError):
    """Several field errors at once: {field: message}."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors.values()), "Please correct the highlighted fields.")
        super().__init__(first)
        self.errors = errors
