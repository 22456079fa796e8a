"""Batch builds on a Dask cluster: the pool's jobs, with every file a worker reads or writes sent as bytes.

A worker needs neither the project folder nor a shared disk. The client sends each job the cached
model, the publication's own files (not its source text: the model holds the words), the outputs
and page maps of the editions it reads, and once per build the layouts and fonts exactly as this
machine resolves them. The worker renders into a private scratch folder and sends the files back;
only the client writes into output/, atomically, as the process pool's workers do. A task that
fails is retried once (on any worker) before its failure is reported.

A task is one PDF layout (the brochure, the large print) or all of a publication's light editions
that are ready together (the web page and review page; the print file, booklet and EPUB once the
brochure is there): each task costs the scheduler, the client and the worker some milliseconds of
their own, and an edition that takes a few milliseconds to write is not worth them (Dask's own advice
is tasks of 100 ms or more). The graph keeps its shape: model → brochure → page map → large print,
the EPUB beside the large print.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import shutil
import signal
import sys
import tempfile
import threading
import uuid
from concurrent.futures import CancelledError
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from pipeline.atomic import write_bytes
from pipeline.build import Job, Result, code_hash, run_job, warm_up, worker_died
from pipeline.editions import EDITIONS
from pipeline.errors import PipelineError
from pipeline.readers import SOURCE_KINDS
from pipeline.resources import font_dirs, layout_dirs

INSTALL = "pip install '.[dask]'"
CONNECT_SECONDS = 10
# What `dask scheduler` prints (tcp://HOST:PORT, or tls://), or a bare HOST:PORT as Dask takes it.
ADDRESS = re.compile(r"(?:(?:tcp|tls)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})")
# A LocalCluster's workers do nothing but render: Dask's own sampling profiler and frequent monitors
# cost CPU that the renders need on a small machine (they are for its dashboard, which is not started).
LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.scheduler.work-stealing": False,
}
# The libraries whose version shapes the bytes of an edition: a worker must have the same as the client.
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools", "pikepdf", "ebooklib", "jinja2", "lxml")


def check_scheduler(address: str) -> None:
    """Refuse a --scheduler that is neither ``local`` nor an address, or Dask missing, before anything is built."""
    match = ADDRESS.fullmatch(address)
    if address != "local" and (match is None or not 0 < int(match.group(1)) < 65536):
        raise PipelineError(
            f"--scheduler {address!r} is neither 'local' nor the address of a Dask scheduler.",
            hint="Give the address `dask scheduler` prints, as tcp://HOST:PORT, or --scheduler local.",
        )
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise PipelineError(
            "--scheduler needs Dask distributed, which is not installed.",
            hint=f"Install it with {INSTALL} (and the same version of the pipeline on every worker).",
        ) from None


# --- what travels --------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFiles:
    """The layouts and fonts as the client resolves them, sent to every worker once per build."""

    digest: str
    files: dict[str, bytes]  # "layouts/brochure/brochure.css", "fonts/…" → contents


@dataclass(frozen=True)
class RemoteJob:
    job: Job  # as planned on the client (its paths are the client's)
    model: bytes  # the cached model JSON
    publication: dict[str, bytes]  # the publication folder's files, less its source text
    inputs: dict[str, bytes]  # outputs of the editions it reads, by edition
    sidecars: dict[str, bytes]  # their page maps, by edition
    environment: dict[str, str]  # the client's pipeline code and library versions


class RenderFailed(Exception):
    """A job's failed Result, raised on the worker so that Dask retries the task (then handed back as is)."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.error)
        self.result = result

    def __reduce__(self) -> tuple[Any, ...]:
        return (RenderFailed, (self.result,))


Outcome = tuple[Result, dict[str, bytes]]  # a job's Result, and its files when it was built


class TaskFailed(Exception):
    """A task in which some job failed, raised so that Dask retries the whole task once; it carries every
    job's outcome, so that after the retry the jobs that were built are still written and reported."""

    def __init__(self, outcomes: list[Outcome]) -> None:
        super().__init__("; ".join(result.error for result, _files in outcomes if result.status != "built"))
        self.outcomes = outcomes

    def __reduce__(self) -> tuple[Any, ...]:
        return (TaskFailed, (self.outcomes,))


