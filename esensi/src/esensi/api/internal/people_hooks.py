"""What the people resources check and record around the CRUD engine's writes.

Bank fields are management's alone (403 for other staff), a login link must name a live login,
a hard delete is refused (409) while another table still points at the profile, and every
write leaves its audit row (bank values masked) in the request's own transaction; a link to a
login adds ``user.profile_link``.
"""

from __future__ import annotations

from typing import Any, cast

from pydantic_core import to_jsonable_python

from esensi.api.internal.people_schemas import BANK_FIELDS
from esensi.models.enums import ActorType
from esensi.services import audit, people
from rlib import AuthorizationError, ConflictError, Ctx
from rlib.auth.flows import kit_of
from rlib.auth.users import SessionUser

MANAGEMENT = "internal:management"
MASK = "***"
UNLINK = "user.profile_unlink"
Row = dict[str, Any]


class OwnStaffProfileError(ConflictError):
    """409: staff cannot delete their own staff profile (they would lock themselves out)."""

    code = "own_staff_profile"
    key = "people.own_staff_profile"


def is_management(ctx: Ctx) -> bool:
    """Whether the caller holds the management role flag."""
    user = ctx.user
    return isinstance(user, SessionUser) and MANAGEMENT in user.roles


def actor_of(ctx: Ctx) -> audit.Actor:
    """The signed-in staff member, with the caller's address and the request id."""
    user = ctx.user
    return audit.Actor(
        user.id if user is not None else None,
        ActorType.INTERNAL,
        kit_of(ctx).client_ip(ctx),
        ctx.request_id,
    )


def _masked(values: Row) -> Row:
    safe = cast(Row, to_jsonable_python(values))
    return {key: MASK if key in BANK_FIELDS else value for key, value in safe.items()}


class PeopleHooks:
    """The hooks of one profile type's resource."""

    def __init__(self, kind: people.Kind) -> None:
        self.kind = kind

    async def _record(
        self, ctx: Ctx, verb: str, key: object, before: Row | None, after: Row | None
    ) -> None:
        await audit.record(
            ctx,
            actor_of(ctx),
            action=f"{self.kind.name}.{verb}",
            entity=self.kind.name,
            entity_id=key,
            before=None if before is None else _masked(before),
            after=None if after is None else _masked(after),
        )

    @staticmethod
    def _bank_allowed(ctx: Ctx, named: set[str]) -> None:
        if BANK_FIELDS & named and not is_management(ctx):
            raise AuthorizationError()

    async def creating(self, ctx: Ctx, data: Row) -> Row:
        # A create body carries every field (unset ones as None): only values count.
        self._bank_allowed(ctx, {key for key, value in data.items() if value is not None})
        await people.ensure_login(ctx, data.get("id_user"))
        return data

    async def created(self, ctx: Ctx, row: Row) -> None:
        await self._record(ctx, "create", row["id"], None, row)
        if row.get("id_user") is not None:
            await audit.profile_linked(
                ctx,
                actor_of(ctx),
                profile_type=self.kind.name,
                profile_id=row["id"],
                user_id=row["id_user"],
            )

    async def updating(self, ctx: Ctx, changes: Row, row: Row) -> Row:
        self._bank_allowed(ctx, set(changes))  # an update names only what it changes
        relinked = "id_user" in changes and changes["id_user"] != row.get("id_user")
        if relinked:
            await people.ensure_login(ctx, changes["id_user"])
        await self._record(ctx, "update", row["id"], {k: row.get(k) for k in changes}, changes)
        if relinked:
            await self._relinked(ctx, row, changes["id_user"])
        return changes

    async def _relinked(self, ctx: Ctx, row: Row, user_id: Any) -> None:
        if user_id is not None:
            await audit.profile_linked(
                ctx,
                actor_of(ctx),
                profile_type=self.kind.name,
                profile_id=row["id"],
                user_id=user_id,
                previous=row.get("id_user"),
            )
            return
        await audit.record(
            ctx,
            actor_of(ctx),
            action=UNLINK,
            entity=self.kind.name,
            entity_id=row["id"],
            before={"id_user": str(row["id_user"])},
            after={"id_user": None},
        )

    async def deleting(self, ctx: Ctx, row: Row) -> None:
        await people.ensure_deletable(ctx, self.kind, row["id"])
        await self._record(ctx, "delete", row["id"], row, None)

    async def restored(self, ctx: Ctx, keys: list[Any]) -> None:
        await audit.record_many(
            ctx,
            actor_of(ctx),
            action=f"{self.kind.name}.restore",
            entity=self.kind.name,
            changes=[(key, None, {"deleted_at": None}) for key in keys],
        )

    async def detailed(self, ctx: Ctx, row: Row) -> None:
        row.update(await people.details(ctx, self.kind, row["id"], full_bank=is_management(ctx)))


class StaffHooks(PeopleHooks):
    """The staff entity adds two rules: only management grants the management flag (IT keeps
    staff accounts but cannot raise anyone, itself included, above its own role), and nobody
    deletes their own staff profile."""

    @staticmethod
    def _grant_allowed(ctx: Ctx, data: Row) -> None:
        if data.get("is_management") and not is_management(ctx):
            raise AuthorizationError()

    async def creating(self, ctx: Ctx, data: Row) -> Row:
        self._grant_allowed(ctx, data)
        return await super().creating(ctx, data)

    async def updating(self, ctx: Ctx, changes: Row, row: Row) -> Row:
        self._grant_allowed(ctx, changes)
        return await super().updating(ctx, changes, row)

    async def deleting(self, ctx: Ctx, row: Row) -> None:
        user = ctx.user
        if user is not None and row.get("id_user") == user.id:
            raise OwnStaffProfileError()
        await super().deleting(ctx, row)
