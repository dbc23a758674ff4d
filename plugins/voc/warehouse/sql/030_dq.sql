-- dq: the latest Great Expectations result per business date and checkpoint, for dashboards and status.
-- A rerun of a date overwrites its row (the run history itself lives in Airflow).
create schema if not exists dq;

create table if not exists dq.checkpoint_results (
    business_date   date not null,
    suite           text not null,
    success         boolean not null,
    evaluated       integer not null,
    failed          integer not null,
    failures        jsonb not null,          -- [{expectation, column, observed}]
    blocking        boolean not null,
    run_at          timestamptz not null default now(),
    primary key (business_date, suite)
);
