"""Input and output models of the account endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rlib.auth.schemas import SessionInfo, UserView

Role = Literal["customer", "author", "publisher", "internal", "affiliate"]


class RoleQuery(BaseModel):
    """Which roles to check for the caller."""

    model_config = ConfigDict(extra="ignore")

    roles: list[Role] = Field(min_length=1, max_length=5)


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Register(_Input):
    """The store's registration: a login plus its customer profile."""

    name: str = Field(min_length=1, max_length=255)
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=8, max_length=128)
    confirmPassword: str = Field(min_length=1, max_length=128)
    terms: Literal[True]
    callbackURL: str | None = Field(default=None, max_length=2048)


class UserUpdate(_Input):
    """The fields a user may change on their own login."""

    name: str | None = Field(default=None, min_length=1, max_length=255)
    username: str | None = Field(
        default=None, min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.]+$"
    )
    image: str | None = Field(default=None, max_length=512)


class AccountView(BaseModel):
    """A sign-in method of the caller's login (never a password hash or provider token)."""

    id: uuid.UUID
    providerId: str
    accountId: str
    scope: str | None
    createdAt: dt.datetime


class AccountQuery(_Input):
    """One of the caller's accounts."""

    id: uuid.UUID


class UserDetail(BaseModel):
    """The caller's login with its sign-in methods and live sessions (metadata only)."""

    user: UserView
    accounts: list[AccountView]
    sessions: list[SessionInfo]
