{#-
    The business date a run processes, from var('business_date') ('YYYY-MM-DD'), as a SQL date literal.
    Raises a clear error when it is missing or malformed (only when the SQL is actually executed, so
    `dbt parse` / `dbt docs generate` work without it). Validating the format also keeps the value safe
    to inline into SQL.
-#}
{% macro business_date_literal() -%}
    {%- set value = var('business_date', none) -%}
    {%- if execute and (value is none or not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value | string)) -%}
        {{ exceptions.raise_compiler_error(
            "var business_date must be a date 'YYYY-MM-DD' (got " ~ (value | string) ~ "); "
            ~ "pass it as: dbt build --vars '{business_date: \"2026-11-15\"}'") }}
    {%- endif -%}
    cast('{{ value }}' as date)
{%- endmacro %}


{#- A timestamptz column as the calendar date in the business time zone (var business_timezone). -#}
{% macro to_business_date(column) -%}
    cast(({{ column }} at time zone '{{ var("business_timezone") }}') as date)
{%- endmacro %}


{#-
    Pre-hook of the incremental marts: on an incremental run, delete the partition of var('business_date')
    before the new rows are inserted, in the same transaction. A re-run of a date is then a replacement
    (a customer or signal that disappeared upstream disappears here) and never a blind append.
    Renders to nothing on a full refresh or a first build.
-#}
{% macro delete_business_date_partition() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where business_date = {{ business_date_literal() }}
    {%- endif -%}
{%- endmacro %}


{#-
    `where <column> = <business_date>` on an incremental run, nothing otherwise: an incremental mart reads
    only the partition of var('business_date'); a full refresh or first build reads every date.
-#}
{% macro incremental_date_filter(column='business_date') -%}
    {%- if is_incremental() %}where {{ column }} = {{ business_date_literal() }}{% endif -%}
{%- endmacro %}
