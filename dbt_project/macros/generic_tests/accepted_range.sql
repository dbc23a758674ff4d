{#-
    Generic test: every non-null value of the column lies in [min_value, max_value] (either bound may be
    omitted; inclusive=false makes the bounds strict). Rates use min_value: 0, max_value: 1.
        columns:
          - name: base_churn_rate
            data_tests:
              - accepted_range:
                  arguments: {min_value: 0, max_value: 1}
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
    {%- if min_value is none and max_value is none -%}
        {{ exceptions.raise_compiler_error("accepted_range needs min_value or max_value") }}
    {%- endif -%}
    {%- set lower_op = '<' if inclusive else '<=' -%}
    {%- set upper_op = '>' if inclusive else '>=' -%}
    select {{ column_name }} as out_of_range_value
    from {{ model }}
    where {{ column_name }} is not null
      and (
        false
        {%- if min_value is not none %} or {{ column_name }} {{ lower_op }} {{ min_value }}{% endif %}
        {%- if max_value is not none %} or {{ column_name }} {{ upper_op }} {{ max_value }}{% endif %}
      )
{% endtest %}
