"""Endpoint access: public, or signed-in users of the declared types."""

import uuid

import pytest

from fixture_apps.factory import make_shop_app
from rlib.auth.policy import check_access
from rlib.auth.users import SessionUser, current_user, require_profile
from rlib.endpoint import Access, define_api
from rlib.errors import AuthenticationError, AuthorizationError
from rlib.scope import Scope
from rlib.testing import FakeAuthenticator, app_client


def _user(**profiles: uuid.UUID) -> SessionUser:
    return SessionUser(id=uuid.uuid4(), profiles=profiles)


@pytest.mark.parametrize(
    ("access", "user", "error"),
    [
        (Access(public=True), None, None),
        (Access(user_types=frozenset({"customer"})), None, AuthenticationError),
        (
            Access(user_types=frozenset({"customer"})),
            _user(author=uuid.uuid4()),
            AuthorizationError,
        ),
        (Access(user_types=frozenset({"customer"})), _user(customer=uuid.uuid4()), None),
        (Access(user_types=frozenset({"any"})), _user(affiliate=uuid.uuid4()), None),
        (Access(user_types=frozenset({"any"})), None, AuthenticationError),
    ],
)
def test_check_access(access, user, error):
    if error is None:
        check_access(access, user)
    else:
        with pytest.raises(error):
            check_access(access, user)


def test_access_declaration_is_explicit():
    assert Access.parse("public").public
    assert Access.parse({"author", "publisher"}).user_types == {"author", "publisher"}
    with pytest.raises(ValueError, match="public"):
        Access.parse({"public", "author"})


async def test_runner_enforces_the_declared_user_types(database):
    auth = FakeAuthenticator()
    async with app_client(make_shop_app(database, authenticator=auth)) as client:
        assert (await client.post("/api/shop/item/mine")).status_code == 401
        auth.user = _user(author=uuid.uuid4())
        forbidden = await client.post("/api/shop/item/mine")
        assert forbidden.status_code == 403
        assert forbidden.json()["message"] == "Anda tidak memiliki akses ke fitur ini"
        auth.user = _user(customer=uuid.uuid4())
        assert (await client.post("/api/shop/item/mine")).status_code == 200


def test_require_profile(database):
    scope = Scope(database.unit(), user=_user(author=uuid.UUID(int=7)))
    assert require_profile(scope, "author") == uuid.UUID(int=7)
    with pytest.raises(AuthorizationError):
        require_profile(scope, "customer")
    with pytest.raises(AuthenticationError):
        current_user(Scope(database.unit()))


def test_get_requests_read_in_autocommit_unless_declared():
    async def handler(ctx):
        return None

    reads = define_api(name="r", url="/r", methods=("GET", "POST"), handler=handler)
    assert reads.reads_only("GET")
    assert not reads.reads_only("POST")
    writes = define_api(name="w", url="/w", methods=("GET",), handler=handler, readonly=False)
    assert not writes.reads_only("GET")
