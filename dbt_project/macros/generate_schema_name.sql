{#-
    Custom schemas are used verbatim: a model configured with +schema: staging lands in schema `staging`,
    not `<target_schema>_staging`. Each layer owns one schema (staging, intermediate, marts_customer,
    marts_roi, reference) so grants and row-level security can be given per schema. Nodes without a
    custom schema land in the target's schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
