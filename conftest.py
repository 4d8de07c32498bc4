"""Root conftest: import the real packages first.

pytest's importlib mode names test modules after their path (``rlib.tests.test_x``) and would
otherwise register an empty ``rlib`` / ``esensi`` package in their place.
"""

import esensi
import rlib

__all__ = ["esensi", "rlib"]
