"""Review moderation (``review_moderate``): support takes a reader's review down and brings it
back (spec/endpoints.md §5). A review is never edited or created here; each step is audited."""

from __future__ import annotations

from esensi.api.internal.audited import audited
from esensi.models.review import Reviews
from rlib.crud import crud_handler, op

MODERATORS = ("internal:support",)  # spec/endpoints.md §5

review = crud_handler(
    Reviews,
    audited(
        "review",
        {
            "name": "review",
            "url": "/review",
            "resource": "resource.review",
            "auth": MODERATORS,
            "list": {
                "search_fields": ["comments"],
                "filters": {
                    "id_book": op.eq,
                    "id_user": op.eq,
                    "parent": op.eq | op.is_null,
                    "rating": op.eq | op.lte | op.gte,
                },
                "order_by": ["-created_at"],
                "sortable": ["created_at", "rating"],
            },
            "soft_delete": {"enabled": True},
        },
    ),
)
