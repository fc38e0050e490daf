"""Hand-written checks on hand-made day counts: volume against the trailing seven days (and its
blocking floor), the quarantined share, the unlinkable-phone share, per-file accounting and
freshness (amounts, repeats and mostly-quarantined files have their own modules)."""

from datetime import date, timedelta

from quality.custom import MAX_QUARANTINE_SHARE, MIN_BASELINE_ROWS, quarantine_share, unlinkable_share, volume
from quality.deliveries import accounting, freshness, volume_floor

DAY = date(2026, 10, 20)
WEEK = [DAY - timedelta(n) for n in range(7, 0, -1)]


def events(today: int, usual: int = 100) -> dict:
    return {**{d: usual for d in WEEK}, DAY: today}


def test_volume_within_half_to_five_times_the_trailing_median_passes():
    for today in (50, 100, 500):
        assert volume([DAY], events(today), "events", WEEK[0]).success, today


def test_volume_below_half_or_above_five_times_warns_and_names_the_day():
    for today in (49, 501, 0):
        finding = volume([DAY], events(today), "events", WEEK[0])
        assert not finding.success and finding.failed_days == (DAY,), today
        assert finding.observed == today / 100
    assert not finding.blocking and finding.severity == "warn"


def test_an_event_feed_day_without_a_file_counts_as_zero_rows():
    counts = events(100)
    del counts[DAY]
    assert volume([DAY], counts, "events", WEEK[0]).failed_days == (DAY,)


def test_median_not_mean_one_campaign_day_does_not_raise_the_bar():
    counts = events(60)
    counts[WEEK[-1]] = 5_000  # a 双11-sized spike yesterday
    assert volume([DAY], counts, "events", WEEK[0]).success


def test_small_feeds_and_new_feeds_are_not_judged():
    small = events(0, usual=MIN_BASELINE_ROWS - 1)
    assert volume([DAY], small, "events", WEEK[0]).success
    new = {DAY - timedelta(1): 100, DAY - timedelta(2): 100, DAY: 0}  # two days of history
    assert volume([DAY], new, "events", DAY - timedelta(2)).success
    assert volume([DAY], new, "events", DAY - timedelta(3)).failed_days == (DAY,)  # 3rd day had no events


def test_snapshots_are_judged_on_arrival_against_the_snapshot_in_force():
    weekly = {WEEK[0] - timedelta(7): 1000, WEEK[0]: 1000}
    assert volume([DAY], weekly, "snapshot", WEEK[0] - timedelta(7)).success  # no snapshot today: it holds
    assert volume([DAY], {**weekly, DAY: 1100}, "snapshot", WEEK[0] - timedelta(7)).success
    shrunk = volume([DAY], {**weekly, DAY: 400}, "snapshot", WEEK[0] - timedelta(7))
    assert shrunk.failed_days == (DAY,) and shrunk.details["days"][str(DAY)]["trailing_median"] == 1000


def test_a_range_reports_every_failing_day():
    counts = {**{DAY - timedelta(n): 100 for n in range(1, 15)}, DAY: 100}
    counts[DAY - timedelta(3)] = 10
    assert volume(
        [DAY - timedelta(n) for n in range(5, -1, -1)], counts, "events", DAY - timedelta(14)
    ).failed_days == (DAY - timedelta(3),)


def test_quarantine_share_warns_above_five_percent_with_enough_rows_or_a_whole_file():
    assert quarantine_share([DAY], {DAY: (1000, 50)}, {}).success  # exactly 5%
    assert not quarantine_share([DAY], {DAY: (1000, 51)}, {}).success
    assert quarantine_share([DAY], {DAY: (4, 1)}, {}).success  # 25%, but one row of a tiny day
    whole = quarantine_share([DAY], {DAY: (3, 3)}, {DAY: ["tmall/trade/2026-10-20/a.csv"]})
    assert whole.failed_days == (DAY,) and whole.details["days"][str(DAY)]["whole_files"]
    assert MAX_QUARANTINE_SHARE == 0.05


