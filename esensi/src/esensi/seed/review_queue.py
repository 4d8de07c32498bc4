"""Demo review queue: one named book of ``penulis.mandiri@esensi.online`` waiting for review.

The demo reviewers (``manajemen@`` and ``dukungan@esensi.online``) find it in
``/api/internal/book`` and can publish, reject or send it back through HTTP alone; the author
then sees the decision in ``/api/notif/list``. The reviewers' ``book-submit`` notifications
go through the same service as a real submission. Runs after ``seed_sequences`` so those
notifications take fresh identity ids; a second run adds nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from esensi.models.book import Book, BookApproval
from esensi.models.enums import ApprovalStatus, BookStatus, ContentType
from esensi.seed.clock import at
from esensi.seed.keys import seed_id
from esensi.seed.runner import insert_rows
from esensi.services.notifications import notify_reviewers_of_submission
from rlib import Scope

if TYPE_CHECKING:
    from esensi.seed.world import Seeding

AUTHOR_EMAIL = "penulis.mandiri@esensi.online"
TITLE = "Senja di Pelabuhan Sunda Kelapa"
SLUG = "senja-di-pelabuhan-sunda-kelapa-naskah-demo"
BOOK_ID = seed_id("book", SLUG)
SUBMITTED_DAY = 300.0


def book_row() -> dict[str, object]:
    """The waiting book, complete enough to become a product as it stands."""
    when = at(SUBMITTED_DAY)
    return {
        "id": BOOK_ID,
        "name": TITLE,
        "slug": SLUG,
        "alias": "Senja di Sunda Kelapa",
        "desc": (
            "Seorang juru tulis pelabuhan menemukan surat-surat lama yang mengubah "
            "sejarah keluarganya. Naskah demo yang menunggu keputusan reviewer."
        ),
        "info": {"pages": 212, "isbn": None, "language": "id"},
        "currency": "IDR",
        "img_file": ["/_file/upload/demo/review-queue-1.webp"],
        "cover": "/_file/upload/demo/review-queue-cover.webp",
        "product_file": ["demo/review-queue.epub"],
        "sku": "ESN-DEMO-REVIEW-1",
        "id_author": seed_id("author", AUTHOR_EMAIL),
        "id_publisher": None,
        "content_type": ContentType.EBOOK.value,
        "is_chapter": False,
        "is_physical": False,
        "submitted_price": Decimal("59000"),
        "status": BookStatus.SUBMITTED.value,
        "version": 1,
        "created_at": when,
        "updated_at": when,
    }


async def seed_review_queue(scope: Scope, seeding: Seeding) -> int:
    """Add the waiting book, its ``submitted`` approval row and the reviewers' notifications
    (only when the book is new); returns how many rows were added."""
    added = await insert_rows(scope, Book, [book_row()])
    if not added:
        return 0
    approval = {
        "id": seed_id("book_approval", SLUG),
        "id_book": BOOK_ID,
        "id_internal": None,
        "comment": None,
        "status": ApprovalStatus.SUBMITTED.value,
        "created_at": at(SUBMITTED_DAY),
    }
    added += await insert_rows(scope, BookApproval, [approval])
    return added + await notify_reviewers_of_submission(scope, book_id=BOOK_ID, title=TITLE)
