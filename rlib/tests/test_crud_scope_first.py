"""Owner scope first: a row the caller may not see is a 404 before any hook or version check.

The library's novel hooks refuse published novels (409 ``novel_locked``) and log every call, so
a hook that ran for another owner's row would show in ``HOOK_LOG`` or in the answer. Every action
is tried through every URL form: REST routes, per-operation URLs, the action URL, nested routes.
"""

import uuid

import pytest
from sqlalchemy import select

from fixture_apps.library import resources
from fixture_apps.library.models import Chapter, Novel

BASE = "/api/library/novel"
SAME_ID = {"x-request-id": "scope-first"}  # so two answers can be compared byte for byte


Form = tuple[str, str, dict | None, dict]  # method, url, JSON body, headers


def novel_forms(ident: object) -> dict[str, list[Form]]:
    """Every URL form of every action on novel ``ident``, by action."""
    one = f"{BASE}/{ident}"
    change = {"title": "Diubah"}
    return {
        "get": [
            ("GET", one, None, {}),
            ("POST", f"{BASE}/get", {"id": ident}, {}),
            ("POST", BASE, {"action": "get", "id": ident}, {}),
        ],
        "update": [
            ("PATCH", one, {**change, "version": 1}, {}),
            ("PATCH", one, {**change, "version": 99}, {}),  # stale too: the scope answers first
            ("PATCH", one, change, {"if-match": '"1"'}),
            ("POST", f"{BASE}/update", {"id": ident, **change}, {}),
            ("POST", f"{BASE}/update", {"id": ident, "data": change, "version": 1}, {}),
            ("POST", BASE, {"action": "update", "id": ident, "data": change}, {}),
        ],
        "delete": [
            ("DELETE", one, None, {}),
            ("DELETE", f"{one}?hard=true", None, {}),
            ("DELETE", one, None, {"if-match": "1"}),
            ("POST", f"{BASE}/delete", {"id": ident, "version": 1}, {}),
            ("POST", BASE, {"action": "delete", "id": ident}, {}),
        ],
        "bulk_delete": [
            ("POST", f"{BASE}/bulk-delete", {"ids": [ident]}, {}),
            ("POST", BASE, {"action": "bulk_delete", "ids": [ident]}, {}),
        ],
        "restore": [
            ("POST", f"{one}/restore", {}, {}),
            ("POST", f"{BASE}/restore", {"id": ident}, {}),
            ("POST", BASE, {"action": "restore", "id": ident}, {}),
        ],
        "bulk_restore": [
            ("POST", f"{BASE}/bulk-restore", {"ids": [ident]}, {}),
            ("POST", BASE, {"action": "bulk_restore", "ids": [ident]}, {}),
        ],
    }


def chapter_forms(parent: object, child: object) -> dict[str, list[Form]]:
    """Every action on chapter ``child`` of novel ``parent``: nested routes and the action URL."""
    many = f"{BASE}/{parent}/chapters"
    one = f"{many}/{child}"
    nested = {"action": "nested", "id": parent, "child": "chapters"}
    return {
        "list": [
            ("GET", many, None, {}),
            ("POST", f"{many}/list", {}, {}),
            ("POST", BASE, {**nested, "child_action": "list"}, {}),
        ],
        "create": [
            ("POST", many, {"number": 9, "name": "Baru"}, {}),
            (
                "POST",
                BASE,
                {**nested, "child_action": "create", "data": {"number": 9, "name": "B"}},
                {},
            ),
        ],
        "get": [
            ("GET", one, None, {}),
            ("POST", BASE, {**nested, "child_action": "get", "child_id": child}, {}),
        ],
        "update": [
            ("PATCH", one, {"name": "Diubah"}, {}),
            (
                "POST",
                BASE,
                {**nested, "child_action": "update", "child_id": child, "name": "D"},
                {},
            ),
        ],
        "delete": [
            ("DELETE", one, None, {}),
            ("POST", BASE, {**nested, "child_action": "delete", "child_id": child}, {}),
        ],
    }


def _all(forms: dict[str, list[Form]], *actions: str) -> list[Form]:
    return [
        form
        for action, found in forms.items()
        if not actions or action in actions
        for form in found
    ]


async def _snapshot(lib) -> list[dict]:
    async with lib.database.sessionmaker() as session:
        novels = (await session.execute(select(Novel.__table__))).mappings().all()
        chapters = (await session.execute(select(Chapter.__table__))).mappings().all()
    return sorted((dict(row) for row in [*novels, *chapters]), key=lambda row: str(row["id"]))


async def _novel(lib, slug: str, state: str) -> tuple[str, str]:
    """A novel of the signed-in writer with one chapter, left in ``state``."""
    created = await lib.http.post(BASE, json={"title": slug, "slug": slug})
    ident = created.json()["data"]["id"]
    chapter = await lib.http.post(f"{BASE}/{ident}/chapters", json={"number": 1, "name": "Satu"})
    if "published" in state:
        published = await lib.http.patch(f"{BASE}/{ident}", json={"status": "published"})
        assert published.status_code == 200, published.text
    if "trashed" in state:
        async with lib.database.sessionmaker() as session:  # the delete hook refuses published
            row = await session.get(Novel, uuid.UUID(ident))
            assert row is not None
            row.deleted_at = row.updated_at
            await session.commit()
    return ident, chapter.json()["data"]["id"]


async def _request(lib, form):
    method, url, body, headers = form
    return await lib.http.request(method, url, json=body, headers={**SAME_ID, **headers})


