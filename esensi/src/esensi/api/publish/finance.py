"""The owner's money: ledger and balance, sold lines (spec/endpoints.md §4)."""

from __future__ import annotations

from esensi.api.publish.finance_schemas import (
    LedgerEntry,
    LedgerQuery,
    LedgerView,
    SalesLineQuery,
    SalesLineView,
    WithdrawalView,
)
from esensi.services import ledger, sales_lines
from rlib import Ctx, NotFoundError, Page, define_api


@define_api(name="transactions", url="/transactions", methods=("GET", "POST"))
async def transactions(ctx: Ctx, payload: LedgerQuery) -> LedgerView:
    """The caller's ledger (a publisher's, else the self-published author's), newest first,
    with the balance summed in SQL and the last five payout requests."""
    owner = ledger.ledger_owner(ctx)
    found = await ledger.ledger_page(
        ctx,
        owner,
        kind=None if payload.type is None else payload.type.value,
        limit=payload.limit,
        offset=payload.skip(),
    )
    return LedgerView(
        balance=found.balance,
        withdrawals=[WithdrawalView.model_validate(row) for row in found.withdrawals],
        items=[LedgerEntry.model_validate(row) for row in found.rows],
        page=payload.page,
        limit=payload.limit,
        total=found.total,
    )


@define_api(
    name="t_sales_line_list",
    url="/t-sales-line/list",
    methods=("GET", "POST"),
    errors=(NotFoundError,),
)
async def t_sales_line_list(ctx: Ctx, payload: SalesLineQuery) -> Page[SalesLineView]:
    """Sold lines of own products and bundles in paid orders, newest payment first; no
    customer data. Filtering on another owner's item answers 404."""
    found = await sales_lines.page(
        ctx,
        product=payload.id_product,
        bundle=payload.id_bundle,
        limit=payload.limit,
        offset=payload.skip(),
    )
    items = [
        SalesLineView.model_validate(
            {**row, "net": ledger.money(row["total_price"] - row["discount_amount"])}
        )
        for row in found.rows
    ]
    return Page(items=items, page=payload.page, limit=payload.limit, total=found.total)
