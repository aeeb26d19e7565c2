"""Runs started from the web page: a queue served one at a time, each run in its own process.

A job calls the manager's ``runner`` (``goldendome serve`` hands it
:func:`goldendome.app.run.run`) in a spawned child process (the server stays responsive, and a
stuck run can be stopped), which stores the run in the DuckDB store; the server reads it back
from there. Jobs live in memory: restarting the server forgets them, not
the runs they stored.

States: ``queued`` -> ``running`` -> ``done`` (with ``run_id`` and ``summary``) or
``failed`` (with a one-line ``error``). While running, the child reports each pipeline stage
(``goldendome.app.run.STAGES``) with the fraction of the run before it; ``expected_s`` is the duration of
the last finished job with the same scenario, objects and trials, when there is one.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

MAX_QUEUED = 8  # jobs waiting; more are refused (HTTP 429) so one page cannot pile up hours of work
JOB_TIMEOUT_S = 3600.0  # a run that takes longer is stopped
MAX_KEPT = 200  # jobs kept in memory; beyond it the oldest finished ones are forgotten (GET /api/jobs/ID: 404)
MAX_DURATIONS = 256  # past durations kept for expected_s, oldest dropped first
# runner(path, trials, seed, store_path, progress=callback(stage, fraction_done)) -> run summary with run_id
Runner = Callable[..., dict]


@dataclass
class Job:
    """One requested run and what became of it."""

    id: str
    path: str
    request: dict = field(default_factory=dict)  # what was asked: scenario, architecture, threat set, trials, seed
    state: str = "queued"
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    run_id: str | None = None
    summary: dict | None = None
    error: str | None = None
    expected_s: float | None = None
    stage: str | None = None  # the pipeline stage running now (from the child)
    fraction: float | None = None  # the run's fraction done when that stage started

    def view(self) -> dict:
        """The job as the API shows it (no server paths)."""
        d = asdict(self)
        d.pop("path")
        now = self.finished or time.time()
        d["elapsed_s"] = round(now - self.started, 1) if self.started else 0.0
        d["progress"] = _progress(self)
        return d


def _progress(job: Job) -> float:
    """0 queued, 1 done or failed; while running, elapsed over the expected time (capped at 0.95)."""
    if job.state in ("done", "failed"):
        return 1.0
    if job.state != "running" or not job.started:
        return 0.0
    if job.fraction is not None:
        return round(min(0.99, max(job.fraction, 0.01)), 3)
    if not job.expected_s:
        return 0.05
    return round(min(0.95, (time.time() - job.started) / job.expected_s), 3)


def _child(runner: Runner, path: str, trials, seed, store: str, conn) -> None:
    """Child process: one run; sends ('ok', summary) or ('error', message)."""
    try:
        def progress(stage: str, done: float) -> None:
            conn.send(("progress", (stage, done)))

        conn.send(("ok", runner(path, trials, seed, store, progress=progress)))
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the job as one line
        conn.send(("error", f"{type(exc).__name__}: {exc}".splitlines()[0]))
    finally:
        conn.close()


class JobManager:
    """Queue of runs on one worker thread; each run in a spawned process."""

    def __init__(self, store_path: str, runner: Runner | None = None, *, timeout_s: float = JOB_TIMEOUT_S,
                 keep: int = MAX_KEPT):
        if runner is not None:
            _check_picklable(runner)
        self.store_path = str(store_path)
        self.runner = runner
        self.timeout_s = timeout_s
        self.keep = max(1, int(keep))
        self._jobs: dict[str, Job] = {}
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._proc: mp.process.BaseProcess | None = None
        self._durations: dict[tuple, float] = {}
        self._thread = threading.Thread(target=self._loop, name="goldendome-jobs", daemon=True)
        self._thread.start()

    @property
    def can_run(self) -> bool:
        """Whether this manager was handed a runner."""
        return self.runner is not None

    def submit(self, path: str, request: dict) -> Job:
        """Queue a run of scenario file ``path`` (``request`` holds trials and seed, and is shown back).

        Raises OverflowError when :data:`MAX_QUEUED` jobs are waiting."""
        with self._lock:
            if sum(j.state == "queued" for j in self._jobs.values()) >= MAX_QUEUED:
                raise OverflowError(f"{MAX_QUEUED} runs are already waiting; try again when one has finished")
            job = Job(id="j" + uuid.uuid4().hex[:12], path=str(path), request=dict(request))
            job.expected_s = self._durations.get(self._key(job))
            self._jobs[job.id] = job
            self._evict()
        self._queue.put(job)
        return job

    def _evict(self) -> None:
        """Forget the oldest finished jobs beyond :attr:`keep` (queued and running ones stay); call under the lock."""
        extra = len(self._jobs) - self.keep
        if extra <= 0:
            return
        finished = sorted((j for j in self._jobs.values() if j.state in ("done", "failed")), key=lambda j: j.created)
        for j in finished[:extra]:
            del self._jobs[j.id]

    @staticmethod
    def _key(job: Job) -> tuple:
        """Jobs alike in cost: the same request but for the seed."""
        return tuple(sorted((k, str(v)) for k, v in job.request.items() if k != "seed"))

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def all(self) -> list[Job]:
        """Every job, newest first."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._run(job)

    def _run(self, job: Job) -> None:
        job.state, job.started = "running", time.time()
        try:
            status, payload = self._in_child(job)
        except Exception as exc:  # noqa: BLE001 - a job that cannot start fails; the queue goes on
            status, payload = "error", f"the run could not start ({type(exc).__name__}: {exc})".splitlines()[0]
        job.finished = time.time()
        if status == "ok":
            job.state, job.summary, job.run_id = "done", payload, payload.get("run_id")
            with self._lock:
                key = self._key(job)
                self._durations.pop(key, None)  # re-inserted as the newest
                self._durations[key] = job.finished - job.started
                while len(self._durations) > MAX_DURATIONS:
                    del self._durations[next(iter(self._durations))]
        else:
            job.state, job.error = "failed", payload

    def _in_child(self, job: Job) -> tuple[str, object]:
        ctx = mp.get_context("spawn")
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(self.runner, job.path, job.request.get("trials"), job.request.get("seed"),
                                                self.store_path, send), daemon=True)
        proc.start()
        send.close()
        self._proc = proc
        try:
            return _wait(proc, recv, self.timeout_s, lambda stage, done: _note(job, stage, done))
        finally:
            self._proc = None
            recv.close()

    def shutdown(self) -> None:
        """Stop the worker and any run in progress (by its own process)."""
        self._queue.put(None)
        proc = self._proc
        if proc is not None and proc.is_alive():
            proc.terminate()
            proc.join(5)


def _check_picklable(runner: Runner) -> None:
    """A runner travels to a spawned process by reference: a module-level function, not a lambda."""
    try:
        pickle.dumps(runner)
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise TypeError(f"runner {runner!r} cannot be sent to a run process ({exc}); "
                        "give a module-level function such as goldendome.app.run.run") from None


def _note(job: Job, stage: str, done: float) -> None:
    job.stage, job.fraction = stage, float(done)


def _wait(proc, recv, timeout_s: float, on_progress=lambda stage, done: None) -> tuple[str, object]:
    """The child's final message (progress messages go to ``on_progress``), or an error when it
    dies or runs past ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while recv.poll(max(0.0, deadline - time.monotonic())):
        try:
            msg = recv.recv()
        except EOFError:
            msg = None
        if msg is not None and msg[0] == "progress":
            on_progress(*msg[1])
            continue
        proc.join(10)
        if msg is not None:
            return msg
        return "error", f"the run process ended without a result (exit code {proc.exitcode})"
    if proc.is_alive():
        proc.terminate()
        proc.join(5)
        return "error", f"the run took longer than {timeout_s:.0f} s and was stopped"
    return "error", f"the run process ended without a result (exit code {proc.exitcode})"
