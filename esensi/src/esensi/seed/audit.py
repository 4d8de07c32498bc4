"""Demo audit trail: staff decisions on books, payments, refunds and payouts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from esensi.models.enums import ActorType, ApprovalStatus, SalesStatus, WithdrawalStatus
from esensi.seed.clock import at
from esensi.seed.keys import FIRST_BLOCK_ID, SPAN
from esensi.seed.people import MANAGEMENT, staff_login

if TYPE_CHECKING:
    from esensi.seed.world import Block

BOOK_ACTIONS = {
    ApprovalStatus.PUBLISHED: ("book.approve", "submitted", "published"),
    ApprovalStatus.REJECTED: ("book.reject", "submitted", "rejected"),
    ApprovalStatus.REVISE: ("book.revise", "submitted", "draft"),
    ApprovalStatus.UNPUBLISHED: ("book.unpublish", "published", "draft"),
}
PAYOUT_ACTIONS = {
    WithdrawalStatus.PAID: "withdrawal.paid",
    WithdrawalStatus.REJECTED: "withdrawal.rejected",
    WithdrawalStatus.CANCELLED: "withdrawal.cancel",
}


class Trail:
    """Collects audit rows of a block with consecutive explicit ids."""

    def __init__(self, block: int) -> None:
        self.next_id = FIRST_BLOCK_ID + block * SPAN
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        actor: Any,
        actor_type: ActorType,
        action: str,
        entity: tuple[str, Any],
        change: tuple[Any, Any],
        day: float,
    ) -> None:
        self.rows.append(
            {
                "id": self.next_id,
                "id_user": actor,
                "actor_type": actor_type.value,
                "action": action,
                "entity": entity[0],
                "entity_id": str(entity[1]),
                "before": {"status": change[0]},
                "after": {"status": change[1]},
                "ip": "198.51.100.7" if actor_type == ActorType.INTERNAL else None,
                "request_id": f"seed-{self.next_id}",
                "created_at": at(day),
            }
        )
        self.next_id += 1


def audit_rows(block: Block) -> list[dict[str, Any]]:
    trail = Trail(block.number)
    for book in block.books:
        for event in book.history:
            if event.reviewer is not None and event.status in BOOK_ACTIONS:
                action, before, after = BOOK_ACTIONS[event.status]
                trail.add(
                    staff_login(event.reviewer).id,
                    ActorType.INTERNAL,
                    action,
                    ("book", book.id),
                    (before, after),
                    event.day,
                )
    manager = staff_login(MANAGEMENT[1]).id
    for order in block.orders:
        if order.status in (SalesStatus.PAID, SalesStatus.REFUNDED):
            trail.add(
                None,
                ActorType.GATEWAY,
                "payment.paid",
                ("t_sales", order.id),
                ("pending", "paid"),
                order.day + 0.02,
            )
        if order.status == SalesStatus.REFUNDED:
            trail.add(
                manager,
                ActorType.INTERNAL,
                "payment.refund",
                ("t_sales", order.id),
                ("paid", "refunded"),
                order.day + 12,
            )
    for payout in block.ledger.payouts:
        if payout.status in PAYOUT_ACTIONS:
            cancelled = payout.status == WithdrawalStatus.CANCELLED
            actor, kind = (
                (payout.user, _owner_type(payout.owner))
                if cancelled
                else (manager, ActorType.INTERNAL)
            )
            trail.add(
                actor,
                kind,
                PAYOUT_ACTIONS[payout.status],
                ("withdrawal", payout.id),
                ("pending", payout.status.value),
                payout.day + 2,
            )
    assert len(trail.rows) < SPAN, "a block outgrew its audit id range"
    return trail.rows


def _owner_type(owner: tuple[Any, Any]) -> ActorType:
    return ActorType.PUBLISHER if owner[0] else ActorType.AUTHOR
