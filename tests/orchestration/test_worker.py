"""A worker process (orchestration/worker.py) imports its modules as it starts, runs the one call it
is sent and answers with the result; a call that raises, or a process that dies, comes back as a
RuntimeError saying why; a worker runs one call only; and a night's workers, used or not, are
stopped when the night ends."""

from pathlib import Path

import pytest

from orchestration.worker import NIGHT_WORKERS, NightWorkers, Worker, night_workers


def test_a_call_comes_back_with_its_result_from_a_process_that_imported_its_modules(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))  # worker_support, for the worker
    worker = Worker(["decimal"])
    try:
        # the worker's own sys.modules: the module it was told to import is there before the call
        got = worker.call("worker_support:loaded", "decimal", "xml.dom.minidom")
    finally:
        worker.close()
    assert got == {"decimal": True, "xml.dom.minidom": False}
    assert worker.used and worker.process.returncode == 0


def test_a_raising_call_brings_back_its_traceback_and_a_dead_worker_its_error_output():
    worker = Worker([])
    try:
        with pytest.raises(RuntimeError, match="(?s)failed in its worker process.*ZeroDivisionError"):
            worker.call("operator:truediv", 1, 0)
        with pytest.raises(RuntimeError, match="already ran operator:truediv"):
            worker.call("operator:add", 1, 2)
    finally:
        worker.close()
    dead = Worker(["a_module_that_does_not_exist"])
    try:
        with pytest.raises(RuntimeError, match="(?s)ended \\(1\\).*ModuleNotFoundError"):
            dead.call("operator:add", 1, 2)
    finally:
        dead.close()


def test_a_night_s_workers_are_taken_once_and_stopped_with_the_night(monkeypatch):
    monkeypatch.setenv("SIYU_NIGHT_WORKERS", "1")
    assert NIGHT_WORKERS.get() is None
    with night_workers() as workers:
        assert NIGHT_WORKERS.get() is workers
        assert workers.start("a", []) and not workers.start("a", [])  # one worker a name
        workers.start("b", [])
        a = workers.take("a")
        assert a is not None and a.call("operator:add", 2, 3) == 5
        assert workers.take("a") is None and workers.take("nobody") is None  # used; never started
        b = workers.started["b"]
        assert b.process.poll() is None  # b waits for its call
    assert NIGHT_WORKERS.get() is None
    assert b.process.poll() is not None  # stopped with the night, never asked
    assert isinstance(workers, NightWorkers)


def test_a_worker_works_in_the_night_s_folder(tmp_path, monkeypatch):
    # a warehouse or docs folder given relative to where `siyu run` started means the same file there
    monkeypatch.chdir(tmp_path)
    worker = Worker([])
    try:
        assert Path(worker.call("os:getcwd")) == tmp_path
    finally:
        worker.close()


def test_what_a_call_prints_does_not_corrupt_its_answer(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))
    worker = Worker([])
    try:
        assert worker.call("worker_support:chatty", 3) == 9
    finally:
        worker.close()


def test_an_answer_can_be_taken_before_its_process_ends_which_then_ends_by_itself(tmp_path, monkeypatch):
    import time

    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))
    marker = tmp_path / "ended"
    worker = Worker([])
    try:
        worker.send("worker_support:slow_to_end", 3.0, str(marker))
        started = time.monotonic()
        assert worker.result(wait_exit=False) == "answered"
        assert time.monotonic() - started < 2.5  # not the 3 s the process takes to end
        assert worker.process.poll() is None and not marker.exists()
    finally:
        worker.close()  # waits for it: an answered worker is not killed mid-teardown
    assert marker.read_text() == "ended by itself" and worker.process.returncode == 0
    waited = Worker([])
    try:
        waited.send("worker_support:slow_to_end", 1.0, str(tmp_path / "waited"))
        assert waited.result() == "answered"  # by default, after the process ended
        assert waited.process.returncode == 0 and (tmp_path / "waited").exists()
    finally:
        waited.close()