@pytest.mark.parametrize("state", ["draft", "published", "trashed", "published-trashed"])
async def test_another_owners_row_is_a_missing_id_on_every_url_form(lib, state):
    ident, chapter = await _novel(lib, f"milik-{state}", state)
    lib.sign_in(1)
    own, _ = await _novel(lib, "milik-sendiri", "draft")
    before = await _snapshot(lib)
    resources.HOOK_LOG.clear()
    missing = str(uuid.uuid4())
    one_chapter = ("get", "update", "delete")
    pairs = [
        *zip(_all(novel_forms(ident)), _all(novel_forms(missing)), strict=True),
        *zip(
            _all(chapter_forms(ident, chapter)), _all(chapter_forms(missing, missing)), strict=True
        ),
        # A visible parent does not make another parent's chapter visible.
        *zip(
            _all(chapter_forms(own, chapter), *one_chapter),
            _all(chapter_forms(own, missing), *one_chapter),
            strict=True,
        ),
    ]
    for form, twin in pairs:
        response, expected = await _request(lib, form), await _request(lib, twin)
        assert response.status_code == 404, (form, response.text)
        assert response.content == expected.content, form
    assert resources.HOOK_LOG == []
    assert await _snapshot(lib) == before


async def test_lists_hide_another_owners_rows(lib):
    ident, _ = await _novel(lib, "milik-satu", "draft")
    trashed, _ = await _novel(lib, "sampah-satu", "trashed")
    lib.sign_in(1)
    for method, url in (
        ("GET", BASE),
        ("POST", f"{BASE}/search"),
        ("GET", f"{BASE}/ids"),
        ("GET", f"{BASE}/trash"),
    ):
        response = await lib.http.request(method, url, json={} if method == "POST" else None)
        assert response.status_code == 200
        assert ident not in response.text
        assert trashed not in response.text


async def test_bulk_forms_with_one_foreign_id_change_nothing_and_reach_no_hook(lib):
    foreign, _ = await _novel(lib, "milik-satu", "draft")
    trashed_foreign, _ = await _novel(lib, "sampah-satu", "trashed")
    lib.sign_in(1)
    own, _ = await _novel(lib, "milik-dua", "draft")
    own_trashed, _ = await _novel(lib, "sampah-dua", "trashed")
    before = await _snapshot(lib)
    resources.HOOK_LOG.clear()
    for action, ids in (
        ("bulk_delete", [own, foreign]),
        ("bulk_delete", [own, trashed_foreign]),
        ("bulk_restore", [own_trashed, trashed_foreign]),
    ):
        for method, url, _, _ in novel_forms(own)[action]:
            body = (
                {"ids": ids}
                if url.endswith("-delete") or url.endswith("-restore")
                else {"action": action, "ids": ids}
            )
            response = await lib.http.request(method, url, json=body)
            assert response.status_code == 404, (url, response.text)
    assert resources.HOOK_LOG == []
    assert await _snapshot(lib) == before


async def test_the_owner_still_meets_the_hook_which_judges_the_row_as_stored(lib):
    ident, chapter = await _novel(lib, "terbit", "published")
    locked = await lib.http.patch(f"{BASE}/{ident}/chapters/{chapter}", json={"name": "Terkunci"})
    assert locked.status_code == 200  # the hook judged the stored row ("Satu"), not the change
    before = await _snapshot(lib)
    resources.HOOK_LOG.clear()
    novel, chapters = novel_forms(ident), chapter_forms(ident, chapter)
    for form in [
        *_all(novel, "update", "delete", "bulk_delete"),
        *_all(chapters, "update", "delete"),
    ]:
        response = await _request(lib, form)
        assert response.status_code == 409, (form, response.text)
        assert response.json()["code"] == "novel_locked"
    assert await _snapshot(lib) == before
    assert {f"update:{ident}", f"delete:{ident}", "bulk:1", f"delete:{chapter}"} <= set(
        resources.HOOK_LOG
    )


async def test_a_trashed_row_is_404_for_its_owner_before_any_hook(lib):
    ident, _ = await _novel(lib, "dibuang", "published-trashed")
    resources.HOOK_LOG.clear()
    for form in _all(novel_forms(ident), "get", "update", "delete", "bulk_delete"):
        response = await _request(lib, form)
        assert response.status_code == 404, (form, response.text)
    assert resources.HOOK_LOG == []


async def test_a_body_id_other_than_the_urls_is_refused_and_writes_nothing(lib):
    """``PATCH /x/{id}`` with ``{"id": <another>}`` was answered for the URL's row with the
    body's key silently dropped (found by the battery's mass-assignment matrix, Z3)."""
    ident, chapter = await _novel(lib, "milik-saya", "draft")
    other, _ = await _novel(lib, "milik-lain", "draft")
    before = await _snapshot(lib)
    for method, url, body in (
        ("PATCH", f"{BASE}/{ident}", {"id": other, "title": "Diubah"}),
        ("PATCH", f"{BASE}/{ident}", {"id": str(uuid.uuid4())}),
        ("DELETE", f"{BASE}/{ident}?id={other}", None),
        ("POST", f"{BASE}/{ident}/restore", {"id": other}),
        ("PATCH", f"{BASE}/{ident}/chapters/{chapter}", {"child_id": str(uuid.uuid4())}),
        ("GET", f"{BASE}/{ident}?id={other}", None),
    ):
        response = await lib.http.request(method, url, json=body)
        assert response.status_code == 422, (method, url, response.text)
        assert response.json()["errors"][0]["field"] in ("id", "child_id"), response.text
    assert await _snapshot(lib) == before
    same = await lib.http.patch(f"{BASE}/{ident}", json={"id": ident, "title": "Sama"})
    assert same.status_code == 200, same.text
