"""esensi's message catalogue entries (Indonesian default, English)."""

from __future__ import annotations

from rlib.i18n import Messages

MESSAGES: Messages = {
    "resource.page": {"id": "Halaman", "en": "Page"},
    "resource.footer": {"id": "Footer", "en": "Footer"},
    "resource.genre": {"id": "Genre", "en": "Genre"},
    "resource.cfg": {"id": "Konfigurasi", "en": "Configuration"},
    "resource.author": {"id": "Penulis", "en": "Author"},
    "resource.mail": {"id": "Email", "en": "Email"},
    "error.mail_not_failed": {
        "id": "Hanya email yang gagal terkirim yang dapat dikirim ulang",
        "en": "Only an email that failed can be sent again",
    },
}
