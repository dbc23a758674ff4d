"""A whole stack for integration tests: its own VOC_HOME, warehouse, demo sources and Airflow home."""

from __future__ import annotations

import os
import pytest

@pytest.fixture(scope="module")
def voc_env(tmp_path_factory):
    """Point VOC_HOME at a fresh folder for the module; restore the caller's environment afterwards."""
    saved = {k: os.environ.get(k) for k in ("VOC_HOME", "VOC_WAREHOUSE_URL", "AIRFLOW_HOME")}
    os.environ["VOC_HOME"] = str(tmp_path_factory.mktemp("voc"))
    for k in ("VOC_WAREHOUSE_URL", "AIRFLOW_HOME"):
        os.environ.pop(k, None)
    yield os.environ["VOC_HOME"]
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
