"""Where things live and which settings are in force. Everything comes from the environment
(or, inside Airflow tasks, from connections and variables); nothing here is a secret."""

from __future__ import annotations

import os
from pathlib import Path

BUSINESS_TZ = "Asia/Shanghai"


def project_root() -> Path:
    """The checkout holding dags/, plugins/ and dbt_project/ (the package is installed editable)."""
    env = os.environ.get("VOC_PROJECT_ROOT")
    return Path(env).resolve() if env else Path(__file__).resolve().parents[2]


def voc_home() -> Path:
    """State the project owns on this machine: embedded Postgres, Airflow home, landing files."""
    env = os.environ.get("VOC_HOME")
    return Path(env).resolve() if env else project_root() / ".voc"


def airflow_home() -> Path:
    return voc_home() / "airflow"


def landing_dir() -> Path:
    """Folder where file-based sources (survey exports) drop their files."""
    env = os.environ.get("VOC_LANDING_DIR")
    return Path(env).resolve() if env else voc_home() / "landing"


def dbt_project_dir() -> Path:
    return project_root() / "dbt_project"


def expectations_dir() -> Path:
    return project_root() / "expectations"
