with

source as (
    select * from {{ source('tags', 'taxonomy_codes') }}
    where taxonomy_version = {{ var('taxonomy_version') | int }}
),

renamed as (
    select
        taxonomy_version,
        code as tag_code,
        dimension as tag_dimension,
        family as tag_family,
        label_zh as tag_label,
        dimension_label_zh as tag_dimension_label,
        family_label_zh as tag_family_label,
        speaker as spoken_by,
        definition as tag_definition
    from source
)

select * from renamed
