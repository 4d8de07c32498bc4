"""Fixtures shared by the API tests of one area, imported from their helper modules."""

from payment_helpers import pay, standin  # noqa: F401  # the payment tests' stand-in and app
