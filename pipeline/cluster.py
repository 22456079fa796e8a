"""Batch builds on a Dask cluster: the pool's jobs, with every file a worker reads or writes sent as bytes.

A worker needs neither the project folder nor a shared disk. The client sends each job the cached
model, the publication's own files (not its source text: the model holds the words), the outputs
and page maps of the editions it reads, and once per build the layouts and fonts exactly as this
machine resolves them. The worker renders into a private scratch folder and sends the files back;
only the client writes into output/, atomically, as the process pool's workers do. A task that
fails is retried once (on any worker) before its failure is reported.
"""

from __future__ import annotations

import contextlib
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
from collections.abc import Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from pipeline.atomic import write_bytes
from pipeline.build import Job, Result, code_hash, run_job, warm_up, worker_died
from pipeline.errors import PipelineError
from pipeline.readers import SOURCE_KINDS
from pipeline.resources import fonts_dir, layout_dirs

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
    files.update(_files_under(fonts_dir(project), "fonts/"))
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{hashlib.sha256(files[name]).hexdigest()}\0".encode())
    return ProjectFiles(digest.hexdigest(), files)


def publication_files(folder: Path) -> dict[str, bytes]:
    """publication.toml, the publication's own layouts/ and whatever its layouts refer to; not the source text."""
    texts = {f"text{suffix}" for suffix in SOURCE_KINDS}
    return {name: data for name, data in _files_under(folder, "").items() if name not in texts}


def remote_job(job: Job, env: dict[str, str]) -> RemoteJob:
    sidecars = {dep: Path(job.sidecar).with_name(f"{dep}.json") for dep in job.inputs}
    return RemoteJob(
        job,
        Path(job.model_path).read_bytes(),
        publication_files(Path(job.publication_folder)),
        {dep: Path(path).read_bytes() for dep, path in job.inputs.items() if Path(path).is_file()},
        {dep: path.read_bytes() for dep, path in sidecars.items() if path.is_file()},
        env,
    )


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


def render_remote(remote: RemoteJob, project: ProjectFiles) -> tuple[Result, dict[str, bytes]]:
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


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Worker processes started here inherit an ignored SIGINT: Ctrl-C is the client's to handle (it stops them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class DaskExecutor:
    """Jobs on a Dask cluster (an existing scheduler, or a LocalCluster); the client writes every file."""

    def __init__(self, scheduler: str, workers: int, needs_pdf: bool) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self.needs_pdf = needs_pdf
        self.running: dict[Any, Job] = {}
        self.projects: dict[str, Any] = {}  # project folder → its ProjectFiles, scattered to every worker
        self.cluster: Any = None
        self.client: Any = None
        self.config: Any = None

    def __enter__(self) -> DaskExecutor:
        import dask
        from distributed import Client, LocalCluster, as_completed

        start_workers = (
            f"start workers with `dask worker {self.scheduler} --nthreads 1` (the same pipeline version on each)"
        )
        try:
            if self.scheduler == "local":
                self.config = dask.config.set(LOCAL_CONFIG)  # for the scheduler here and the spawned workers
                self.config.__enter__()
                with _workers_ignore_ctrl_c():
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
        self.environment = environment()
        # Import the renderers on every worker while the client normalises (their results are not needed).
        self.warm = [
            self.client.submit(warm_up, self.needs_pdf, workers=[w], allow_other_workers=False, pure=False)
            for w in self.client.scheduler_info(n_workers=-1)["workers"]
        ]
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
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

    def submit(self, job: Job) -> None:
        if job.project not in self.projects:
            files = project_files(Path(job.project))
            self.projects[job.project] = self.client.scatter(files, broadcast=True, hash=False)
        future = self.client.submit(
            render_remote,
            remote_job(job, self.environment),
            self.projects[job.project],
            key=f"{job.edition}-{job.slug}-{uuid.uuid4().hex[:8]}",
            retries=1,
            pure=False,
        )
        self.running[future] = job
        self.completed.add(future)

    def busy(self) -> bool:
        return bool(self.running)

    def wait(self) -> list[tuple[Job, Result]]:
        """The jobs the scheduler reports finished, their files written here, atomically."""
        out = []
        for future in self.completed.next_batch(block=True):
            job = self.running.pop(future)
            out.append((job, self._collect(job, future)))
            future.release()
        return out

    def _collect(self, job: Job, future: Any) -> Result:
        try:
            result, files = future.result()
        except RenderFailed as exc:  # failed twice: reported as the process pool reports it
            return exc.result
        except (Exception, CancelledError) as exc:  # a worker died twice, or the scheduler went away
            return worker_died(job, exc)
        if "sidecar" in files:
            write_bytes(Path(job.sidecar), files["sidecar"])
        write_bytes(Path(job.out_path), files["output"])
        return result
