{#- Every hand-over that names its new employee has two sides: a transfer_out of one employee and a
    transfer_in of the same customer by the employee it names, and every transfer_in has its
    transfer_out. (A DELETE_BY_TRANSFER with no add to pair with is a transfer_out naming nobody; a
    hand-over of a friendship older than the data — only its deletion loaded — is a transfer_in
    whose other side is no friendship of the data — even when the customer is handed back to that
    employee later: only a friendship begun before the transfer_in is its other side.) Fails with
    one-sided rows. -#}
with

friendships as (select * from {{ ref('int_wecom__friendships') }}),

transfers_out as (
    select * from friendships
    where end_kind = 'transfer_out'
),

transfers_in as (
    select * from friendships
    where start_kind = 'transfer_in'
),

final as (
    select
        coalesce(transfers_out.friendship_id, transfers_in.friendship_id) as friendship_id,
        transfers_out.friendship_id is null as is_missing_transfer_out,
        transfers_in.friendship_id is null as is_missing_transfer_in
    from transfers_out
    full outer join transfers_in
        on
            transfers_out.external_userid = transfers_in.external_userid
            and transfers_out.transferred_to_userid = transfers_in.userid
            and transfers_in.transferred_from_userid = transfers_out.userid
            and abs(
                {{ to_epoch_seconds('transfers_in.started_at') }}
                - {{ to_epoch_seconds('transfers_out.ended_at') }}
            )
            <= {{ var('transfer_window_hours') }} * 3600
    where
        (
            transfers_out.friendship_id is null
            and exists (
                select 1 from friendships as handed_over
                where
                    handed_over.external_userid = transfers_in.external_userid
                    and handed_over.userid = transfers_in.transferred_from_userid
                    and handed_over.started_at < transfers_in.started_at
            )
        )
        or (transfers_in.friendship_id is null and transfers_out.transferred_to_userid is not null)
)

select * from final
