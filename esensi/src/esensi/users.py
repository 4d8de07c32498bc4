"""The five user types esensi registers with rlib.auth, and the helpers that require one.

Each type is a profile table whose ``id_user`` points at the login; staff carry role flags
(``internal:support``...). "reviewer" means management or support.
"""

from __future__ import annotations

import uuid

from esensi.models.affiliate import Affiliate
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.internal import Internal
from esensi.models.publisher import Publisher
from rlib import Scope
from rlib.auth.users import SessionUser, UserType, UserTypes, require_profile, require_role

STAFF_ROLES = {
    "sales_and_marketing": "is_sales_and_marketing",
    "support": "is_support",
    "management": "is_management",
    "it": "is_it",
}
REVIEWER = ("management", "support")


def user_types() -> UserTypes:
    """customer, author, publisher, internal (with role flags), affiliate."""
    return UserTypes(
        [
            UserType("customer", Customer),
            UserType("author", Author),
            UserType("publisher", Publisher),
            UserType("internal", Internal, roles=STAFF_ROLES),
            UserType("affiliate", Affiliate),
        ]
    )


def require_customer(scope: Scope) -> uuid.UUID:
    """The caller's customer id (the seed's ``idCustomer``); 401 / 403 otherwise."""
    return require_profile(scope, "customer")


def require_author(scope: Scope) -> uuid.UUID:
    """The caller's author id; 401 / 403 otherwise."""
    return require_profile(scope, "author")


def require_publisher(scope: Scope) -> uuid.UUID:
    """The caller's publisher id; 401 / 403 otherwise."""
    return require_profile(scope, "publisher")


def require_affiliate(scope: Scope) -> uuid.UUID:
    """The caller's affiliate id; 401 / 403 otherwise."""
    return require_profile(scope, "affiliate")


def require_staff(scope: Scope, *roles: str) -> SessionUser:
    """The caller when they are staff with any of ``roles`` (any staff when none given)."""
    return require_role(scope, "internal", *roles)
