from __future__ import annotations

from pathlib import Path

import pytest

from stmh_analysis.paths import Paths
from stmh_analysis.reference import load_reference

DEFAULT = Paths.default()


@pytest.fixture(scope="session")
def reference():
    return load_reference(DEFAULT.reference)


@pytest.fixture(scope="session")
def bundled_raw() -> Path:
    return DEFAULT.raw
