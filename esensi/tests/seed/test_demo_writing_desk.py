"""The demo author's desk: chapters in every state, a draft chapter-book ready to submit and a
rejected one with its review history."""

from sqlalchemy import text

AUTHOR = "penulis@esensi.online"


async def _rows(seeded, sql, **params):
    return (await seeded.execute(text(sql), params)).all()


async def test_the_demo_author_has_chapters_in_every_state(seeded):
    states = await _rows(
        seeded,
        "SELECT DISTINCT c.status FROM chapter c JOIN book b ON b.id = c.id_book"
        " JOIN author a ON a.id = b.id_author JOIN auth_user u ON u.id = a.id_user"
        " WHERE u.email = :email",
        email=AUTHOR,
    )
    assert {status for (status,) in states} == {"draft", "published"}


async def test_the_desk_books_are_ready_to_work_on(seeded):
    books = await _rows(
        seeded,
        "SELECT b.slug, b.status, b.is_chapter, count(c.id),"
        " (SELECT count(*) FROM book_changes_log l WHERE l.id_book = b.id)"
        " FROM book b JOIN chapter c ON c.id_book = b.id"
        " WHERE b.slug IN ('catatan-sang-pemimpi', 'lorong-waktu')"
        " GROUP BY b.id, b.slug, b.status, b.is_chapter ORDER BY b.slug",
    )
    assert [tuple(row) for row in books] == [
        ("catatan-sang-pemimpi", "draft", True, 3, 1),
        ("lorong-waktu", "rejected", True, 2, 1),
    ]
    review = await _rows(
        seeded,
        "SELECT a.status, a.comment IS NOT NULL FROM book_approval a JOIN book b"
        " ON b.id = a.id_book WHERE b.slug = 'lorong-waktu' ORDER BY a.created_at",
    )
    assert [tuple(row) for row in review] == [("submitted", False), ("rejected", True)]
