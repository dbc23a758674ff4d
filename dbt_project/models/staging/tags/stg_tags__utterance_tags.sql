with

source as (
    select * from {{ source('tags', 'utterance_tags') }}
    where taxonomy_version = {{ var('taxonomy_version') | int }}
),

renamed as (
    select
        business_date,
        taxonomy_version,
        utterance_id,
        code as tag_code,
        family as tag_family
    from source
)

select * from renamed