def test_unlinkable_phone_share_warns_on_a_rise_not_on_a_masked_by_design_field():
    masked_always = {d: (200, 200) for d in [*WEEK, DAY]}
    assert unlinkable_share([DAY], "receiver_phone_kind", masked_always).success
    usual = {d: (200, 20) for d in WEEK}
    assert unlinkable_share([DAY], "buyer_phone_kind", {**usual, DAY: (200, 55)}).success  # 27.5% vs 10%
    rise = unlinkable_share([DAY], "buyer_phone_kind", {**usual, DAY: (200, 70)})  # 35% vs 10%
    assert rise.failed_days == (DAY,) and rise.column == "buyer_phone_kind"
    assert unlinkable_share([DAY], "buyer_phone_kind", {**usual, DAY: (20, 20)}).success  # too few phones


def test_volume_floor_blocks_half_a_feed_missing_but_not_ordinary_noise():
    # median 200: floor = 200 - max(0.4 * 200, 5 * sqrt(200) = 70.7) = 120
    for today, blocks in ((100, True), (119, True), (120, False), (150, False), (2_000, False)):
        finding = volume_floor([DAY], events(today, usual=200), "events", WEEK[0])
        assert finding.success is not blocks, today
        assert finding.blocking
    assert (
        volume_floor([DAY], events(100, usual=200), "events", WEEK[0]).details["days"][str(DAY)]["floor"]
        == 120
    )
    # median 50: floor = 50 - 5 * sqrt(50) = 14.6; half missing (25) is within a small feed's noise
    assert volume_floor([DAY], events(25, usual=50), "events", WEEK[0]).success
    assert not volume_floor([DAY], events(14, usual=50), "events", WEEK[0]).success


def test_volume_floor_judges_only_delivered_days():
    counts = events(0, usual=200)
    del counts[DAY]  # no file today: the warning and freshness report it, it does not block
    assert volume_floor([DAY], counts, "events", WEEK[0]).success
    assert not volume([DAY], counts, "events", WEEK[0]).success


def test_a_snapshot_that_drops_most_of_its_rows_blocks():
    weekly = {WEEK[0]: 5_000, WEEK[3]: 5_050}
    assert volume_floor([DAY], {**weekly, DAY: 5_100}, "snapshot", WEEK[0]).success
    dropped = volume_floor([DAY], {**weekly, DAY: 900}, "snapshot", WEEK[0])
    assert dropped.failed_days == (DAY,) and dropped.blocking


def test_accounting_balances_every_file_against_what_is_stored():
    ok = (DAY, "f.csv", 10, 7, 1, 2, 7, 2)
    assert accounting([ok]).success
    for broken in (
        (DAY, "f.csv", 10, 7, 1, 1, 7, 1),  # one row unaccounted for
        (DAY, "f.csv", 10, 7, 1, 2, 6, 2),  # the raw table lost a row
        (DAY, "f.csv", 10, 7, 1, 2, 7, 3),  # a quarantined row more than logged
        (DAY, "g.csv", 0, 0, 0, 0, 5, 0),  # rows of a file the load log does not know
    ):
        finding = accounting([ok, broken])
        assert not finding.success and finding.blocking and finding.details["files"][0]["file"] == broken[1]


def test_freshness_warns_when_the_newest_delivery_lags_the_cadence():
    assert freshness(DAY, DAY - timedelta(2), stale_after_days=2).success  # daily feed, two days late
    late = freshness(DAY, DAY - timedelta(3), stale_after_days=2)
    assert not late.success and late.observed == 3 and not late.blocking
    assert freshness(DAY, DAY - timedelta(8), stale_after_days=8).success  # weekly snapshot
    assert not freshness(DAY, None, stale_after_days=8).success  # never delivered


def test_contracts_declare_their_cadence():
    from ingestion.contracts import CONTRACTS

    assert {c.kind: c.stale_after_days for c in CONTRACTS.values()} == {"events": 2, "snapshot": 8}


def test_campaign_driven_feeds_are_not_held_to_the_floor():
    from ingestion.contracts import CONTRACTS

    assert not volume_floor([DAY], events(0, usual=200), "events", WEEK[0], steady=False).failed_days
    steady = {key for key, c in CONTRACTS.items() if c.volume_is_steady and c.kind == "events"}
    assert steady == {("youzan", "trade"), ("tmall", "trade"), ("pos", "receipt")}
    assert all(c.volume_is_steady for c in CONTRACTS.values() if c.kind == "snapshot")
