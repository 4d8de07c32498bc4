"""The main demo publisher shows every link state (seed/publisher_links.py)."""

from sqlalchemy import text


async def test_the_main_demo_publisher_has_invited_active_and_declined_links(seeded):
    rows = await seeded.execute(
        text(
            "SELECT pa.status FROM publisher_author pa"
            " JOIN publisher p ON p.id = pa.publisher_id"
            " JOIN auth_user u ON u.id = p.id_user"
            " WHERE u.email = 'penerbit@esensi.online'"
        )
    )
    assert {status for (status,) in rows} == {"invited", "active", "declined"}