@functools.cache
def environment() -> dict[str, str]:
    """What a worker must share with the client for byte-identical editions (read once per process:
    7 ms a task otherwise)."""
    out = {"python": f"{sys.version_info.major}.{sys.version_info.minor}", "pipeline": code_hash()[:16]}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _files_under(root: Path, prefix: str) -> dict[str, bytes]:
    return {f"{prefix}{p.relative_to(root).as_posix()}": p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def project_files(project: Path) -> ProjectFiles:
    """The layouts (the bundled copies overlaid with the project's own) and the fonts a build uses."""
    files: dict[str, bytes] = {}
    for root in reversed(layout_dirs(project, None)):
        files.update(_files_under(root, "layouts/"))
    for root in reversed(font_dirs(project)):
        files.update(_files_under(root, "fonts/"))
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{hashlib.sha256(files[name]).hexdigest()}\0".encode())
    return ProjectFiles(digest.hexdigest(), files)


def publication_files(folder: Path) -> dict[str, bytes]:
    """publication.toml, the publication's own layouts/ and whatever its layouts refer to; not the source text."""
    texts = {f"text{suffix}" for suffix in SOURCE_KINDS}
    return {name: data for name, data in _files_under(folder, "").items() if name not in texts}


def remote_jobs(jobs: list[Job], env: dict[str, str]) -> tuple[RemoteJob, ...]:
    """The jobs of one task with what they read; a file two of them read is read (and sent) once."""

    @functools.cache
    def read(path: Path) -> bytes:
        return path.read_bytes()

    @functools.cache
    def publication(folder: str) -> dict[str, bytes]:
        return publication_files(Path(folder))

    out = []
    for job in jobs:
        sidecars = {dep: Path(job.sidecar).with_name(f"{dep}.json") for dep in job.inputs}
        out.append(
            RemoteJob(
                job,
                read(Path(job.model_path)),
                publication(job.publication_folder),
                {dep: read(Path(path)) for dep, path in job.inputs.items() if Path(path).is_file()},
                {dep: read(path) for dep, path in sidecars.items() if path.is_file()},
                env,
            )
        )
    return tuple(out)


def tasks(jobs: list[Job]) -> list[list[Job]]:
    """The jobs that became ready together, as tasks: each PDF layout alone, a publication's other
    editions together (in the order given)."""
    out: list[list[Job]] = []
    light: dict[str, list[Job]] = {}
    for job in jobs:
        if EDITIONS[job.edition].uses_fonts:  # a layout by WeasyPrint: a second or more of work
            out.append([job])
        else:
            light.setdefault(job.slug, []).append(job)
    return out + list(light.values())


# --- on the worker -------------------------------------------------------------

_materialising = threading.Lock()
# One render at a time in a worker process, however many threads it was started with: a render sets
# process-wide things while it lays out and writes (WeasyPrint functions it swaps for the large
# print's running heads, the PDF's document id and font instancing; SOURCE_DATE_EPOCH), and
# WeasyPrint holds the GIL, so threads would not render faster anyway.
_rendering = threading.Lock()


def _scratch() -> Path:
    """The Dask worker's own folder (removed with the worker), else the system's temporary folder."""
    try:
        from distributed import get_worker

        return Path(get_worker().local_directory)
    except (ImportError, ValueError):
        return Path(tempfile.gettempdir())


def _project_dir(project: ProjectFiles) -> Path:
    """The layouts and fonts written out once per worker and build inputs, as a project folder."""
    target = _scratch() / f"project-{project.digest[:16]}"
    with _materialising:
        if not target.is_dir():
            tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".project-"))
            _write_tree(tmp, project.files)
            try:
                tmp.rename(target)
            except OSError:  # another worker process on this machine was first
                shutil.rmtree(tmp, ignore_errors=True)
    return target


