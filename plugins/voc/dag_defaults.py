"""What every voc DAG shares: owner, retry policy and timeouts (read from the environment at parse time)."""

import os
from datetime import timedelta

# Retry policy from the environment: production keeps the defaults; `voc run` shortens them so a broken
# date fails in seconds instead of waiting out the backoff in the foreground.
DEFAULT_ARGS = {
    "owner": "voc-data",
    "retries": int(os.environ.get("VOC_TASK_RETRIES", "2")),
    "retry_delay": timedelta(seconds=int(os.environ.get("VOC_RETRY_DELAY_SECONDS", "300"))),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=2),
}


def date_range_params(**extra) -> dict:
    """The params of a DAG triggered for a range of business dates (voc_history, voc_retag)."""
    from airflow.sdk import Param

    return {
        "start": Param(type="string", format="date", description="first business date (Asia/Shanghai)"),
        "end": Param(type="string", format="date", description="last business date, inclusive"),
        **extra,
    }
