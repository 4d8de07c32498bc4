"""A model-based test: random sequences of CRUD calls by two owners against an in-memory model."""

import asyncio
import os
import tempfile
import uuid
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from crud_support import library_app
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from fixture_apps.library.models import Base
from rlib.testing import fresh_database, sqlite_url

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
slugs = st.text(alphabet="abcdef", min_size=1, max_size=3)
owners = st.integers(min_value=0, max_value=1)


class NovelMachine(RuleBasedStateMachine):
    """Each row: owner, slug, pages, status, deleted. The API must agree with it at every step.

    The novel's hooks refuse to change a published row (409), but only for its owner: to anyone
    else every row, editable or not, is a 404.
    """

    backend = "sqlite"
    folder = Path()
    novels = Bundle("novels")

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.stack = AsyncExitStack()
        url = sqlite_url(self.folder) if self.backend == "sqlite" else str(PG_URL)  # new each run
        database = self.run(self.stack.enter_async_context(fresh_database(url, Base.metadata)))
        self.lib = self.run(self.stack.enter_async_context(library_app(database)))
        self.rows: dict[str, dict] = {}
        self.chapters: dict[str, int] = {}

    def run(self, awaitable):
        return self.loop.run_until_complete(awaitable)

    def call(self, owner, method, url, **kwargs):
        self.lib.sign_in(owner)
        return self.run(self.lib.http.request(method, "/api/library/novel" + url, **kwargs))

    def slug_taken(self, slug):
        return any(r["slug"] == slug and not r["deleted"] for r in self.rows.values())

    @rule(target=novels, owner=owners, slug=slugs, pages=st.integers(0, 500), publish=st.booleans())
    def create(self, owner, slug, pages, publish):
        response = self.call(owner, "POST", "", json={"title": slug, "slug": slug, "pages": pages})
        if self.slug_taken(slug):
            assert response.status_code == 409
            return str(uuid.uuid4())  # a key that never existed
        assert response.status_code == 201, response.text
        ident = response.json()["data"]["id"]
        self.rows[ident] = {
            "owner": owner,
            "slug": slug,
            "pages": pages,
            "status": "draft",
            "deleted": False,
        }
        if publish:  # half the rows are born locked, so the other owner meets many of them
            self.publish(ident, owner, "rest")
        return ident

    def visible(self, ident, owner):
        row = self.rows.get(ident)
        return row is not None and row["owner"] == owner and not row["deleted"]

    def assert_write(self, response, ident, owner):
        """404 unless visible, then 409 when published: True when the write went through."""
        if not self.visible(ident, owner):
            assert response.status_code == 404, response.text
            return False
        if self.rows[ident]["status"] == "published":
            assert response.status_code == 409, response.text
            assert response.json()["code"] == "novel_locked"
            return False
        assert response.status_code == 200, response.text
        return True

    @rule(ident=novels, owner=owners, pages=st.integers(0, 500))
    def update(self, ident, owner, pages):
        response = self.call(owner, "PATCH", f"/{ident}", json={"pages": pages})
        if self.assert_write(response, ident, owner):
            self.rows[ident]["pages"] = pages

    @rule(ident=novels, owner=owners, form=st.sampled_from(["rest", "action"]))
    def publish(self, ident, owner, form):
        if form == "rest":
            response = self.call(owner, "PATCH", f"/{ident}", json={"status": "published"})
        else:
            body = {"action": "update", "id": ident, "data": {"status": "published"}}
            response = self.call(owner, "POST", "", json=body)
        if self.assert_write(response, ident, owner):
            self.rows[ident]["status"] = "published"

    @rule(ident=novels, owner=owners, form=st.sampled_from(["rest", "alias", "action"]))
    def soft_delete(self, ident, owner, form):
        if form == "rest":
            response = self.call(owner, "DELETE", f"/{ident}")
        elif form == "alias":
            response = self.call(owner, "POST", "/delete", json={"id": ident})
        else:
            response = self.call(owner, "POST", "", json={"action": "delete", "id": ident})
        if self.assert_write(response, ident, owner):
            self.rows[ident]["deleted"] = True

    @rule(ident=novels, owner=owners)
    def restore(self, ident, owner):
        response = self.call(owner, "POST", f"/{ident}/restore")
        row = self.rows.get(ident)
        if row is None or row["owner"] != owner or not row["deleted"]:
            assert response.status_code == 404
        elif self.slug_taken(row["slug"]):
            assert response.status_code == 409
        else:
            assert response.status_code == 200
            row["deleted"] = False

    @rule(first=novels, second=novels, owner=owners)
    def bulk_delete(self, first, second, owner):
        idents = list(dict.fromkeys([first, second]))
        response = self.call(owner, "POST", "/bulk-delete", json={"ids": idents})
        if not all(self.visible(i, owner) for i in idents):
            assert response.status_code == 404, response.text
        elif any(self.rows[i]["status"] == "published" for i in idents):
            assert response.status_code == 409, response.text
        else:
            assert response.status_code == 200, response.text
            for i in idents:
                self.rows[i]["deleted"] = True

    @rule(ident=novels, owner=owners, number=st.integers(1, 5))
    def add_chapter(self, ident, owner, number):
        response = self.call(
            owner, "POST", f"/{ident}/chapters", json={"number": number, "name": "c"}
        )
        if not self.visible(ident, owner):
            assert response.status_code == 404
        else:
            assert response.status_code == 201
            self.chapters[ident] = self.chapters.get(ident, 0) + 1

    @invariant()
    def the_other_owner_meets_404_on_every_locked_row(self):
        for ident, row in self.rows.items():
            if row["status"] != "published":
                continue
            other = 1 - row["owner"]
            for method, url, body in (
                ("PATCH", f"/{ident}", {"pages": 1}),
                ("DELETE", f"/{ident}", None),
                ("POST", "", {"action": "delete", "id": ident}),
                ("POST", "/bulk-delete", {"ids": [ident]}),
            ):
                response = self.call(other, method, url, json=body)
                assert response.status_code == 404, (method, url, response.text)

    @invariant()
    def each_owner_lists_exactly_their_live_rows_as_the_model_has_them(self):
        for owner in (0, 1):
            listed, page, total = [], 1, None
            while True:
                body = self.call(
                    owner, "GET", "", params={"page": page, "limit": 3, "order_by": "pages"}
                ).json()
                listed += [(row["id"], row["pages"], row["status"]) for row in body["data"]]
                total = body["pagination"]["total"]
                if page >= body["pagination"]["totalPages"]:
                    break
                page += 1
            expected = {
                (i, r["pages"], r["status"])
                for i, r in self.rows.items()
                if r["owner"] == owner and not r["deleted"]
            }
            assert len(listed) == len(set(listed)), "duplicate across pages"
            assert set(listed) == expected
            assert total == len(expected)

    def teardown(self):
        self.run(self.stack.aclose())
        self.loop.close()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", *(["postgresql"] if PG_URL else [])])
def test_crud_matches_the_model(backend):
    with tempfile.TemporaryDirectory() as folder:
        NovelMachine.backend, NovelMachine.folder = backend, Path(folder)
        machine = NovelMachine.TestCase
        machine.settings = settings(
            max_examples=12,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        machine().runTest()
