"""Root conftest: import the real packages first, and set Hypothesis' profile.

pytest's importlib mode names test modules after their path (``rlib.tests.test_x``) and would
otherwise register an empty ``rlib`` / ``esensi`` package in their place.
"""

from hypothesis import settings

import esensi
import rlib

# No per-example deadline: on a shared 2-core machine one slow example is load, not a defect
# (performance is measured in bench/, never by timing tests).
settings.register_profile("esensi", deadline=None)
settings.load_profile("esensi")

__all__ = ["esensi", "rlib"]
