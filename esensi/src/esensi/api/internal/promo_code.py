"""Promo codes in the back office: sales and marketing and management keep any code, store-wide
or scoped to one publisher (spec/endpoints.md §5 ``promo_code``). Every write is audited."""

from __future__ import annotations

from esensi.api.internal.audited import audited
from esensi.api.promo_schemas import StaffPromoCodeFields
from esensi.models.promo import PromoCode
from esensi.services import promo_admin
from rlib.crud import crud_handler, op

MERCHANTS = ("internal:sales_and_marketing", "internal:management")

promo_code = crud_handler(
    PromoCode,
    audited(
        "promo_code",
        {
            "name": "promo_code",
            "url": "/promo-code",
            "resource": "resource.promo_code",
            "auth": MERCHANTS,
            "list": {
                "search_fields": ["code"],
                "filters": {
                    "status": op.eq,
                    "discount_type": op.eq,
                    "id_publisher": op.eq | op.is_null,
                    "valid_to": op.gte | op.lte,
                },
                "order_by": ["-created_at"],
                "sortable": ["code", "created_at", "valid_from", "valid_to", "used_count"],
                "label_field": "code",
            },
            "create": {"schema": StaffPromoCodeFields, "before": promo_admin.before_create},
            "update": {"schema": StaffPromoCodeFields, "before": promo_admin.before_update},
            "delete": {"before": promo_admin.before_delete},
        },
    ),
)
