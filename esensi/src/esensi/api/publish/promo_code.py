"""A publisher's own promo codes (spec/endpoints.md: publish ``promo_code``).

The code's ``id_publisher`` is the caller's publisher, stamped from the session, so it only
ever discounts that publisher's products; another publisher's code is a 404 on every URL.
"""

from __future__ import annotations

import uuid

from esensi.api.promo_schemas import PromoCodeFields
from esensi.models.promo import PromoCode
from esensi.services import promo_admin
from rlib import Ctx
from rlib.auth.users import require_profile
from rlib.crud import crud_handler, op


def _own_publisher(ctx: Ctx) -> uuid.UUID:
    return require_profile(ctx, "publisher")


promo_code = crud_handler(
    PromoCode,
    {
        "name": "promo_code",
        "url": "/promo-code",
        "resource": "resource.promo_code",
        "auth": "publisher",
        "list": {
            "search_fields": ["code"],
            "filters": {"status": op.eq, "discount_type": op.eq, "valid_to": op.gte | op.lte},
            "order_by": ["-created_at"],
            "sortable": ["code", "created_at", "valid_from", "valid_to", "used_count"],
            "label_field": "code",
        },
        "create": {"schema": PromoCodeFields, "before": promo_admin.before_create},
        "update": {"schema": PromoCodeFields, "before": promo_admin.before_update},
        "delete": {"before": promo_admin.before_delete},
        "scope": {"field": "id_publisher", "value": _own_publisher},
    },
)
