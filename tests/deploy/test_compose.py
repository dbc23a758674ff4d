"""docker-compose.yml checked statically (no Docker engine here): shape, secrets, and what it refers to exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
RAW = (REPO / "docker-compose.yml").read_text(encoding="utf-8")


def test_services_follow_airflow3_layout():
    expected = {"postgres", "redis", "airflow-init", "airflow-apiserver", "airflow-scheduler",
                "airflow-dag-processor", "airflow-triggerer", "airflow-worker"}
    assert expected <= set(COMPOSE["services"])


def test_long_running_services_have_healthchecks_or_wait_for_them():
    for name in ("postgres", "redis", "airflow-apiserver"):
        assert "healthcheck" in COMPOSE["services"][name], name
    for name, svc in COMPOSE["services"].items():
        if name.startswith("airflow-") and name != "airflow-init":
            assert svc["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"


def test_no_default_secrets_and_every_secret_documented():
    used = set(re.findall(r"\$\{([A-Z_]+)(?::\?[^}]*)?\}", RAW))
    for var in used:
        assert re.search(r"\$\{" + var + r":\?", RAW), f"{var} must be required (${{{var}:?…}}), not defaulted"
    documented = {line.split("=", 1)[0] for line in (REPO / ".env.example").read_text().splitlines()
                  if "=" in line and not line.startswith("#")}
    assert used <= documented, f"undocumented in .env.example: {used - documented}"
    assert not re.search(r"(?m)^[A-Z_]+=[^\n]", (REPO / ".env.example").read_text()), ".env.example must hold no values"


def test_build_context_and_image_inputs_exist():
    assert (REPO / "Dockerfile").is_file()
    for line in (REPO / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY "):
            for src in line.split()[1:-1]:
                assert (REPO / src).exists(), f"Dockerfile copies missing {src}"


def test_commands_name_real_entry_points():
    init = COMPOSE["services"]["airflow-init"]["command"][-1]
    assert "voc warehouse init" in init
    assert "voc = \"voc.cli:main\"" in (REPO / "pyproject.toml").read_text()
