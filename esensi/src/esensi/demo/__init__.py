"""Demo-only pages, mounted in development (``ESENSI_ENV=development``), never in production."""

from esensi.demo.notifications import DEMO, DEMO_ENDPOINTS

__all__ = ["DEMO", "DEMO_ENDPOINTS"]
