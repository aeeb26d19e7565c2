"""A running job reports the pipeline stage its child process is in."""

import multiprocessing as mp

from goldendome.app import run as app_run
from goldendome.web import jobs


class _Alive:
    exitcode = None

    def join(self, timeout=None):
        pass

    def is_alive(self):
        return False


def test_progress_messages_reach_the_job_and_the_result_ends_the_wait():
    recv, send = mp.Pipe(duplex=False)
    for stage, done in (("fly threats", 0.0), ("sensors and tracks", 0.05), ("Monte Carlo", 0.92)):
        send.send(("progress", (stage, done)))
    send.send(("ok", {"run_id": "r1"}))
    job = jobs.Job("j1", "x.yaml", state="running", started=1.0)
    seen = []
    status, payload = jobs._wait(_Alive(), recv, 5.0, lambda s, d: (seen.append(s), jobs._note(job, s, d)))
    assert status == "ok" and payload == {"run_id": "r1"}
    assert seen == ["fly threats", "sensors and tracks", "Monte Carlo"]
    assert job.view()["progress"] == 0.92 and job.view()["stage"] == "Monte Carlo"


def test_stage_fractions_increase_to_one():
    fractions = [sum(w for _, w in app_run.STAGES[:k]) for k in range(len(app_run.STAGES) + 1)]
    assert fractions == sorted(fractions) and abs(fractions[-1] - 1.0) < 1e-9


def test_a_runner_that_cannot_reach_a_run_process_is_refused_when_the_server_starts():
    import pytest

    with pytest.raises(TypeError, match="module-level function"):
        jobs.JobManager("s.duckdb", runner=lambda *a, **k: {})


def test_a_job_that_cannot_start_fails_and_the_queue_goes_on(monkeypatch):
    import time

    manager = jobs.JobManager("s.duckdb", runner=app_run.run)
    calls = []

    def broken(job):
        calls.append(job.id)
        if len(calls) == 1:
            raise OSError("no process for you")
        return "ok", {"run_id": "r2"}

    monkeypatch.setattr(manager, "_in_child", broken)
    first, second = manager.submit("a.yaml", {}), manager.submit("b.yaml", {})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and second.state != "done":
        time.sleep(0.05)
    manager.shutdown()
    assert first.state == "failed" and "could not start" in first.error and "no process for you" in first.error
    assert second.state == "done" and second.run_id == "r2"
