{#-
    Analytic 95% intervals of marts_roi.signal_effects, one implementation each, closed-form so that a row
    is deterministic and never needs a resample. Every argument is an SQL expression, cast to numeric (exact
    arithmetic: a row never depends on the order of a floating-point sum). z is var effect_ci_z (1.959964).

      wilson_low / wilson_high        a proportion p observed on n units (n may be an effective, non-integer
                                      size): Wilson score interval. Never empty, never outside [0, 1]; at p = 0
                                      it is [0, z²/(n + z²)].
      poisson_rate_low / _high        a rate = events / exposure (events may be an effective, non-integer count):
                                      score interval of a Poisson count, the Wilson interval's Poisson analogue,
                                      (x + z²/2 ± z·sqrt(x + z²/4)) / exposure. At x = 0 it is [0, z²/exposure].
      mover_difference_low / _high    the difference est1 − est2 of two independent estimates from their own
                                      intervals: MOVER (Newcombe's hybrid score method for a difference of
                                      proportions, generalised by Zou & Donner 2008 to any pair of intervals).
      normal_low / normal_high        est ± z·se (delta method, or a difference of means).
      effective_size                  1 / Σ(wₛ² / nₛ): the size of a single sample with the same variance as
                                      the weighted mean Σ wₛ·x̄ₛ of strata of sizes nₛ (Σ wₛ = 1): Kish's
                                      effective sample size, here of a standardised rate or proportion.
-#}

{% macro ci_z() -%}
    {{ var('effect_ci_z') | float }}
{%- endmacro %}


{% macro wilson_low(p, n) -%}
    {{ _wilson_bound(p, n, '-') }}
{%- endmacro %}


{% macro wilson_high(p, n) -%}
    {{ _wilson_bound(p, n, '+') }}
{%- endmacro %}


{#- (p + z²/2n ± z·sqrt(p(1 − p)/n + z²/4n²)) / (1 + z²/n) -#}
{% macro _wilson_bound(p, n, sign) -%}
    {%- set p = 'cast(' ~ p ~ ' as numeric)' -%}
    {%- set n = 'cast(' ~ n ~ ' as numeric)' -%}
    {%- set z2 = 'power(' ~ ci_z() ~ ', 2)' -%}
    {{ 'greatest(0.0, ' if sign == '-' else 'least(1.0, ' }}
        ({{ p }} + {{ z2 }} / (2.0 * {{ n }})
            {{ sign }} {{ ci_z() }} * sqrt({{ p }} * (1.0 - {{ p }}) / {{ n }} + {{ z2 }} / (4.0 * {{ n }} * {{ n }})))
        / (1.0 + {{ z2 }} / {{ n }}))
{%- endmacro %}


{% macro poisson_rate_low(events, exposure) -%}
    greatest(0.0, {{ _poisson_rate_bound(events, exposure, '-') }})
{%- endmacro %}


{% macro poisson_rate_high(events, exposure) -%}
    {{ _poisson_rate_bound(events, exposure, '+') }}
{%- endmacro %}


{#- (x + z²/2 ± z·sqrt(x + z²/4)) / exposure -#}
{% macro _poisson_rate_bound(events, exposure, sign) -%}
    {%- set x = 'cast(' ~ events ~ ' as numeric)' -%}
    {%- set z2 = 'power(' ~ ci_z() ~ ', 2)' -%}
    (({{ x }} + {{ z2 }} / 2.0 {{ sign }} {{ ci_z() }} * sqrt({{ x }} + {{ z2 }} / 4.0)) / cast({{ exposure }} as numeric))
{%- endmacro %}


{#- est1 − est2 − sqrt((est1 − low1)² + (high2 − est2)²) -#}
{% macro mover_difference_low(est1, low1, high1, est2, low2, high2) -%}
    {%- set e1 = 'cast(' ~ est1 ~ ' as numeric)' -%}
    {%- set e2 = 'cast(' ~ est2 ~ ' as numeric)' -%}
    ({{ e1 }} - {{ e2 }}
        - sqrt(power({{ e1 }} - cast({{ low1 }} as numeric), 2) + power(cast({{ high2 }} as numeric) - {{ e2 }}, 2)))
{%- endmacro %}


{#- est1 − est2 + sqrt((high1 − est1)² + (est2 − low2)²) -#}
{% macro mover_difference_high(est1, low1, high1, est2, low2, high2) -%}
    {%- set e1 = 'cast(' ~ est1 ~ ' as numeric)' -%}
    {%- set e2 = 'cast(' ~ est2 ~ ' as numeric)' -%}
    ({{ e1 }} - {{ e2 }}
        + sqrt(power(cast({{ high1 }} as numeric) - {{ e1 }}, 2) + power({{ e2 }} - cast({{ low2 }} as numeric), 2)))
{%- endmacro %}


{% macro normal_low(estimate, standard_error) -%}
    (cast({{ estimate }} as numeric) - {{ ci_z() }} * cast({{ standard_error }} as numeric))
{%- endmacro %}


{% macro normal_high(estimate, standard_error) -%}
    (cast({{ estimate }} as numeric) + {{ ci_z() }} * cast({{ standard_error }} as numeric))
{%- endmacro %}


{#- An aggregate: use inside a group by over the strata of one comparison. -#}
{% macro effective_size(weight, size) -%}
    (1.0 / sum(power(cast({{ weight }} as numeric), 2) / cast({{ size }} as numeric)))
{%- endmacro %}


{#-
    The as-of months an effect model computes, one row each: as_of_month (first day), cutoff_on and
    window_start_on. A month's row uses only data dated cutoff_on or earlier, cutoff_on = the month's last day
    or the last business date of `calendar` (the customer snapshot) if earlier, and no more than var
    effect_lookback_days back (window_start_on), so a night reads a bounded window. On the night of date D the
    snapshot ends at D, so the month is computed as of D; its last night, a history load or a re-run of any of
    its dates all compute it from the same data, so the rows never depend on which dates a run covered. An
    incremental run computes the months its dates fall in (VOC_DBT_DATE_FROM/TO); a full refresh every month of
    the calendar.
-#}
{% macro effect_as_of_windows(calendar) -%}
    {%- set lookback = var('effect_lookback_days') | int -%}
    {%- if lookback < 1 -%}
        {{ exceptions.raise_compiler_error("var effect_lookback_days must be >= 1, got " ~ var('effect_lookback_days')) }}
    {%- endif -%}
    select
        months.as_of_month,
        least(cast(months.as_of_month + interval '1 month' - interval '1 day' as date), last_known.last_date)
            as cutoff_on,
        least(cast(months.as_of_month + interval '1 month' - interval '1 day' as date), last_known.last_date)
            - {{ lookback - 1 }} as window_start_on
    from (
        {%- if is_incremental() and (run_dates() is not none or flags.WHICH in ('build', 'run', 'retry')) %}
        {#- the run's months as constants, so the planner sees one row per month (a night: one); without dates
            (dbt compile, docs generate) every month, as a full refresh #}
        select as_of_month
        from (values {{ _effect_run_months() | join(', ') }}) as run_months (as_of_month)
        {%- else %}
        select distinct cast(date_trunc('month', business_date) as date) as as_of_month
        from {{ calendar }}
        {%- endif %}
    ) as months
    cross join (select max(business_date) as last_date from {{ calendar }}) as last_known
    where months.as_of_month <= last_known.last_date
{%- endmacro %}


{#- The first days of the months the run's dates fall in, as SQL date literals. -#}
{% macro _effect_run_months() -%}
    {%- set dates = run_dates() -%}
    {%- if execute and dates is none -%}
        {{ exceptions.raise_compiler_error(
            "an incremental build needs the business dates to rebuild: set VOC_DBT_DATE_FROM (and VOC_DBT_DATE_TO "
            ~ "for a range); or rebuild everything with --full-refresh") }}
    {%- endif -%}
    {%- set months = [] -%}
    {%- if execute -%}
        {%- set first_text = env_var('VOC_DBT_DATE_FROM') -%}
        {%- set last_date = modules.datetime.date.fromisoformat(env_var('VOC_DBT_DATE_TO', '') or first_text) -%}
        {%- set cursor = namespace(month=modules.datetime.date.fromisoformat(first_text).replace(day=1)) -%}
        {%- for _ in range(1200) if cursor.month <= last_date -%}
            {%- do months.append("(date '" ~ cursor.month ~ "')") -%}
            {%- set cursor.month = (cursor.month.replace(day=28) + modules.datetime.timedelta(days=4)).replace(day=1) -%}
        {%- endfor -%}
    {%- else -%}
        {%- do months.append('(current_date)') -%}
    {%- endif -%}
    {{ return(months) }}
{%- endmacro %}


{#-
    `where <column> between <first window start> and <last month end>` of the run's months on an incremental
    run, nothing on a full refresh: a constant range, so the filter reaches the input's index (a join to the
    as-of windows alone would not). The join to effect_as_of_windows() still cuts each month at its own cutoff.
-#}
{% macro effect_input_filter(column='business_date') -%}
    {%- if is_incremental() -%}
        {%- set dates = run_dates() -%}
        {%- if dates is not none -%}
            where {{ column }} between
                cast(date_trunc('month', {{ dates.first }}) as date) - {{ (var('effect_lookback_days') | int) - 1 }}
                and cast(date_trunc('month', {{ dates.last }}) + interval '1 month' - interval '1 day' as date)
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
