"""Fixtures of the reliability and security battery (issue 19); see battery_support."""

from __future__ import annotations

import pytest
from battery_support import Battery, battery_from_env


@pytest.fixture
def battery() -> Battery:
    return battery_from_env()
