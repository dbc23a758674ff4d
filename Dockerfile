# The project's image: Airflow 3 + dbt + GX + the voc package, from the same lock file as `make`.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    AIRFLOW_HOME=/opt/airflow \
    VOC_PROJECT_ROOT=/opt/voc \
    VOC_HOME=/opt/airflow/voc

# gcc builds the tagger's C engine (plugins/voc/tagging/native/engine.c) once, at image build time.
RUN useradd --create-home --uid 50000 airflow \
 && apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv==0.13.9

WORKDIR /opt/voc
COPY requirements.lock ./
# Bytecode compiled at build time: with PYTHONDONTWRITEBYTECODE every task process would otherwise recompile
# Airflow, dbt and GX on import (seconds per task).
RUN uv pip sync --system --no-cache --compile-bytecode requirements.lock
COPY pyproject.toml README.md ./
COPY plugins ./plugins
COPY dags ./dags
COPY dbt_project ./dbt_project
COPY expectations ./expectations
RUN uv pip install --system --no-cache --no-deps -e . \
 && python -m voc.tagging.native build --strict \
 && mkdir -p /opt/airflow/voc && chown -R airflow /opt/airflow /opt/voc

USER airflow
ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/voc/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/voc/plugins \
    AIRFLOW__CORE__LOAD_EXAMPLES=False
ENTRYPOINT ["airflow"]
