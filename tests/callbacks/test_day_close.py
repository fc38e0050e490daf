"""A day's events stay out of the loader's sight until the day has ended, then appear as one file:
the landing sensor sees each callback day folder change once, not every 5 minutes all day."""

import asyncio
from datetime import date, timedelta

from callbacks_support import WECOM, acall, wecom_push, xml
from test_store import event

from callbacks.app import build_app
from callbacks.config import platforms
from callbacks.store import FILE_NAME, Landing
from ingestion.landing.changes import fingerprints
from ingestion.landing.layout import partition_files

DAY = date(2024, 5, 20)


class Clock:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def test_today_is_hidden_and_published_once_the_day_ends(tmp_path):
    clock = Clock(DAY)
    landing = Landing(tmp_path, today=clock)
    landing.append("wecom", "contact_event", event(1))
    assert partition_files(tmp_path, "wecom", "contact_event", DAY) == [] and fingerprints(tmp_path) == {}
    assert landing.close_days() == []  # the day has not ended
    clock.day = DAY + timedelta(1)
    assert landing.close_days() == [tmp_path / "wecom/contact_event/2024-05-20" / FILE_NAME]
    assert partition_files(tmp_path, "wecom", "contact_event", DAY) == landing.close_days() + [
        tmp_path / "wecom/contact_event/2024-05-20" / FILE_NAME]  # published once, nothing left to publish
    assert list(fingerprints(tmp_path)) == ["wecom/contact_event/2024-05-20"]


def test_the_first_event_of_a_day_publishes_the_day_before(tmp_path):
    clock = Clock(DAY)
    landing = Landing(tmp_path, today=clock)
    landing.append("wecom", "contact_event", event(1))
    clock.day = DAY + timedelta(1)
    landing.append("wecom", "contact_event", event(2))
    assert [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*.jsonl"))] == [
        "wecom/contact_event/2024-05-20/callbacks.jsonl", "wecom/contact_event/2024-05-21/.callbacks.jsonl"]


def test_days_that_ended_while_the_receiver_was_down_are_published_at_start(tmp_path):
    Landing(tmp_path, today=lambda: DAY).append("wecom", "contact_event", event(1))
    Landing(tmp_path, today=lambda: DAY + timedelta(3)).prepare([("wecom", "contact_event")])
    assert partition_files(tmp_path, "wecom", "contact_event", DAY) == [
        tmp_path / "wecom/contact_event/2024-05-20" / FILE_NAME]


def test_a_published_day_written_again_keeps_one_file(tmp_path):
    """The clock stepped back over midnight: the published day takes the line, no second file."""
    clock = Clock(DAY + timedelta(1))
    Landing(tmp_path, today=lambda: DAY).append("wecom", "contact_event", event(1))
    landing = Landing(tmp_path, today=clock)
    landing.prepare([("wecom", "contact_event")])  # publishes 05-20
    clock.day = DAY
    landing.append("wecom", "contact_event", event(2))
    assert partition_files(tmp_path, "wecom", "contact_event", DAY) == [
        tmp_path / "wecom/contact_event/2024-05-20" / FILE_NAME]
    assert len((tmp_path / "wecom/contact_event/2024-05-20" / FILE_NAME).read_text().splitlines()) == 2


def test_the_running_app_publishes_an_ended_day_without_waiting_for_an_event(tmp_path):
    clock = Clock(DAY)
    app = build_app(platforms(WECOM), Landing(tmp_path, today=clock), close_every=0.01)
    push = wecom_push(xml({**event(1), "ToUserName": WECOM["WECOM_CORP_ID"]}))

    async def run() -> list:
        inbox: asyncio.Queue = asyncio.Queue()
        sent: list = []

        async def send(message):
            sent.append(message["type"])

        await inbox.put({"type": "lifespan.startup"})
        lifespan = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, send))
        while "lifespan.startup.complete" not in sent:
            await asyncio.sleep(0.005)
        assert await acall(app, "POST", "/wecom", *push) == (200, "success")
        await asyncio.sleep(0.05)
        before = partition_files(tmp_path, "wecom", "contact_event", DAY)
        clock.day = DAY + timedelta(1)  # midnight passes, no event arrives
        await asyncio.sleep(0.05)
        await inbox.put({"type": "lifespan.shutdown"})
        await lifespan
        return before

    assert asyncio.run(run()) == []
    assert partition_files(tmp_path, "wecom", "contact_event", DAY) == [
        tmp_path / "wecom/contact_event/2024-05-20" / FILE_NAME]
