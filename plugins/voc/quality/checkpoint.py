"""Run a Great Expectations checkpoint for a run's business dates and record the outcome.

Checkpoints and the queries they validate are declared in ``expectations/checkpoints.yaml``; suites are GX's
own JSON files in ``expectations/suites/``. Validation runs inside Postgres (SQL datasource on the warehouse),
never by pulling tables into pandas. A GX checkpoint does not raise on failed expectations, so the result's
``success`` is checked here: a blocking checkpoint raises ``QualityGateFailed``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import yaml

from voc.business_date import BusinessDates
from voc.config import BUSINESS_TZ, expectations_dir
from voc.warehouse.dsn import Dsn

log = logging.getLogger(__name__)


class QualityGateFailed(RuntimeError):
    """A blocking checkpoint found failed expectations; downstream steps must not publish."""


@dataclass
class Failure:
    suite: str
    expectation: str
    column: str | None
    observed: object


@dataclass
class CheckpointOutcome:
    name: str
    blocking: bool
    evaluated: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        head = f"checkpoint {self.name}: {self.evaluated - len(self.failures)}/{self.evaluated} expectations passed"
        lines = [head] + [
            f"  FAILED {f.suite}: {f.expectation}({f.column or ''}) observed {f.observed}" for f in self.failures
        ]
        return "\n".join(lines)


def load_config(root: Path | None = None) -> dict:
    path = (root or expectations_dir()) / "checkpoints.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["checkpoints"]


def run_checkpoint(name: str, dsn: Dsn, dates: BusinessDates, parameters: dict | None = None,
                   root: Path | None = None) -> CheckpointOutcome:
    """Validate every (suite, query) of checkpoint ``name`` on ``dates``; record and return the outcome."""
    root = root or expectations_dir()
    config = load_config(root)
    if name not in config:
        raise KeyError(f"no checkpoint {name!r} in {root / 'checkpoints.yaml'} (have: {', '.join(config)})")
    spec = config[name]
    params = {
        "first_date": dates.first.isoformat(),
        "last_date": dates.last.isoformat(),
        "window_start": dates.start.isoformat(),
        "window_end": dates.end.isoformat(),
        "business_tz": BUSINESS_TZ,
        **(parameters or {}),
    }
    outcome = CheckpointOutcome(name=name, blocking=bool(spec.get("blocking", True)))
    result = _run_gx(name, spec["validations"], dsn, params, root)
    for vr in result.run_results.values():
        suite = vr.suite_name
        for er in vr.results:
            outcome.evaluated += 1
            if not er.success:
                cfg = er.expectation_config
                outcome.failures.append(Failure(
                    suite=suite,
                    expectation=cfg.type,
                    column=cfg.kwargs.get("column"),
                    observed=_observed(er.result),
                ))
    _record(dsn, dates, outcome)
    log.info(outcome.summary())
    if outcome.blocking and not outcome.success:
        raise QualityGateFailed(outcome.summary())
    return outcome


def _run_gx(name: str, validations: list[dict], dsn: Dsn, params: dict, root: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # bars belong on a terminal, not in task logs
    # The URL names a placeholder host; the real one (possibly a unix-socket dir) goes to the driver directly.
    # Each query is materialised in a temporary table on the server: GX otherwise runs a query once as it is,
    # fetching every row into this process, just to learn its column names (GBs on a large history range).
    source = context.data_sources.add_postgres(
        name="warehouse",
        connection_string=f"postgresql+psycopg://{dsn.user}@localhost/{dsn.dbname}",
        kwargs={"connect_args": {"host": dsn.host, "port": dsn.port, "password": dsn.password}},
        create_temp_table=True,
    )
    try:
        return _validate(context, source, name, validations, params, root)
    finally:
        source.get_engine().dispose()  # closes the connections, and their temporary tables with them


def _validate(context, source, name: str, validations: list[dict], params: dict, root: Path):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    definitions = []
    for i, v in enumerate(validations):
        suite_file = root / "suites" / f"{v['suite']}.json"
        spec = json.loads(suite_file.read_text(encoding="utf-8"))
        suite = gx.ExpectationSuite(name=spec["name"])
        for exp in spec["expectations"]:
            suite.add_expectation_configuration(ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"]))
        suite = context.suites.add(suite)
        # queries name the partition with the same parameters the expectations get ({business_date}, …)
        try:
            query = v["query"].format_map(params)
        except KeyError as missing:
            raise KeyError(f"checkpoint {name}, suite {v['suite']}: the query needs parameter {missing}, "
                           f"which the caller did not pass (have: {', '.join(params)})") from None
        asset = source.add_query_asset(name=f"{name}_{i}_{v['suite']}", query=query)
        batch = asset.add_batch_definition_whole_table("run_dates")
        definitions.append(context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{name}_{i}", data=batch, suite=suite)
        ))
    checkpoint = context.checkpoints.add(gx.Checkpoint(name=name, validation_definitions=definitions))
    return checkpoint.run(expectation_parameters=params)


def _observed(result: dict) -> object:
    for key in ("observed_value", "unexpected_count", "partial_unexpected_list"):
        if key in result:
            value = result[key]
            return value[:5] if isinstance(value, list) else value
    return None


def _record(dsn: Dsn, dates: BusinessDates, outcome: CheckpointOutcome) -> None:
    """One row per business date of the run: a range's outcome stands for each of its dates."""
    failures = [
        {"suite": f.suite, "expectation": f.expectation, "column": f.column, "observed": f.observed}
        for f in outcome.failures
    ]
    with psycopg.connect(dsn.conninfo()) as conn:
        conn.execute(
            """insert into dq.checkpoint_results
               (business_date, suite, success, evaluated, failed, failures, blocking)
               select d::date, %s, %s, %s, %s, %s::jsonb, %s
               from generate_series(%s::date, %s::date, interval '1 day') d
               on conflict (business_date, suite) do update set
                 success = excluded.success, evaluated = excluded.evaluated, failed = excluded.failed,
                 failures = excluded.failures, blocking = excluded.blocking, run_at = excluded.run_at""",
            (outcome.name, outcome.success, outcome.evaluated, len(failures),
             json.dumps(failures, default=str, ensure_ascii=False), outcome.blocking, dates.first, dates.last),
        )
