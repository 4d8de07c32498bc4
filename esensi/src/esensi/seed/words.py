"""Fixed Indonesian word lists and the small text generators the demo data is built from."""

from __future__ import annotations

import random
from decimal import ROUND_DOWN, Decimal

FIRST_NAMES = (
    "Siti", "Budi", "Dewi", "Agus", "Rina", "Andi", "Putri", "Rudi", "Ayu", "Hendra",
    "Lestari", "Bayu", "Intan", "Fajar", "Wulan", "Dimas", "Nur", "Eko", "Maya", "Yusuf",
    "Ratna", "Joko", "Indah", "Arif", "Sri", "Rizky", "Fitri", "Teguh", "Anisa", "Gilang",
)  # fmt: skip
LAST_NAMES = (
    "Rahmawati", "Santoso", "Wijaya", "Saputra", "Lestari", "Pratama", "Kusuma", "Hidayat",
    "Nugroho", "Permata", "Setiawan", "Wulandari", "Siregar", "Nasution", "Simanjuntak",
    "Hakim", "Purnomo", "Susanti", "Halim", "Maharani", "Gunawan", "Syahputra", "Utami",
)  # fmt: skip
CITIES = (
    "Jakarta", "Bandung", "Surabaya", "Yogyakarta", "Semarang", "Medan", "Makassar",
    "Denpasar", "Malang", "Padang", "Palembang", "Pontianak", "Manado", "Solo", "Bogor",
)  # fmt: skip
TITLE_HEADS = (
    "Senja", "Hujan", "Langit", "Rahasia", "Jejak", "Bayangan", "Cahaya", "Lentera",
    "Pelangi", "Rindu", "Mimpi", "Kisah", "Surat", "Lagu", "Ombak", "Kabut", "Bintang",
    "Pulang", "Sayap", "Nyanyian", "Perjalanan", "Gerbang", "Bisikan", "Janji", "Warisan",
    "Kunci", "Peta", "Malam", "Fajar", "Bulan",
)  # fmt: skip
TITLE_TAILS = (
    "di Ujung Jalan", "dari Timur", "Terakhir", "yang Hilang", "di Pelabuhan", "Kota Tua",
    "Tanpa Nama", "di Balik Jendela", "untuk Ibu", "Sang Penjaga", "di Tepi Danau",
    "Musim Kemarau", "Negeri Seberang", "yang Tertunda", "di Atas Awan", "Pertama",
    "Kampung Halaman", "Tengah Malam", "Sepanjang Pantai", "di Lereng Merapi", "Kedua",
    "Para Pemimpi", "dari Masa Lalu", "di Pasar Malam", "Tanah Air", "yang Abadi",
    "di Stasiun", "Sang Pelukis", "Bumi Pertiwi", "di Kebun Teh",
)  # fmt: skip
SENTENCES = (
    "Angin sore berembus pelan membawa aroma tanah basah.",
    "Ia menatap jalan yang pernah dilaluinya bertahun-tahun lalu.",
    "Tak ada yang tahu ke mana perginya surat itu.",
    "Suara azan terdengar sayup dari kejauhan.",
    "Di warung kopi itu, semua cerita bermula.",
    "Langkahnya terhenti di depan pintu kayu yang sudah lapuk.",
    "Hujan turun tanpa aba-aba, membasahi halaman rumah nenek.",
    "Mereka berjanji bertemu lagi saat musim durian tiba.",
    "Kereta terakhir meninggalkan stasiun tepat tengah malam.",
    "Buku catatan itu menyimpan lebih banyak rahasia dari yang ia kira.",
    "Ibu selalu berkata bahwa kejujuran adalah warisan terbaik.",
    "Pasar pagi sudah ramai sebelum matahari terbit.",
)  # fmt: skip
REVIEW_TEXTS = (
    "Ceritanya mengalir dan tokohnya terasa hidup. Sangat direkomendasikan!",
    "Bagus, tapi bagian tengahnya agak lambat.",
    "Salah satu buku terbaik yang saya baca tahun ini.",
    "Bahasanya indah, endingnya bikin penasaran.",
    "Cukup menghibur untuk bacaan akhir pekan.",
    "Penulisnya pandai membangun suasana. Ditunggu karya berikutnya.",
    "Kurang cocok dengan selera saya, tapi idenya menarik.",
)  # fmt: skip
REPLY_TEXTS = (
    "Terima kasih sudah membaca dan memberi ulasan!",
    "Setuju, saya juga suka bagian akhirnya.",
    "Terima kasih atas masukannya, akan saya perbaiki di buku berikutnya.",
)  # fmt: skip
BANKS = ("BCA", "BNI", "BRI", "Mandiri", "BSI", "CIMB Niaga")
PRICES = (25_000, 35_000, 45_000, 49_000, 59_000, 69_000, 75_000, 89_000, 99_000, 125_000)


def person_name(rand: random.Random) -> str:
    """``"Siti Rahmawati"``."""
    return f"{rand.choice(FIRST_NAMES)} {rand.choice(LAST_NAMES)}"


def book_title(number: int) -> str:
    """A distinct title for every book number (a volume suffix once the pairs run out)."""
    heads, tails = len(TITLE_HEADS), len(TITLE_TAILS)
    head = number % heads
    # (head, tail) is a bijection of number mod heads*tails, so titles never repeat.
    tail = (number // heads % tails + head * 7) % tails
    title = f"{TITLE_HEADS[head]} {TITLE_TAILS[tail]}"
    volume = number // (heads * tails)
    return f"{title} Jilid {volume + 1}" if volume else title


def paragraph(rand: random.Random, sentences: int = 3) -> str:
    """A few sentences of Indonesian prose."""
    return " ".join(rand.choice(SENTENCES) for _ in range(sentences))


def slugify(name: str) -> str:
    """``"Pengembangan Diri"`` -> ``"pengembangan-diri"``."""
    words = ("".join(ch for ch in word if ch.isalnum()) for word in name.lower().split())
    return "-".join(word for word in words if word)


def bank_account(rand: random.Random, holder: str) -> dict[str, str]:
    """The three bank columns of a payout owner."""
    return {
        "bank_account_number": "".join(str(rand.randrange(10)) for _ in range(10)),
        "bank_account_provider": rand.choice(BANKS),
        "bank_account_name": holder,
    }


def thousands(amount: Decimal) -> Decimal:
    """``amount`` rounded down to whole thousands of rupiah."""
    return (amount / 1000).to_integral_value(ROUND_DOWN) * 1000
