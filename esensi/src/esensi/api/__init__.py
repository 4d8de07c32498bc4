"""The five API domains: main (store), chapter, publish, internal (back office), auth."""

DOMAIN_PACKAGES = (
    "esensi.api.main",
    "esensi.api.chapter",
    "esensi.api.publish",
    "esensi.api.internal",
    "esensi.api.auth",
)
