-- Every leaf code behind each role of seed signal_roles. A role names a code, a dimension or a family;
-- utterance-level steps match a tag by its leaf code, so the role is expanded to its leaves here, once.

with

signal_roles as (
    select * from {{ ref('signal_roles') }}
),

taxonomy_codes as (
    select * from {{ ref('stg_tags__taxonomy_codes') }}
),

expanded as (
    select distinct
        signal_roles.role,
        taxonomy_codes.tag_code,
        taxonomy_codes.spoken_by
    from signal_roles
    inner join taxonomy_codes
        on signal_roles.signal = case signal_roles.signal_level
            when 'code' then taxonomy_codes.tag_code
            when 'dimension' then taxonomy_codes.tag_dimension
            when 'family' then taxonomy_codes.tag_family
        end
)

select * from expanded
