{#-
    One-sided exact Poisson rate-ratio test (H0: the current rate is no higher than the previous one), the
    conditional form: given n = n1 + n0 events over exposures t1 and t0, n1 ~ Binomial(n, π) with
    π = t1 / (t1 + t0) under H0 (π = ½ for two whole weeks), and

        p = P(X ≥ n1) = Σ_{k = n1..n} C(n, k) π^k (1 − π)^(n − k).

    Summed exactly, term by term, in SQL (double precision): ln C(n, k) = Σ_{j = 1..k} (ln(n − j + 1) − ln j), a
    running sum over generate_series(0, n) — log-factorial differences, so no factorial overflows and no normal
    approximation at any count. p = 1 when n1 = 0 or when an exposure is 0 (no previous period to compare with).
    Renders a scalar expression (a correlated subquery), usable in any select list:
        {{ poisson_rate_ratio_p_value('n1', 'n0', 't1', 't0') }} as p_value
-#}
{% macro poisson_rate_ratio_p_value(current_count, previous_count, current_exposure, previous_exposure) -%}
    {%- set n1 = '(' ~ current_count ~ ')' -%}
    {%- set n = '(' ~ current_count ~ ' + ' ~ previous_count ~ ')' -%}
    {%- set share = 'cast((' ~ current_exposure ~ ') as double precision) / ((' ~ current_exposure ~ ') + ('
        ~ previous_exposure ~ '))' -%}
    case
        when {{ n1 }} <= 0 or ({{ current_exposure }}) <= 0 or ({{ previous_exposure }}) <= 0 then 1.0
        else least(1.0, (
            select
                -- exp() raises on underflow in Postgres; terms below e^-700 add nothing a double can hold
                coalesce(sum(case when log_term > -700 then exp(log_term) else 0 end), 0)
            from (
                select
                    k,
                    sum(case when k = 0 then 0.0 else ln(cast({{ n }} - k + 1 as double precision)) - ln(cast(k as double precision)) end)
                        over (order by k)
                    + k * ln({{ share }})
                    + ({{ n }} - k) * ln(1 - {{ share }}) as log_term
                from generate_series(0, {{ n }}) as k
            ) as binomial_terms
            where k >= {{ n1 }}
        ))
    end
{%- endmacro %}