def _write_tree(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _differences(client: dict[str, str], worker: dict[str, str]) -> str:
    return ", ".join(
        f"{name} {worker.get(name, 'absent')} there, {want} here"
        for name, want in client.items()
        if worker.get(name) != want
    )


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "(not a Dask worker)"


def render_task(remotes: tuple[RemoteJob, ...], project: ProjectFiles) -> list[Outcome]:
    """Run a task's jobs one after another; if any failed, raise so that Dask runs the task again."""
    outcomes: list[Outcome] = []
    for remote in remotes:
        try:
            outcomes.append(render_remote(remote, project))
        except RenderFailed as failed:
            outcomes.append((failed.result, {}))
    if any(result.status != "built" for result, _files in outcomes):
        raise TaskFailed(outcomes)
    return outcomes


def render_remote(remote: RemoteJob, project: ProjectFiles) -> Outcome:
    """Run one job in a scratch folder; its Result (with the client's paths) and its files as bytes."""
    job = remote.job
    differs = _differences(remote.environment, environment())
    if differs:
        error = (
            f"the Dask worker {_worker_address()} would not render as this machine does ({differs}). "
            f"Install the same pipeline version and libraries on every worker ({INSTALL}), then restart it."
        )
        raise RenderFailed(Result(job.slug, job.edition, job.out_path, "failed", error=error))
    project_dir = _project_dir(project)
    with tempfile.TemporaryDirectory(dir=_scratch(), prefix="job-") as tmp:
        stage = Path(tmp)
        folder, out_dir, cache = stage / "source" / job.slug, stage / "output" / job.slug, stage / "cache"
        _write_tree(folder, remote.publication)
        _write_tree(stage, {"model.json": remote.model})
        _write_tree(out_dir, {Path(job.inputs[dep]).name: data for dep, data in remote.inputs.items()})
        _write_tree(cache, {f"{dep}.json": data for dep, data in remote.sidecars.items()})
        local = replace(
            job,
            project=str(project_dir),
            publication_folder=str(folder),
            model_path=str(stage / "model.json"),
            out_path=str(out_dir / Path(job.out_path).name),
            inputs={dep: str(out_dir / Path(path).name) for dep, path in job.inputs.items()},
            sidecar=str(cache / Path(job.sidecar).name),
        )
        with _rendering:
            result = run_job(local)
        # Messages name the client's files, not the scratch folder's.
        back = {
            local.publication_folder: job.publication_folder,
            str(out_dir): str(Path(job.out_path).parent),
            str(cache): str(Path(job.sidecar).parent),
            local.model_path: job.model_path,
            local.project: job.project,
        }

        def client_paths(text: str) -> str:
            for here in sorted(back, key=len, reverse=True):
                text = text.replace(here, back[here])
            return text

        result = replace(
            result, path=job.out_path, error=client_paths(result.error), detail=client_paths(result.detail)
        )
        if result.status != "built":
            raise RenderFailed(result)
        files = {"output": Path(local.out_path).read_bytes()}
        if Path(local.sidecar).is_file():
            files["sidecar"] = Path(local.sidecar).read_bytes()
        return result, files


# --- on the client --------------------------------------------------------------


def _ignore_ctrl_c() -> Any:
    """Ignore SIGINT while worker processes start, so that they inherit it ignored: Ctrl-C is the client's
    to handle (it stops them). The previous handler, for ``_restore_ctrl_c`` (None off the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, signal.SIG_IGN)


def _restore_ctrl_c(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)


class DaskExecutor:
    """Jobs on a Dask cluster (an existing scheduler, or a LocalCluster); the client writes every file."""

    def __init__(self, scheduler: str, workers: int, needs_pdf: bool) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self.needs_pdf = needs_pdf
        self.running: dict[Any, list[Job]] = {}  # a task future → its jobs
        self.buffer: list[Job] = []  # jobs submitted before the cluster is up
        self.projects: dict[str, Any] = {}  # project folder → its ProjectFiles, scattered to every worker
        self.cluster: Any = None
        self.client: Any = None
        self.config: Any = None
        self.starting: threading.Thread | None = None  # the thread starting a LocalCluster
        self.start_error: BaseException | None = None
        self.ctrl_c: Any = None

    def __enter__(self) -> DaskExecutor:
        import dask
        import distributed  # noqa: F401  (imported here, where an error is still the caller's)

        self.environment = environment()
        if self.scheduler != "local":
            self._connect()
            return self
        # A LocalCluster takes most of a second to start its worker processes: it starts in a thread
        # while the main one normalises the first publications, whose jobs wait here until it is up.
        self.config = dask.config.set(LOCAL_CONFIG)  # for the scheduler here and the spawned workers
        self.config.__enter__()
        self.ctrl_c = _ignore_ctrl_c()  # the workers inherit it (Ctrl-C is the client's); restored once up
        self.starting = threading.Thread(target=self._start_local, name="dask-local-cluster", daemon=True)
        self.starting.start()
        return self

    def _start_local(self) -> None:
        from distributed import Client, LocalCluster

        try:
            self.cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                memory_limit=0,  # as the process pool: no worker is paused or restarted for its memory
                # Dask's own log lines (a heartbeat cut short by Ctrl-C) are not the user's errors;
                # every failure that matters comes back as a task's failed Result.
                silence_logs=logging.CRITICAL,
            )
            self.client = Client(self.cluster)
        except BaseException as exc:  # handed to the main thread, which raises it
            self.start_error = exc

    def _ready(self, block: bool) -> bool:
        """Is the cluster up (waiting for it with ``block``)? Once it is: Ctrl-C restored, workers warmed."""
        if self.starting is not None:
            if not block and self.starting.is_alive():
                return False
            self.starting.join()
            self.starting = None
            _restore_ctrl_c(self.ctrl_c)
            self._connect()
        return True

    def _connect(self) -> None:
        from distributed import Client, as_completed

        start_workers = (
            f"start workers with `dask worker {self.scheduler} --nthreads 1` (the same pipeline version on each)"
        )
        try:
            if self.scheduler == "local":
                if self.start_error is not None:
                    raise self.start_error
            else:
                self.client = Client(self.scheduler, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise PipelineError(
                f"--scheduler {self.scheduler}: no Dask scheduler answered there within {CONNECT_SECONDS} s"
                + ("." if "Timed out" in str(exc) else f" ({exc})."),
                hint=f"Start one with `dask scheduler` and {start_workers}, or build with --scheduler local.",
            ) from None
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except TimeoutError:
            self.close()
            raise PipelineError(
                f"--scheduler {self.scheduler}: the scheduler has no workers (none joined within {CONNECT_SECONDS} s).",
                hint=f"On each machine that is to render, {start_workers}.",
            ) from None
        self.completed = as_completed()
        # Import the renderers on every worker while the client normalises (their results are not needed).
        self.warm = [
            self.client.submit(warm_up, self.needs_pdf, workers=[w], allow_other_workers=False, pure=False)
            for w in self.client.scheduler_info(n_workers=-1)["workers"]
        ]

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if self.starting is not None:  # stopped before the cluster was up: wait for it, to stop it
            self.starting.join()
            self.starting = None
            _restore_ctrl_c(self.ctrl_c)
        if exc_type is not None and self.client is not None:
            self.client.cancel(list(self.running))
        self.close()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        if self.config is not None:
            self.config.__exit__(None, None, None)

    def submit(self, jobs: list[Job]) -> None:
        self.buffer += jobs
        if self._ready(block=False):
            self._flush()

    def _flush(self) -> None:
        jobs, self.buffer = self.buffer, []
        for task in tasks(jobs):
            project = task[0].project
            if project not in self.projects:
                files = project_files(Path(project))
                self.projects[project] = self.client.scatter(files, broadcast=True, hash=False)
            future = self.client.submit(
                render_task,
                remote_jobs(task, self.environment),
                self.projects[project],
                key=f"{'+'.join(job.edition for job in task)}-{task[0].slug}-{uuid.uuid4().hex[:8]}",
                retries=1,
                pure=False,
            )
            self.running[future] = task
            self.completed.add(future)

    def busy(self) -> bool:
        return bool(self.running or self.buffer)

    def wait(self) -> list[tuple[Job, Result]]:
        """The jobs of the tasks the scheduler reports finished, their files written here, atomically."""
        self._ready(block=True)
        self._flush()
        out = []
        for future in self.completed.next_batch(block=True):
            task = self.running.pop(future)
            out += self._collect(task, future)
            future.release()
        return out

    def _collect(self, task: list[Job], future: Any) -> list[tuple[Job, Result]]:
        try:
            outcomes = future.result()
        except TaskFailed as exc:  # failed twice: each job reported as the process pool reports it
            outcomes = exc.outcomes
        except (Exception, CancelledError) as exc:  # a worker died twice, or the scheduler went away
            return [(job, worker_died(job, exc)) for job in task]
        out = []
        for job, (result, files) in zip(task, outcomes, strict=True):
            if result.status == "built":
                if "sidecar" in files:
                    write_bytes(Path(job.sidecar), files["sidecar"])
                write_bytes(Path(job.out_path), files["output"])
            out.append((job, result))
        return out
