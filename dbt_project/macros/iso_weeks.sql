{#-
    Period-keyed marts of marts_voc: a run (VOC_DBT_DATE_FROM .. VOC_DBT_DATE_TO, macros/business_date.sql)
    rebuilds every ISO week (Monday..Sunday, keyed by its Monday) or calendar month its dates fall in, each
    from all of that period's data landed so far. At night that is the data up to the night's date (later
    partitions have not landed); a history load rebuilds every period it touches; a re-run of an older date
    (backfill) rebuilds its period from all of its landed data instead of cutting it back to that date. So a
    row never depends on which other dates were in the run, and nights, history loads and re-runs leave the
    same table.
-#}

{#- The first day of the ISO week (its Monday) or of the month holding a date expression. -#}
{% macro period_start(period, date_expression) -%}
    cast(date_trunc('{{ period }}', cast({{ date_expression }} as timestamp)) as date)
{%- endmacro %}


{#- `<column> between <first week> and <last week>` (Mondays) of the weeks the run's dates fall in. -#}
{% macro run_weeks_between(column='iso_week_start') -%}
    {%- set dates = run_dates() -%}
    {%- if execute and dates is none and not writes_data() -%}true{%- elif execute and dates is none -%}
        {{ exceptions.raise_compiler_error(
            "an incremental build needs the business dates to rebuild: set VOC_DBT_DATE_FROM (and VOC_DBT_DATE_TO "
            ~ "for a range); or rebuild everything with --full-refresh") }}
    {%- endif -%}
    {%- if dates is not none -%}
        {{ column }} between {{ period_start('week', dates.first) }} and {{ period_start('week', dates.last) }}
    {%- endif -%}
{%- endmacro %}


{#- Pre-hook of the weekly marts: delete the run's ISO weeks before their rows are inserted again. -#}
{% macro delete_run_weeks(column='iso_week_start') -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ run_weeks_between(column) }}
    {%- endif -%}
{%- endmacro %}


{#-
    Input filter of a period-keyed mart: on an incremental run, `where <column> between <start of the first
    run period, minus periods_before periods> and <end of the last run period>` (a weekly mart comparing a
    week with the one before reads periods_before = 1); nothing on a full refresh or first build (every date).
    Constant bounds, so the filter reaches the inputs' business_date keys.
-#}
{% macro incremental_period_filter(column='business_date', period='week', periods_before=0) -%}
    {%- if is_incremental() -%}
        {%- set dates = run_dates() -%}
        {#- docs generate / compile without dates: the model unfiltered, as business_date.sql does -#}
        {%- if execute and dates is none and writes_data() -%}
            {{ exceptions.raise_compiler_error(
                "an incremental build needs the business dates to rebuild: set VOC_DBT_DATE_FROM (and "
                ~ "VOC_DBT_DATE_TO for a range); or rebuild everything with --full-refresh") }}
        {%- endif -%}
        {%- if dates is not none %}
    where {{ column }} between
        cast({{ period_start(period, dates.first) }} - interval '{{ periods_before | int }} {{ period }}' as date)
        and cast({{ period_start(period, dates.last) }} + interval '1 {{ period }}' - interval '1 day' as date)
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#-
    `where <column> between <first run week> and <last run week>` on an incremental run, nothing otherwise:
    which weeks a weekly mart builds (it may read the week before its first one only to compare).
-#}
{% macro incremental_week_filter(column='iso_week_start') -%}
    {%- if is_incremental() %}where {{ run_weeks_between(column) }}{% endif -%}
{%- endmacro %}
