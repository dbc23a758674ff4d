-- Every signal of the active taxonomy at the three levels marts key on (leaf code, dimension, family), with its
-- Chinese label and whose words can carry it, so a mart labels and scopes a signal without naming codes.

with

codes as (
    select * from {{ ref('stg_tags__taxonomy_codes') }}
),

listed as (
    select
        'code' as signal_level,
        tag_code as signal,
        tag_dimension,
        tag_family,
        tag_label as signal_label,
        spoken_by
    from codes

    union all

    select
        'dimension',
        tag_dimension,
        tag_dimension,
        tag_family,
        min(tag_dimension_label),
        case
            when bool_and(spoken_by = 'customer') then 'customer'
            when bool_and(spoken_by = 'agent') then 'agent'
            else 'any'
        end
    from codes
    group by tag_dimension, tag_family

    union all

    select
        'family',
        tag_family,
        null,
        tag_family,
        min(tag_family_label),
        case
            when bool_and(spoken_by = 'customer') then 'customer'
            when bool_and(spoken_by = 'agent') then 'agent'
            else 'any'
        end
    from codes
    group by tag_family
)

select * from listed
