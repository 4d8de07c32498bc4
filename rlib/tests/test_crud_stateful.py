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
    """Each row: owner, slug, pages, deleted. The API must agree with this model at every step."""

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

    @rule(target=novels, owner=owners, slug=slugs, pages=st.integers(0, 500))
    def create(self, owner, slug, pages):
        response = self.call(owner, "POST", "", json={"title": slug, "slug": slug, "pages": pages})
        if self.slug_taken(slug):
            assert response.status_code == 409
            return str(uuid.uuid4())  # a key that never existed
        assert response.status_code == 201, response.text
        ident = response.json()["data"]["id"]
        self.rows[ident] = {"owner": owner, "slug": slug, "pages": pages, "deleted": False}
        return ident

    @rule(ident=novels, owner=owners, pages=st.integers(0, 500))
    def update(self, ident, owner, pages):
        response = self.call(owner, "PATCH", f"/{ident}", json={"pages": pages})
        row = self.rows.get(ident)
        if row is None or row["owner"] != owner or row["deleted"]:
            assert response.status_code == 404
        else:
            assert response.status_code == 200
            row["pages"] = pages

    @rule(ident=novels, owner=owners)
    def soft_delete(self, ident, owner):
        response = self.call(owner, "DELETE", f"/{ident}")
        row = self.rows.get(ident)
        if row is None or row["owner"] != owner or row["deleted"]:
            assert response.status_code == 404
        else:
            assert response.status_code == 200
            row["deleted"] = True

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
        rows = [self.rows.get(i) for i in idents]
        if all(r is not None and r["owner"] == owner and not r["deleted"] for r in rows):
            assert response.status_code == 200
            for r in rows:
                r["deleted"] = True
        else:
            assert response.status_code in (404, 422)

    @rule(ident=novels, owner=owners, number=st.integers(1, 5))
    def add_chapter(self, ident, owner, number):
        response = self.call(
            owner, "POST", f"/{ident}/chapters", json={"number": number, "name": "c"}
        )
        row = self.rows.get(ident)
        if row is None or row["owner"] != owner or row["deleted"]:
            assert response.status_code == 404
        else:
            assert response.status_code == 200
            self.chapters[ident] = self.chapters.get(ident, 0) + 1

    @invariant()
    def each_owner_lists_exactly_their_live_rows_across_pages(self):
        for owner in (0, 1):
            listed, page, total = [], 1, None
            while True:
                body = self.call(
                    owner, "GET", "", params={"page": page, "limit": 3, "order_by": "pages"}
                ).json()
                listed += [row["id"] for row in body["data"]]
                total = body["pagination"]["total"]
                if page >= body["pagination"]["totalPages"]:
                    break
                page += 1
            expected = {i for i, r in self.rows.items() if r["owner"] == owner and not r["deleted"]}
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
