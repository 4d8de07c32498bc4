"""Filters through a relation ("genres.name") and the get action's ``after`` hook."""

import uuid

import pytest
from crud_support import library_app
from sqlalchemy import insert

from fixture_apps.library.models import Chapter, Genre, Novel, novel_genre
from rlib.testing.statements import count_statements

URL = "/api/library/novel-by-genre"


def _novel(writer: uuid.UUID, title: str, status: str = "draft") -> dict:
    return {
        "id": uuid.uuid4(),
        "title": title,
        "slug": title,
        "id_writer": writer,
        "status": status,
    }


@pytest.fixture
async def lib(library_db):
    async with library_app(library_db) as library:
        mine, theirs = library.writers
        novels = {
            "romance": _novel(mine, "a-romance", "published"),
            "both": _novel(mine, "b-both"),
            "none": _novel(mine, "c-none"),
            "foreign": _novel(theirs, "d-foreign"),
        }
        genres = {"romansa": uuid.uuid4(), "horor": uuid.uuid4()}
        links = [
            ("romance", "romansa"),
            ("both", "romansa"),
            ("both", "horor"),
            ("foreign", "romansa"),
        ]
        async with library_db.engine.begin() as conn:
            await conn.execute(
                insert(Genre.__table__), [{"id": g, "name": n} for n, g in genres.items()]
            )
            await conn.execute(insert(Novel.__table__), list(novels.values()))
            await conn.execute(
                insert(novel_genre),
                [{"id_novel": novels[n]["id"], "id_genre": genres[g]} for n, g in links],
            )
            await conn.execute(
                insert(Chapter.__table__),
                [
                    {"id": uuid.uuid4(), "id_novel": novels["both"]["id"], "number": n, "name": "x"}
                    for n in (1, 2, 3)
                ],
            )
        library.sign_in(0)
        yield library, novels


async def _titles(http, **params) -> list[str]:
    response = await http.get(URL, params=params)
    assert response.status_code == 200, response.text
    return [row["title"] for row in response.json()["data"]]


async def test_a_related_filter_keeps_rows_with_a_matching_related_row(lib):
    library, _ = lib
    assert await _titles(library.http, **{"genres.name": "romansa"}) == ["a-romance", "b-both"]
    assert await _titles(library.http, **{"genres.name": "horor"}) == ["b-both"]
    assert await _titles(library.http, **{"genres.name__in": "horor,romansa"}) == [
        "a-romance",
        "b-both",
    ]
    assert await _titles(library.http, **{"genres.name": "romansa", "status": "draft"}) == [
        "b-both"
    ]
    assert await _titles(library.http, **{"genres.name": "fantasi"}) == []


async def test_a_related_filter_on_a_to_one_relation(lib):
    library, _ = lib
    assert await _titles(library.http, **{"writer.name": "Penulis 0"}) == [
        "a-romance",
        "b-both",
        "c-none",
    ]
    assert await _titles(library.http, **{"writer.name": "Penulis 1"}) == []  # scope still holds


async def test_an_unknown_related_filter_or_operator_is_422(lib):
    library, _ = lib
    for params in ({"genres.id": "x"}, {"genres.name__gte": "a"}, {"chapters.name": "x"}):
        response = await library.http.get(URL, params=params)
        assert response.status_code == 422, params


async def test_the_filtered_list_is_one_statement_plus_the_count(lib):
    library, _ = lib
    async with count_statements(library.database) as log:
        await _titles(library.http, **{"genres.name": "romansa"})
    assert log.count == 2, log.statements


async def test_the_get_after_hook_adds_to_the_detail(lib):
    library, novels = lib
    response = await library.http.get(f"{URL}/{novels['both']['id']}")
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["chapter_count"] == 3
    assert sorted(g["name"] for g in data["genres"]) == ["horor", "romansa"]
    foreign = await library.http.get(f"{URL}/{novels['foreign']['id']}")
    assert foreign.status_code == 404


def test_a_related_filter_must_name_a_public_column():
    from rlib.crud import crud_handler

    with pytest.raises(TypeError, match="no public column"):
        crud_handler(
            Novel,
            {"name": "bad", "url": "/bad", "list": {"filters": {"genres.nope": 1}}},
        )
