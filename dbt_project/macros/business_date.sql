{#-
    The business dates a run processes: VOC_DBT_DATE_FROM .. VOC_DBT_DATE_TO ('YYYY-MM-DD', inclusive; TO
    defaults to FROM). One date for a nightly run, many for a history load: the same models serve both.

    They come from the environment, read only while executing, never from --vars: dbt re-parses the whole
    project whenever a var changes (seconds every night), while a value read at execution time leaves the
    parsed project valid from one night to the next. Returns none when no dates are set (a developer's
    `dbt build`, a full refresh: everything is built and tested).
-#}
{% macro run_dates() -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set first = env_var('VOC_DBT_DATE_FROM', '') -%}
    {%- set last = env_var('VOC_DBT_DATE_TO', '') or first -%}
    {%- if not first -%}{{ return(none) }}{%- endif -%}
    {%- set pattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' -%}
    {%- if not modules.re.match(pattern, first) or not modules.re.match(pattern, last) or last < first -%}
        {{ exceptions.raise_compiler_error(
            "VOC_DBT_DATE_FROM / VOC_DBT_DATE_TO must be dates 'YYYY-MM-DD' with FROM <= TO (got "
            ~ first ~ " .. " ~ last ~ "); e.g. VOC_DBT_DATE_FROM=2026-11-15 dbt build") }}
    {%- endif -%}
    {{ return({'first': "cast('" ~ first ~ "' as date)", 'last': "cast('" ~ last ~ "' as date)"}) }}
{%- endmacro %}


{#-
    `<column> between <first> and <last>` of the run's dates (from `days_before` days before the first, for a
    trailing window); an incremental run without dates is an error.
-#}
{% macro run_dates_between(column='business_date', days_before=0) -%}
    {%- set dates = run_dates() -%}
    {%- if execute and dates is none and not writes_data() -%}true{%- elif execute and dates is none -%}
        {{ exceptions.raise_compiler_error(
            "an incremental build needs the business dates to rebuild: set VOC_DBT_DATE_FROM (and VOC_DBT_DATE_TO "
            ~ "for a range), e.g. VOC_DBT_DATE_FROM=2026-11-15 dbt build; or rebuild everything with --full-refresh") }}
    {%- endif -%}
    {%- if dates is not none -%}
        {{ column }} between {{ dates.first }}{% if days_before %} - {{ days_before | int }}{% endif %} and {{ dates.last }}
    {%- endif -%}
{%- endmacro %}


{#-
    Whether this dbt command writes tables (build, run, seed, snapshot). Only those need the run's dates on an
    incremental model; `dbt docs generate` or `dbt compile` without dates render the model unfiltered.
-#}
{% macro writes_data() -%}
    {{ return(flags.WHICH in ('build', 'run', 'seed', 'snapshot', 'retry')) }}
{%- endmacro %}


{#- A timestamptz column as the calendar date in the business time zone (var business_timezone). -#}
{% macro to_business_date(column) -%}
    cast(({{ column }} at time zone '{{ var("business_timezone") }}') as date)
{%- endmacro %}


{#-
    Pre-hook of the incremental marts: on an incremental run, delete the run's dates before the new rows are
    inserted, in the same transaction. A re-run is then a replacement (a customer or signal that disappeared
    upstream disappears here) and never a blind append. Renders to nothing on a full refresh or first build.
-#}
{% macro delete_run_dates() -%}
    {#- dbt appends a model's own pre-hooks to its folder's: a model keyed otherwise (as_of_month) skips this one -#}
    {%- set key = config.get('unique_key') or [] -%}
    {%- set key = [key] if key is string else key -%}
    {%- if is_incremental() and ('business_date' in key or 'business_date' in model.columns) -%}
        delete from {{ this }} where {{ run_dates_between('business_date') }}
    {%- endif -%}
{%- endmacro %}


{#-
    `where <column> between <first> and <last>` on an incremental run, nothing otherwise: an incremental mart
    reads only the run's dates (and the `days_before` its trailing windows reach back); a full refresh or first
    build reads every date.
-#}
{% macro incremental_date_filter(column='business_date', days_before=0) -%}
    {%- if is_incremental() %}where {{ run_dates_between(column, days_before) }}{% endif -%}
{%- endmacro %}


{#-
    Data tests look at the run's dates only: a night checks what it built, not the whole history again (which
    would make every night slower than the last). A test of a model with a `business_date` column (as its
    .yml documents it) sees the rows of the run's dates; tests of undated models (seeds, int_holdings_opened)
    and runs without dates see every row. Overrides dbt's own get_where_subquery, keeping its `where` config.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}{%- do filters.append(where) -%}{%- endif -%}
    {%- set tested = graph.nodes.get(model.attached_node) if model.attached_node else none -%}
    {%- if tested is not none and 'business_date' in tested.columns and run_dates() is not none -%}
        {%- do filters.append(run_dates_between('business_date')) -%}
    {%- endif -%}
    {%- if filters -%}
        {%- do return("(select * from " ~ relation ~ " where " ~ filters | join(" and ") ~ ") dbt_subquery") -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}


{#-
    Monthly marts: `<column> between <first month> and <last month>` of the months the run's dates fall in
    (column holds a month's first day). A night recomputes its month with the data up to that night; a history
    load recomputes every month it touches.
-#}
{% macro run_months_between(column='as_of_month') -%}
    {%- set dates = run_dates() -%}
    {%- if execute and dates is none and not writes_data() -%}true{%- elif execute and dates is none -%}
        {{ exceptions.raise_compiler_error(
            "an incremental build needs the business dates to rebuild: set VOC_DBT_DATE_FROM (and VOC_DBT_DATE_TO "
            ~ "for a range); or rebuild everything with --full-refresh") }}
    {%- endif -%}
    {%- if dates is not none -%}
        {{ column }} between cast(date_trunc('month', {{ dates.first }}) as date)
            and cast(date_trunc('month', {{ dates.last }}) as date)
    {%- endif -%}
{%- endmacro %}


{#- Pre-hook of the monthly marts: delete the run's months before their rows are inserted again. -#}
{% macro delete_run_months(column='as_of_month') -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ run_months_between(column) }}
    {%- endif -%}
{%- endmacro %}
