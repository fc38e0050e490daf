"""1,000 signed, encrypted events sent while the receiver is restarted twice all land exactly once.

A real `siyu receive` process serves four client threads that behave like the platforms: an event is
sent again, freshly sealed (new nonce, new random bytes, new signature), until it is answered
`success`, and one in ten is sent again after its `success` (an answer the platform never got).
The receiver is killed twice while they send: once with SIGKILL from outside, at any point of a
request, and once from inside right after an event is fsync'ed and before its answer leaves
(crashing_receiver.py) — the event the platform then retries is already in the file. Afterwards the
first 100 events are sent once more. The landing must hold each event once, and load as 1,000 rows
with no duplicate and nothing quarantined.
"""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from urllib.parse import urlencode

import duckdb
from callbacks_support import OA, WECOM, oa_push, wecom_push, xml

from callbacks.store import FILE_NAME, Landing
from ingestion.load.loader import ensure_raw_schema, load_partition

ROOT = Path(__file__).resolve().parents[2]
EVENTS, WORKERS = 1000, 4
NOW = int(time.time()) - 3600


def oa_openid(i: int) -> str:
    """An openid of the platform's format: 28 characters."""
    return f"oTest{i:05d}".ljust(28, "_")


def event(i: int) -> tuple[str, dict]:
    if i % 2:
        follow = ("subscribe", "unsubscribe", "SCAN", "CLICK")[i // 2 % 4]
        return "/oa", {"ToUserName": "gh_10f6c3c3ac5a", "FromUserName": oa_openid(i),
                       "CreateTime": NOW + i, "MsgType": "event", "Event": follow}
    change = ("add_external_contact", "del_follow_user", "edit_external_contact")[i % 3]
    return "/wecom", {"ToUserName": WECOM["WECOM_CORP_ID"], "FromUserName": "sys", "CreateTime": NOW + i,
                      "MsgType": "event", "Event": "change_external_contact", "ChangeType": change,
                      "UserID": f"guide{i % 7}", "ExternalUserID": f"wmTest{i:05d}"}


def send(port: int, i: int, attempt: int) -> int | None:
    path, fields = event(i)
    make = wecom_push if path == "/wecom" else oa_push
    query, body = make(xml(fields), ts=str(NOW + i + attempt), nonce=f"{i}-{attempt}",
                       random16=random.randbytes(16))
    try:
        conn = HTTPConnection("127.0.0.1", port, timeout=5)  # the platforms wait 5 s for an answer
        conn.request("POST", f"{path}?{urlencode(query)}", body, {"Content-Type": "text/xml"})
        response = conn.getresponse()
        ok = response.status if response.read() == b"success" else None
        conn.close()
        return ok
    except (OSError, HTTPException):  # refused while restarting, reset by a kill, or killed between
        return None  # the answer's headers and its body (IncompleteRead): the platform retries


def _default_stop_signals() -> None:
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, signal.SIG_DFL)


def start(port: int, env: dict, crash_after: int = 0) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "orchestration.cli", "receive", "--port", str(port)]
    if crash_after:
        cmd = [sys.executable, str(ROOT / "tests/callbacks/crashing_receiver.py"), str(port)]
    # SIGTERM and SIGINT as a service manager leaves them: a process started in the background
    # without job control ignores SIGINT, Dagster (imported by other tests of this worker) hands
    # SIGINT's disposition to SIGTERM, and an ignored signal stays ignored across exec — uvicorn
    # would then restore "ignore" after its graceful stop and exit 0 instead of by the signal
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**env, "CRASH_AFTER_WRITES": str(crash_after)},
                            stderr=open(Path(env["SIYU_LANDING_DIR"]).parent / "receiver.log", "ab"),
                            preexec_fn=_default_stop_signals)
    for _ in range(200):
        try:
            HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return proc
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the receiver did not start")


def test_1000_events_with_two_restarts_land_exactly_once(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    landing = tmp_path / "landing"
    env = {**os.environ, **WECOM, **OA, "SIYU_LANDING_DIR": str(landing), "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    proc = start(port, env)
    todo, acked, attempts, lock = list(range(EVENTS)), [], [0], threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not todo:
                    return
                i = todo.pop(0)
            tries = 0
            while send(port, i, tries) != 200:
                tries += 1
                time.sleep(0.05)
            if i % 10 == 3:  # the answer got lost on its way back: the platform sends it again
                while send(port, i, tries + 1) != 200:
                    tries += 1
            with lock:
                acked.append(i)
                attempts[0] += tries + 1 + (i % 10 == 3)

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    while len(acked) < 300:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)  # restart 1: killed from outside, mid-request
    proc.wait()
    proc = start(port, env, crash_after=300)  # restart 2: dies after its 300th line, before answering
    assert proc.wait(timeout=40) == 137
    proc = start(port, env)
    for t in threads:
        t.join(timeout=40)
    resent = [send(port, i, 99) for i in range(100)]  # the first events again, after both restarts
    proc.send_signal(signal.SIGTERM)  # a service manager's stop: uvicorn finishes, then re-raises it
    assert proc.wait(timeout=15) == -signal.SIGTERM
    elapsed = time.monotonic() - started

    assert sorted(acked) == list(range(EVENTS)) and resent == [200] * 100
    assert not any(landing.rglob(FILE_NAME))  # today's files wait for the day's end, unseen by the loader
    after_today = Landing(landing, today=lambda: date.today() + timedelta(2))  # a receiver started later
    after_today.prepare([("wecom", "contact_event"), ("oa", "event")])
    files = sorted(landing.rglob(FILE_NAME))
    lines = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    landed = sorted(line.get("ExternalUserID") or line["FromUserName"] for line in lines)
    assert landed == sorted(f"wmTest{i:05d}" if i % 2 == 0 else oa_openid(i) for i in range(EVENTS))
    con = duckdb.connect()
    ensure_raw_schema(con)
    results = [load_partition(con, landing, f.parts[-4], f.parts[-3], date.fromisoformat(f.parts[-2]),
                              b"test-salt") for f in files]  # two files, four across midnight
    assert [sum(r.rows_loaded for r in results), sum(r.duplicates for r in results),
            sum(r.quarantined for r in results)] == [EVENTS, 0, 0]
    log = (tmp_path / "receiver.log").read_text(encoding="utf-8")
    assert log.count("Finished server process") == 1  # the last one, stopped gracefully
    assert "refused" not in log and "landing not written" not in log
    assert log.count("a repeat, already written") >= 100 + EVENTS // 10  # the resends, skipped
    assert [s for s in (*WECOM.values(), *OA.values(), "wmTest00000", "oTest00001") if s in log] == []
    print(f"\n{EVENTS} events, {attempts[0] + 100} requests, 2 restarts, {elapsed:.1f} s")
    assert elapsed < 60


def test_an_answer_cut_off_after_its_headers_is_a_send_to_retry():
    """A receiver killed between an answer's headers and its body: the platform got no `success`
    and sends again; the client above must see a failed send, not stop (IncompleteRead is an
    HTTPException, not an OSError)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)

        def answer_half() -> None:
            conn, _ = server.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n")  # and no body

        thread = threading.Thread(target=answer_half)
        thread.start()
        assert send(server.getsockname()[1], 1, 0) is None
        thread.join(timeout=5)
