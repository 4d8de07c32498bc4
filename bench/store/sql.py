"""H's hand-written SQL for the four pages: the statements the esensi services send, written
out (same columns, same filters, same order, one statement per include)."""

from __future__ import annotations

LIVE_PRODUCT = "p.status = 'published' AND p.deleted_at IS NULL"
CARD = (
    "SELECT p.id, p.name, p.slug, p.cover, p.currency, p.real_price, p.strike_price,"
    " p.content_type, p.published_date, a.id AS author_id, a.name AS author_name"
    " FROM product p JOIN author a ON a.id = p.id_author"
)
NEWEST = "ORDER BY p.created_at DESC, p.id"

BROWSE_COUNT = f"SELECT count(*) FROM product p WHERE {LIVE_PRODUCT}"
BROWSE_ROWS = f"{CARD} WHERE {LIVE_PRODUCT} {NEWEST} LIMIT $1 OFFSET $2"

_FOUND = (
    "SELECT 'product' AS kind, p.id, p.name, p.slug, p.cover, p.real_price, p.strike_price,"
    f" p.created_at FROM product p WHERE {LIVE_PRODUCT} AND p.name ILIKE $1 ESCAPE '\\'"
    " UNION ALL"
    " SELECT 'bundle', b.id, b.name, b.slug, b.cover, b.real_price, b.strike_price,"
    " b.created_at FROM bundle b WHERE b.status = 'published' AND b.deleted_at IS NULL"
    " AND b.name ILIKE $1 ESCAPE '\\'"
)
SEARCH_COUNT = f"SELECT count(*) FROM ({_FOUND}) found"
SEARCH_ROWS = (
    "SELECT kind, id, name, slug, cover, real_price, strike_price"
    f" FROM ({_FOUND}) found ORDER BY created_at DESC, id LIMIT $2 OFFSET $3"
)

PRODUCT = (
    "SELECT p.id, p.name, p.slug, p.alias, p.desc, p.info, p.img_file, p.cover, p.currency,"
    " p.real_price, p.strike_price, p.content_type, p.is_chapter, p.is_physical,"
    " p.published_date, a.id AS author_id, a.name AS author_name, a.avatar AS author_avatar"
    f" FROM product p JOIN author a ON a.id = p.id_author WHERE {LIVE_PRODUCT} AND p.slug = $1"
)
PRODUCT_CATEGORIES = (
    "SELECT c.id, c.name, c.slug FROM category c"
    " JOIN product_category pc ON pc.id_category = c.id"
    " WHERE c.deleted_at IS NULL AND pc.id_product = $1 ORDER BY c.name, c.id"
)
RELATED = (
    f"{CARD} WHERE {LIVE_PRODUCT} AND p.id IN (SELECT pc.id_product FROM product_category pc"
    " WHERE pc.id_category = ANY($1::uuid[])) AND p.id <> $2"
    f" {NEWEST} LIMIT 10"
)

TITLE_BOOK = (
    "SELECT b.id, b.name, b.slug, b.alias, b.desc, b.cover, b.published_date, b.content_type,"
    " a.id AS author_id, a.name AS author_name, a.avatar AS author_avatar,"
    " a.biography AS author_biography, u.username AS author_username,"
    " (SELECT count(*) FROM author_follow f WHERE f.id_author = a.id) AS author_followers,"
    " p.id AS product_id, p.slug AS product_slug, p.real_price AS product_price,"
    " p.strike_price AS product_strike_price, p.currency AS product_currency"
    " FROM book b JOIN author a ON a.id = b.id_author"
    " LEFT JOIN auth_user u ON u.id = a.id_user"
    " LEFT JOIN product p ON p.id = b.id_product AND p.status = 'published'"
    " AND p.deleted_at IS NULL"
    " WHERE b.slug = $1 AND b.is_chapter IS true AND b.status = 'published'"
    " AND b.deleted_at IS NULL"
)
_TOP_LEVEL = "r.id_book = $1 AND r.parent IS NULL AND r.deleted_at IS NULL"
_REVIEW = (
    "SELECT r.id, r.id_book, r.parent, r.comments, r.rating, r.version, r.created_at,"
    " r.updated_at, r.id_user AS user_id, u.name AS user_name, u.image AS user_image,"
    " (SELECT count(*) FROM reviews_likes l WHERE l.id_reviews = r.id) AS likes,"
    " (SELECT count(*) FROM reviews x WHERE x.parent = r.id AND x.deleted_at IS NULL)"
    " AS reply_count"
    " FROM reviews r JOIN auth_user u ON u.id = r.id_user"
)
REVIEW_COUNT = f"SELECT count(*) FROM reviews r WHERE {_TOP_LEVEL}"
REVIEW_TOPS = f"{_REVIEW} WHERE {_TOP_LEVEL} ORDER BY r.created_at DESC, r.id LIMIT 20"
REVIEW_REPLIES = (
    f"{_REVIEW} JOIN (SELECT id, row_number() OVER (PARTITION BY parent"
    " ORDER BY created_at, id) AS place FROM reviews"
    " WHERE parent = ANY($1::uuid[]) AND deleted_at IS NULL) ranked ON ranked.id = r.id"
    " WHERE ranked.place <= 20 ORDER BY r.created_at, r.id"
)
RATING = f"SELECT avg(r.rating), count(*) FROM reviews r WHERE {_TOP_LEVEL}"
GENRES = (
    "SELECT g.id, g.name, g.slug FROM genre g JOIN book_genre bg ON bg.id_genre = g.id"
    " WHERE bg.id_book = $1 AND g.deleted_at IS NULL ORDER BY g.name, g.id"
)
TAGS = (
    "SELECT t.id, t.name, t.slug FROM tags t JOIN book_tags bt ON bt.id_tags = t.id"
    " WHERE bt.id_book = $1 AND t.deleted_at IS NULL ORDER BY t.name, t.id"
)
CHAPTERS = (
    "SELECT id, number, name, is_free, published_at FROM chapter"
    " WHERE id_book = $1 AND status = 'published' ORDER BY number"
)
