"""Catalogue entries of the auth layer (Indonesian default, English); the app adds them."""

from __future__ import annotations

from rlib.i18n import Messages

AUTH_MESSAGES: Messages = {
    "auth.bad_credentials": {
        "id": "Email atau kata sandi salah",
        "en": "Wrong email or password",
    },
    "auth.no_session": {
        "id": "Tidak ada sesi yang aktif",
        "en": "There is no active session",
    },
    "auth.csrf": {
        "id": "Permintaan ditolak karena berasal dari situs yang tidak dipercaya",
        "en": "Request refused: it comes from an untrusted site",
    },
    "auth.signed_up": {
        "id": "Silakan periksa email Anda untuk melanjutkan",
        "en": "Please check your email to continue",
    },
    "auth.password_length": {
        "id": "Kata sandi harus 8 sampai 128 karakter",
        "en": "The password must be 8 to 128 characters",
    },
    "auth.password_common": {
        "id": "Kata sandi terlalu mudah ditebak",
        "en": "This password is too easy to guess",
    },
    "auth.password_mismatch": {
        "id": "Konfirmasi kata sandi tidak sama",
        "en": "The password confirmation does not match",
    },
    "auth.reauth_required": {
        "id": "Silakan masukkan kata sandi Anda lagi untuk melanjutkan",
        "en": "Please enter your password again to continue",
    },
    "auth.token_invalid": {
        "id": "Tautan atau kode tidak valid atau sudah kedaluwarsa",
        "en": "The link or code is invalid or has expired",
    },
    "auth.reset_sent": {
        "id": "Jika email terdaftar, kami telah mengirim tautan untuk mengatur ulang kata sandi",
        "en": "If the email is registered, we have sent a link to reset the password",
    },
    "auth.customer_required": {
        "id": "Fitur ini hanya untuk pembeli",
        "en": "This feature is for customers only",
    },
    "auth.profile_exists": {"id": "Profil sudah ada", "en": "The profile already exists"},
    "auth.password_wrong": {
        "id": "Kata sandi saat ini salah",
        "en": "The current password is wrong",
    },
    "auth.email_same": {
        "id": "Email baru sama dengan email saat ini",
        "en": "The new email is the same as the current one",
    },
    "auth.redirect_invalid": {
        "id": "Alamat tujuan tidak diizinkan",
        "en": "This redirect address is not allowed",
    },
    "auth.account_undeletable": {
        "id": "Akun ini tidak dapat dihapus sendiri; hubungi administrator",
        "en": "This account cannot be deleted by its owner; contact an administrator",
    },
    "auth.two_factor_not_enabled": {
        "id": "Verifikasi dua langkah belum aktif",
        "en": "Two-factor authentication is not enabled",
    },
    "auth.two_factor_enabled": {
        "id": "Verifikasi dua langkah sudah aktif",
        "en": "Two-factor authentication is already enabled",
    },
    "auth.provider_not_configured": {
        "id": "Masuk dengan penyedia ini belum tersedia",
        "en": "Sign-in with this provider is not configured",
    },
    "auth.provider_unavailable": {
        "id": "Penyedia login sedang tidak dapat dihubungi, silakan coba lagi",
        "en": "The sign-in provider cannot be reached, please try again",
    },
    "auth.oauth_state_invalid": {
        "id": "Sesi masuk tidak valid atau sudah kedaluwarsa, silakan ulangi dari awal",
        "en": "The sign-in attempt is invalid or has expired, please start again",
    },
    "auth.last_sign_in_method": {
        "id": "Metode masuk terakhir tidak dapat dihapus",
        "en": "The last sign-in method cannot be removed",
    },
    "auth.handoff_unavailable": {
        "id": "Masuk lintas situs tidak tersedia di alamat ini",
        "en": "Cross-site sign-in is not available at this address",
    },
    "auth.handoff_state": {
        "id": "Permintaan masuk ini bukan dari peramban Anda; silakan ulangi",
        "en": "This sign-in request did not start in your browser; please try again",
    },
    "resource.session": {"id": "Sesi", "en": "Session"},
    "resource.account": {"id": "Akun tertaut", "en": "Linked account"},
}
