{#-
    95 % intervals of the VoC marts (marts_voc) that macros/intervals.sql does not have; they build on its
    Wilson interval (wilson_low / wilson_high) and z (ci_z(), var effect_ci_z). Analytic and deterministic.
    Every argument is an SQL expression.

      voc_nps_low / voc_nps_high          NPS = p − d from one multinomial sample (promoter and detractor
                                          shares are negatively correlated): MOVER of their Wilson intervals.
      voc_t975                            Student t quantile t(0.975; df).
      voc_mean_t_low / voc_mean_t_high    a mean score on a bounded scale: t interval clipped to the scale.
-#}


{#-
    NPS interval by the MOVER of Zou & Donner (2008), Newcombe's hybrid score approach for a difference, here
    of two correlated shares: NPS = p − d with p = P/n promoters and d = D/n detractors. With Wilson intervals
    (l₁, u₁) of p and (l₂, u₂) of d and r = corr(p̂, d̂) = −√(p d / ((1 − p)(1 − d))) (0 when p or d is 0 or 1):
        low  = (p − d) − √((p − l₁)² + (u₂ − d)² − 2 r (p − l₁)(u₂ − d))
        high = (p − d) + √((u₁ − p)² + (d − l₂)² − 2 r (u₁ − p)(d − l₂))
    For large n this is the Wald interval of the trinomial difference, var = (p + d − (p − d)²)/n; for small n
    or extreme shares it stays inside [−1, 1], is never of zero width and always contains the NPS (the
    adjusted Wald of Rocks 2016 can exclude it: NPS 100 from one promoter gets −48.5..98.5). A fraction
    (multiply by 100 for NPS points). Null when n = 0.
-#}
{% macro voc_nps_low(promoters, detractors, responses) -%}
    {{ voc_nps_bound(promoters, detractors, responses, '-') }}
{%- endmacro %}

{% macro voc_nps_high(promoters, detractors, responses) -%}
    {{ voc_nps_bound(promoters, detractors, responses, '+') }}
{%- endmacro %}

{% macro voc_nps_bound(promoters, detractors, responses, sign) -%}
    {%- set n = 'cast((' ~ responses ~ ') as double precision)' -%}
    {%- set p = '(cast((' ~ promoters ~ ') as double precision) / ' ~ n ~ ')' -%}
    {%- set d = '(cast((' ~ detractors ~ ') as double precision) / ' ~ n ~ ')' -%}
    {%- set r = '(case when ' ~ p ~ ' * ' ~ d ~ ' > 0 then -sqrt(' ~ p ~ ' * ' ~ d ~ ' / ((1 - ' ~ p ~ ') * (1 - '
        ~ d ~ '))) else 0 end)' -%}
    {%- if sign == '-' -%}
        {%- set a = '(' ~ p ~ ' - ' ~ wilson_low(p, n) ~ ')' -%}
        {%- set b = '(' ~ wilson_high(d, n) ~ ' - ' ~ d ~ ')' -%}
    {%- else -%}
        {%- set a = '(' ~ wilson_high(p, n) ~ ' - ' ~ p ~ ')' -%}
        {%- set b = '(' ~ d ~ ' - ' ~ wilson_low(d, n) ~ ')' -%}
    {%- endif -%}
    case when ({{ responses }}) > 0 then
        cast({{ p }} - {{ d }} {{ sign }} sqrt(greatest(0.0,
            power({{ a }}, 2) + power({{ b }}, 2) - 2 * {{ r }} * {{ a }} * {{ b }})) as double precision)
    end
{%- endmacro %}


{#-
    Student t quantile t(0.975; df) for the 95 % level: exact values for df 1..9, the Cornish–Fisher expansion
    of Abramowitz & Stegun 26.7.5 (four terms) from df 10 on, whose error there is below 1e-5 (3e-7 from df
    20). Tabulated for 95 % only, so a build stops if var effect_ci_z is set to another level.
-#}
{% macro voc_t975(df) -%}
    {%- set z = 1.959963984540054 -%}
    {%- if execute and ((ci_z() | float) - z) | abs > 1e-5 -%}
        {{ exceptions.raise_compiler_error(
            "voc_t975 is the 95% t quantile but var effect_ci_z is " ~ ci_z() ~ "; extend macros/voc_intervals.sql") }}
    {%- endif -%}
    {%- set g1 = (z ** 3 + z) / 4 -%}
    {%- set g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96 -%}
    {%- set g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384 -%}
    {%- set g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160 -%}
    {%- set exact = [12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836,
                     2.446911851, 2.364624252, 2.306004135, 2.262157163] -%}
    {%- set v = 'cast((' ~ df ~ ') as double precision)' -%}
    case
        {%- for value in exact %}
        when ({{ df }}) = {{ loop.index }} then {{ value }}
        {%- endfor %}
        when ({{ df }}) >= 10 then {{ z }} + {{ g1 }} / {{ v }} + {{ g2 }} / power({{ v }}, 2)
            + {{ g3 }} / power({{ v }}, 3) + {{ g4 }} / power({{ v }}, 4)
    end
{%- endmacro %}


{#-
    t interval of a mean score on a bounded scale (CSAT 1–5, CES 1–7): mean ∓ t(0.975; n − 1)·sd/√n,
    clipped to [scale_min, scale_max]; with fewer than two responses the spread is unknown and the interval
    is the whole scale (wide, never missing). Null when n = 0.
-#}
{% macro voc_mean_t_low(mean, sd, responses, scale_min, scale_max) -%}
    {{ voc_mean_t_bound(mean, sd, responses, scale_min, scale_max, '-') }}
{%- endmacro %}

{% macro voc_mean_t_high(mean, sd, responses, scale_min, scale_max) -%}
    {{ voc_mean_t_bound(mean, sd, responses, scale_min, scale_max, '+') }}
{%- endmacro %}

{% macro voc_mean_t_bound(mean, sd, responses, scale_min, scale_max, sign) -%}
    case
        when ({{ responses }}) >= 2 then
            greatest({{ scale_min }}, least({{ scale_max }},
                cast(({{ mean }}) as double precision) {{ sign }} ({{ voc_t975('(' ~ responses ~ ') - 1') }})
                    * cast(({{ sd }}) as double precision) / sqrt(cast(({{ responses }}) as double precision))))
        when ({{ responses }}) = 1 then {{ scale_min if sign == '-' else scale_max }}
    end
{%- endmacro %}
