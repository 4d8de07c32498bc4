"""The errors of the payment endpoints, each with its status and Indonesian message key."""

from __future__ import annotations

from rlib import ConflictError, NotFoundError, RlibError, ValidationError
from rlib.errors import (
    AuthenticationError,
    AuthorizationError,
    BadRequestError,
    ServiceUnavailableError,
)


class SignatureError(AuthenticationError):
    """401: the notification's ``signature_key`` is not ours (security.md M1)."""

    code = "bad_signature"
    key = "payment.signature"


class AmountMismatchError(BadRequestError):
    """400: ``gross_amount`` differs from the order's stored total (security.md M2)."""

    code = "amount_mismatch"
    key = "payment.amount"


class OrderNotFoundError(NotFoundError):
    """404: no order with this id (or not the caller's)."""

    code = "order_not_found"
    key = "payment.order"


class GatewayDownError(ServiceUnavailableError):
    """503: Midtrans did not answer; the caller retries (Midtrans does for webhooks)."""

    code = "gateway_unavailable"
    key = "payment.gateway_down"


class PaymentCreateError(RlibError):
    """502: Snap refused to create the payment; the order failed and the cart is back."""

    status = 502
    code = "payment_failed"
    key = "payment.create_failed"


class OrderStateError(ConflictError):
    """409: the order's status does not allow this action."""

    code = "order_state"
    key = "payment.order_state"


class EmailNotVerifiedError(AuthorizationError):
    """403: checkout needs a verified email."""

    code = "email_not_verified"
    key = "payment.verify_email"


class IdempotencyMismatchError(ValidationError):
    """422: the Idempotency-Key was used with another request body."""

    code = "idempotency_mismatch"
    key = "idempotency.mismatch"


class IdempotencyBusyError(ConflictError):
    """409: the first request with this Idempotency-Key is still running; ``Retry-After``
    says when to send the key again (a claim left by a failed request is freed within it)."""

    code = "idempotency_in_progress"
    key = "idempotency.in_progress"

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "1"})
