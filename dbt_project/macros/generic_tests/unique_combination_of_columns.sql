{#-
    Generic test: no two rows share the same values of combination_of_columns (a composite grain).
    Fails with one row per duplicated combination and how often it occurs.
        data_tests:
          - unique_combination_of_columns:
              arguments:
                combination_of_columns: [business_date, customer_id]
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns_csv = combination_of_columns | join(', ') -%}
    select {{ columns_csv }}, count(*) as n_rows
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1
{% endtest %}
