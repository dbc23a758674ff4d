"""The ``voc`` command. Errors are one clear line and a meaningful exit code; ``--debug`` shows tracebacks."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date

EXIT_USAGE = 2
EXIT_FAILED = 1


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="voc", description="Nightly Voice-of-the-Customer ETL for Chinese financial institutions.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("demo", help="generate demo sources with 6 months of history, load them (voc_history) and run "
                               "voc_nightly for the last 7 business dates on the embedded default")

    run = sub.add_parser("run", help="run voc_nightly through Airflow for business dates (Asia/Shanghai days)")
    run.add_argument("--date", type=_date, required=True, help="first business date, YYYY-MM-DD")
    run.add_argument("--to", type=_date, help="last business date (inclusive); default: --date")

    history = sub.add_parser("history", help="load a range of business dates in bulk through Airflow (voc_history)")
    history.add_argument("--from", dest="first", type=_date, required=True, help="first business date, YYYY-MM-DD")
    history.add_argument("--to", dest="last", type=_date, required=True, help="last business date (inclusive)")

    retag = sub.add_parser("retag", help="re-tag business dates with a taxonomy version through Airflow (voc_retag)")
    retag.add_argument("--date", type=_date, required=True, help="first business date, YYYY-MM-DD")
    retag.add_argument("--to", type=_date, help="last business date (inclusive); default: --date")
    retag.add_argument("--taxonomy-version", type=int, help="taxonomy version; default: the active one")

    sub.add_parser("warehouse-url", help="print the SQLAlchemy URL of the warehouse in use (starts the embedded one)")

    wh = sub.add_parser("warehouse", help="manage the warehouse: init (schemas), url, stop (embedded server)")
    wh.add_argument("action", choices=("init", "url", "stop"))

    sub.add_parser("tag", help="tag JSON lines from stdin ({text, id?, speaker?, channel?}) to stdout")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 — the CLI's one place that turns failures into a line
        if args.debug:
            raise
        print(f"voc {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED


def _dispatch(args) -> int:
    if args.command == "tag":
        from voc.tagging.jsonl import run_jsonl

        run_jsonl(sys.stdin.buffer, sys.stdout.buffer)
        return 0
    if args.command == "demo":
        from voc.jobs.demo import run_demo

        run_demo(echo=_echo)
        return 0
    if args.command == "run":
        from voc.business_date import BusinessDates
        from voc.jobs.run import format_counts, format_task_durations, run_range
        from voc.stack import resolve

        days = BusinessDates(args.date, args.to or args.date).days
        report = run_range(resolve(), days, echo=_echo)
        _echo(format_counts(report.counts, days))
        _echo("")
        _echo(format_task_durations(report.plan))
        return 0
    if args.command == "history":
        from voc.business_date import BusinessDates
        from voc.jobs.run import format_layer_totals, format_task_durations, load_history
        from voc.stack import resolve

        dates = BusinessDates(args.first, args.last)
        report = load_history(resolve(), dates, echo=_echo)
        _echo(format_layer_totals(report.counts, dates))
        _echo("")
        _echo(format_task_durations(report.plan))
        return 0
    if args.command == "retag":
        from voc.business_date import BusinessDates
        from voc.jobs.run import format_counts, retag_range
        from voc.stack import resolve

        dates = BusinessDates(args.date, args.to or args.date)
        report = retag_range(resolve(), dates, args.taxonomy_version, echo=_echo)
        _echo(format_counts(report.counts, dates.days))
        return 0
    if args.command == "warehouse-url" or (args.command == "warehouse" and args.action == "url"):
        from voc.stack import warehouse_dsn

        print(warehouse_dsn()[0].sqlalchemy_url())
        return 0
    if args.command == "warehouse" and args.action == "init":
        from voc.stack import resolve
        from voc.warehouse import schema

        stack = resolve()
        schema.init(stack.warehouse)
        _echo(f"warehouse schemas ready at {stack.warehouse.url()}")
        return 0
    if args.command == "warehouse" and args.action == "stop":
        from voc.warehouse import embedded

        _echo("embedded warehouse stopped" if embedded.stop() else "embedded warehouse was not running")
        return 0
    raise AssertionError(f"unhandled command {args.command}")


def _echo(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
