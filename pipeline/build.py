"""Orchestration: plan, cache, run in parallel and write atomically; the only code that writes output/."""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pipeline import __version__
from pipeline.atomic import replacing, sweep, write_bytes
from pipeline.build_cache import PageMap, load_model, read_state, read_valid
from pipeline.editions import EDITIONS, enabled
from pipeline.errors import OutputError, PipelineError, RenderError
from pipeline.publication import EDITOR_KIND, Publication, discover, load_publication, publication_folder
from pipeline.resources import find_layout, font_dirs, layout_dirs
from pipeline.url_policy import allowed_roots, check_layout
from pipeline.workers import init_worker

if TYPE_CHECKING:
    from concurrent.futures import Future

    from pipeline.model import Document

STATE_FILE = ".build-state.json"


@dataclass(frozen=True)
class Job:
    slug: str
    edition: str
    project: str
    publication_folder: str
    model_path: str
    out_path: str
    key: str
    options: dict[str, Any]
    inputs: dict[str, str]
    sidecar: str
    renderer: str  # "module:function", from the edition's declaration, resolved where the job runs
    text_path: str = ""  # the text the model is read from (errors name its lines)


@dataclass
class Result:
    slug: str
    edition: str
    path: str
    status: str  # "built" | "unchanged" | "failed" | "skipped" | "warning" (its message in error)
    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    error: str = ""
    detail: str = ""  # traceback, shown only with --debug
    bad_input: bool = False  # the publication's input is wrong (exit 2), not an edition that failed to render


@dataclass
class BuildRequest:
    project: Path
    slugs: list[str] = field(default_factory=list)
    editions: list[str] = field(default_factory=list)
    jobs: int = 0
    force: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    scheduler: str | None = None  # a Dask scheduler's address, or "local" for a LocalCluster; None: the process pool


# --- hashing ----------------------------------------------------------------


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


_code_hash_cache: dict[str, str] = {}


def code_hash() -> str:
    """The package's own source: a changed renderer or pass invalidates every cache."""
    if "h" not in _code_hash_cache:
        root = Path(__file__).parent
        files = sorted(p for p in root.rglob("*.py"))
        _code_hash_cache["h"] = _sha(__version__, *(p.read_bytes() for p in files))
    return _code_hash_cache["h"]


def _fonts_hash(project: Path) -> str:
    """Every file a render may use from fonts/: the project's over the package's, file by file.

    Hashing the 6 MB of fonts took 9 ms a publication, every build. The digest is kept in the user's
    cache under the files' names, sizes and modification times (as make judges a file), so a build
    whose fonts are as they were reads it instead; a font that changes gets a new modification time.
    """
    from pipeline import user_cache

    found: dict[str, Path] = {}
    for root in reversed(font_dirs(project)):
        found.update({p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()})
    files = sorted(found.items())
    stamps = []
    for name, path in files:
        try:
            stat = path.stat()
        except OSError as exc:
            raise PipelineError(f"cannot be read: {exc.strerror}.", path) from None
        stamps.append(f"{name}\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0")
    kept = user_cache.cache_dir() / "font-digests" / f"{_sha(*stamps)}.txt"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        digest = kept.read_text(encoding="ascii")
        if len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
            return digest
    digest = _sha(*(f"{name}:{hashlib.sha256(_read(path)).hexdigest()}" for name, path in files))
    user_cache.write_atomically(kept, digest.encode())
    return digest


def _files_hash(paths: Iterable[Path]) -> str:
    return _sha(*(f"{p.name}:{hashlib.sha256(_read(p)).hexdigest()}" for p in paths))


# --- the model cache ----------------------------------------------------------


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot be read: {exc.strerror}.", path) from None


def cache_dir(project: Path, slug: str) -> Path:
    return project / "output" / ".cache" / slug


def model_key(project: Path, pub: Publication) -> tuple[Path, str]:
    """Where the normalised model of these exact inputs is cached, and its key; nothing is normalised.

    The key (which the editions' keys build on) is the text's; the cached model's report also
    depends on the source beside an editor's text.md, which it is compared with.
    """
    text = _read(pub.text_path)
    toml = _read(pub.folder / "publication.toml")
    key = _sha(code_hash(), pub.kind, text, toml)
    compared = _read(pub.source_path) if pub.kind == EDITOR_KIND and pub.source_path else b""
    cached = _sha(key, compared, str(pub.empty_text_md))
    return cache_dir(project, pub.slug) / f"model-{cached[:20]}.json", key


def cached_model(project: Path, pub: Publication) -> tuple[Path, str]:
    """The normalised model as JSON, from the cache when the source is unchanged."""
    path, key = model_key(project, pub)
    if load_model(path) is not None:  # a cache entry that does not validate is made again
        return path, key
    from pipeline.convert import read_publication
    from pipeline.model import to_json

    doc, report, sources = read_publication(pub)
    for old in cache_dir(project, pub.slug).glob("model-*.json"):
        with contextlib.suppress(OSError):  # a read-only folder is reported by the write below
            old.unlink()
    data = {
        "model": to_json(doc),
        "report": [asdict(e) for e in report.edits],
        "sources": [asdict(s) for s in sources],  # the lines the report refers to (the review page's)
    }
    write_bytes(path, json.dumps(data, ensure_ascii=False).encode())
    return path, key


# --- jobs --------------------------------------------------------------------


def _with_dependencies(names: list[str]) -> list[str]:
    out: list[str] = []

    def add(name: str) -> None:
        for dep in EDITIONS[name].after:
            add(dep)
        if name not in out:
            out.append(name)

    for n in names:
        add(n)
    return out


def plan_publication(request: BuildRequest, pub: Publication) -> tuple[list[Job], list[Result]]:
    """The jobs for one publication, and a failed Result for each edition that cannot even be planned."""
    project = request.project
    model_path, source_key = model_key(project, pub)
    wanted = request.editions or enabled(pub.config)
    names = _with_dependencies(wanted)
    dirs = layout_dirs(project, pub.folder)
    roots = allowed_roots(project, pub.folder)
    refusals: dict[Path, PipelineError | None] = {}
    font_hash = _fonts_hash(project)
    out_dir = project / "output" / pub.slug
    keys: dict[str, str] = {}
    jobs: list[Job] = []
    failed: list[Result] = []
    for name in names:
        edition = EDITIONS[name]
        out_path = str(out_dir / edition.filename(pub.slug))
        missing = [rel for rel in edition.layouts if find_layout(rel, dirs) is None]
        if missing or any(d not in keys for d in edition.after):
            reason = (
                f"layout file {missing[0]} is missing from {', '.join(map(str, dirs))}."
                if missing
                else "an edition it needs could not be planned."
            )
            failed.append(Result(pub.slug, name, out_path, "failed", error=f"{pub.folder}: {reason}"))
            continue
        layout_paths = [find_layout(rel, dirs) for rel in edition.layouts]
        refused = next(filter(None, (_layout_refusal(p, roots, refusals) for p in layout_paths if p)), None)
        if refused is not None:
            failed.append(Result(pub.slug, name, out_path, "failed", error=str(refused), bad_input=True))
            continue
        layout_parts = [
            f"{rel}:{hashlib.sha256(_read(p)).hexdigest()}"  # type: ignore[arg-type]
            for rel, p in zip(edition.layouts, layout_paths, strict=True)
        ]
        options = {k: v for k, v in request.options.items() if v is not None and _option_applies(name, k)}
        key = _sha(
            code_hash(),
            name,
            source_key,
            json.dumps(options, sort_keys=True),
            *layout_parts,
            font_hash if edition.uses_fonts else "",
            model_path.name if edition.reads_report else "",  # the report also depends on text.md's source
            *(keys[d] for d in edition.after),
        )
        keys[name] = key
        jobs.append(
            Job(
                slug=pub.slug,
                edition=name,
                project=str(project),
                publication_folder=str(pub.folder),
                model_path=str(model_path),
                out_path=out_path,
                key=key,
                options=options,
                inputs={d: str(out_dir / EDITIONS[d].filename(pub.slug)) for d in edition.after},
                sidecar=str(cache_dir(project, pub.slug) / f"{name}.json"),
                text_path=str(pub.text_path),
                renderer=edition.renderer,
            )
        )
    return jobs, failed


def _layout_refusal(path: Path, roots: list[Path], seen: dict[Path, PipelineError | None]) -> PipelineError | None:
    """The URL policy's verdict on one layout file (each file judged once per publication)."""
    if path not in seen:
        try:
            check_layout(path, roots)
            seen[path] = None
        except PipelineError as exc:
            seen[path] = exc
    return seen[path]


def _option_applies(edition: str, option: str) -> bool:
    return not option.startswith("large_print") or edition == "large-print"


def run_job(job: Job) -> Result:
    """Render one edition (in a worker process): heavy imports happen here, not in the CLI."""
    start = time.perf_counter()
    out = Path(job.out_path)
    try:
        from pipeline.config import load_config
        from pipeline.render.context import RenderContext

        loaded = load_model(Path(job.model_path))
        if loaded is None:
            raise RenderError("the cached model is missing or damaged; build again.", job.model_path)
        doc, cached = loaded
        folder = Path(job.publication_folder)
        config = load_config(folder / "publication.toml")
        module_name, func_name = job.renderer.split(":")
        render: Callable[[RenderContext], dict[str, Any]] = getattr(importlib.import_module(module_name), func_name)
        with replacing(out) as tmp, _job_temporary_folder():
            ctx = RenderContext(
                doc,
                config,
                job.slug,
                Path(job.project),
                folder,
                tmp,
                job.options,
                {k: Path(v) for k, v in job.inputs.items()},
                Path(job.sidecar),
                cached=cached,
                text_path=Path(job.text_path) if job.text_path else None,
            )
            info = render(ctx) or {}
            if EDITIONS[job.edition].holds_words:
                _guard_words(tmp, doc, job)
        return Result(
            job.slug,
            job.edition,
            job.out_path,
            "built",
            int(info.get("pages", 0)),
            out.stat().st_size,
            time.perf_counter() - start,
        )
    except PipelineError as exc:
        return Result(
            job.slug,
            job.edition,
            job.out_path,
            "failed",
            error=str(exc),
            seconds=time.perf_counter() - start,
            detail=traceback.format_exc(),
            bad_input=exc.bad_input,
        )
    except Exception as exc:  # an internal error: reported, never a bare traceback
        return Result(
            job.slug,
            job.edition,
            job.out_path,
            "failed",
            error=f"{job.edition} of {job.slug} failed: {type(exc).__name__}: {exc}",
            seconds=time.perf_counter() - start,
            detail=traceback.format_exc(),
        )


@contextlib.contextmanager
def _job_temporary_folder() -> Iterator[None]:
    """The system temporary folder, for one job, is a folder of its own that goes with the job.

    WeasyPrint copies every @font-face file of a render into a ``weasyprint-*`` folder (9 MB for a
    brochure) and removes it only when its font configuration is collected, which a worker process
    that exits (the pool's, Dask's) or the CLI's ``os._exit`` never waits for: every build left a
    few such folders in /tmp. A render runs one at a time in its process (pool worker, Dask worker
    lock, or the CLI), so the process-wide ``tempfile.tempdir`` is the job's while it runs.
    """
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="partiprogram-job-")
    previous, tempfile.tempdir = tempfile.tempdir, folder
    try:
        yield
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


def _guard_words(path: Path, doc: Document, job: Job) -> None:
    """The wording guard on the edition just rendered (still a temporary file): a word of the model
    missing from its text fails the edition, and the previous good file stays."""
    from pipeline.preflight.words import edition_words, lost_word, reading_of

    located = edition_words(doc)
    title = doc.meta.short_title or doc.meta.title
    lost = lost_word(path, [w for w, _ in located], title, Path(job.out_path).name, reading_of(doc))
    if lost is None:
        return
    n, word = lost
    kept = f"the previous {Path(job.out_path).name} was kept" if Path(job.out_path).exists() else "nothing was written"
    raise RenderError(
        f"the {job.edition} edition lost a word: {word!r} (word {n + 1} of {len(located)}) is missing or out of "
        f"order in its text; {kept}.",
        job.text_path,
        located[n][1] or None,
        hint="A layout override may hide text; if there is none, this is a bug in the pipeline: "
        "please report it with this file.",
    )


# --- state ---------------------------------------------------------------------


def _read_state(out_dir: Path) -> dict[str, Any]:
    return read_state(out_dir / STATE_FILE)


def _file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _is_current(job: Job, state: dict[str, Any]) -> dict[str, Any] | None:
    entry = state.get(job.edition)
    out = Path(job.out_path)
    if not entry or entry.get("key") != job.key or not out.is_file():
        return None
    if out.stat().st_size != entry.get("size") or out.stat().st_mtime_ns != entry.get("mtime_ns"):
        return None
    # An edition others read (the brochure's page map) is only current with its sidecar.
    if any(job.edition in e.after for e in EDITIONS.values()) and read_valid(Path(job.sidecar), PageMap) is None:
        return None
    return dict(entry)


def _record(out_dir: Path, result: Result, key: str) -> None:
    state = _read_state(out_dir)
    out = Path(result.path)
    state[result.edition] = {
        "key": key,
        "size": out.stat().st_size,
        "mtime_ns": out.stat().st_mtime_ns,
        "sha256": _file_sha(out),
        "pages": result.pages,
    }
    write_bytes(out_dir / STATE_FILE, json.dumps(state, indent=1, sort_keys=True).encode())


# --- the build -------------------------------------------------------------------


Progress = Callable[[str, Result | None, Job | None], None]


def _bad_input(slug: str, exc: PipelineError) -> Result:
    """A publication whose input is wrong: one failure for it, naming the file (exit 2)."""
    return Result(
        slug, "-", str(exc.path or ""), "failed", error=str(exc), detail=traceback.format_exc(), bad_input=exc.bad_input
    )


def build(request: BuildRequest, progress: Progress | None = None) -> list[Result]:
    """Build every requested edition of every requested publication; failures do not stop others."""
    project = request.project
    notify = progress or (lambda *_: None)
    source = project / "source"
    slugs = request.slugs or discover(source)
    for slug in request.slugs:
        publication_folder(source, slug)  # a mistyped name stops the build before anything is built
    if request.scheduler:
        from pipeline.cluster import check_scheduler

        check_scheduler(request.scheduler)  # a mistyped address, or Dask not installed, stops it too
    results: list[Result] = []
    jobs: list[Job] = []
    pubs: dict[str, Publication] = {}
    for slug in slugs:
        try:
            pub = load_publication(source, slug)
            pubs[slug] = pub
            for warning in filter(None, (pub.empty_text_md_warning(), pub.stale_source())):
                results.append(Result(slug, "-", str(pub.text_path), "warning", error=warning))
                notify("warning", results[-1], None)
            planned, unplanned = plan_publication(request, pub)
            jobs.extend(planned)
            for r in unplanned:
                results.append(r)
                notify("failed", r, None)
        except PipelineError as exc:
            results.append(_bad_input(slug, exc))
            notify("failed", results[-1], None)
        except Exception as exc:  # a bug: reported for this publication, the others still build
            results.append(
                Result(
                    slug,
                    "-",
                    "",
                    "failed",
                    detail=traceback.format_exc(),
                    error=f"{source / slug}: internal error while reading it: {type(exc).__name__}: {exc}",
                )
            )
            notify("failed", results[-1], None)
    out_dirs = {Path(j.out_path).parent for j in jobs}
    for d in out_dirs:
        sweep(d)
    states = {d: _read_state(d) for d in out_dirs}
    pending: list[Job] = []
    for job in jobs:
        entry = None if request.force else _is_current(job, states[Path(job.out_path).parent])
        if entry is not None:
            results.append(
                Result(job.slug, job.edition, job.out_path, "unchanged", entry.get("pages", 0), entry["size"])
            )
            notify("unchanged", results[-1], job)
        else:
            pending.append(job)
    if pending:

        def prepare(slug: str) -> Result | None:
            """Normalise a publication whose editions are to be built; its one failure, if it fails."""
            text = pubs[slug].text_path
            try:
                model_path, _key = cached_model(project, pubs[slug])
                _check_fonts(project, pubs[slug], model_path, {j.edition for j in pending if j.slug == slug})
                warning = _decoding_warning(model_path, text)
                if warning:
                    results.append(Result(slug, "-", str(text), "warning", error=warning))
                    notify("warning", results[-1], None)
                return None
            except PipelineError as exc:
                return _bad_input(slug, exc)
            except Exception as exc:
                error = f"{text}: internal error while normalising: {type(exc).__name__}: {exc}"
                return Result(slug, "-", "", "failed", error=error, detail=traceback.format_exc())

        sizes = {slug: pub.text_path.stat().st_size for slug, pub in pubs.items()}
        workers = request.jobs or os.cpu_count() or 1
        results.extend(_run(pending, workers, notify, prepare, sizes, request.scheduler))
    return results


def _check_fonts(project: Path, pub: Publication, model_path: Path, editions: set[str]) -> None:
    """Every character the PDF editions to be built set has a glyph in their bundled fonts: checked
    once, before any of them renders (a bad character is bad input, and no earlier file is touched)."""
    from pipeline.render.pdf import VARIANTS, check_fonts

    variants = tuple(VARIANTS[name] for name in EDITIONS if name in editions and name in VARIANTS)
    loaded = load_model(model_path) if variants else None
    if loaded is not None:
        # A damaged fonts/ is not the publication's fault: the editions that use the font fail on it (exit 1).
        with contextlib.suppress(RenderError):
            check_fonts(project, loaded[0], pub.text_path, pub.folder, variants)


def _decoding_warning(model_path: Path, text: Path) -> str:
    """One line for bytes the decoder had to guess (each is in the report, at its line), or ""."""
    edits = json.loads(model_path.read_text(encoding="utf-8"))["report"]
    guessed = [e for e in edits if e["kind"] == "decode" and e["confidence"] < 1]
    if not guessed:
        return ""
    first = guessed[0]["line"]
    many = f"{len(guessed)} bytes are" if len(guessed) > 1 else "a byte is"
    return (
        f"{text}:{first}: {many} not UTF-8 in a UTF-8 text (read as cp1252, or U+FFFD). "
        "Check the words on the review page, or save the text as UTF-8."
    )


# Longest and most depended-on first, so that two cores stay busy to the end.
PRIORITY = {"brochure": 0, "large-print": 1, "print": 2, "epub": 3, "booklet": 4, "html": 5}


def warm_up(pdf: bool) -> None:
    """Import the heavy renderers in a fresh worker while the main process normalises.

    A failing import is left to the jobs themselves, which report it per edition.
    """
    try:
        if pdf:
            import weasyprint  # noqa: F401

            import pipeline.render.pdf  # noqa: F401
        import ebooklib  # noqa: F401
    except Exception:
        return


def _run(
    pending: list[Job],
    workers: int,
    notify: Progress,
    prepare: Callable[[str], Result | None],
    source_sizes: dict[str, int] | None = None,
    scheduler: str | None = None,
) -> list[Result]:
    source_sizes = source_sizes or {}
    results: list[Result] = []
    done: dict[tuple[str, str], Result] = {}
    waiting = sorted(pending, key=lambda j: PRIORITY.get(j.edition, 9))
    pending_keys = {(j.slug, j.edition) for j in pending}
    # The largest publication first: its renders are the longest, and they start while the
    # main process goes on normalising the others.
    unprepared = sorted(dict.fromkeys(j.slug for j in waiting), key=lambda slug: -source_sizes.get(slug, 0))
    prepared: dict[str, Result | None] = {}  # slug -> its failure (None when the model is ready)

    def prepare_next() -> None:
        slug = unprepared.pop(0)
        prepared[slug] = prepare(slug)

    def ready(job: Job) -> bool | None:
        """True to start, False to wait, None when a dependency failed."""
        if job.slug not in prepared:
            return False
        if prepared[job.slug] is not None:
            return None
        for dep in EDITIONS[job.edition].after:
            if (job.slug, dep) in pending_keys:
                r = done.get((job.slug, dep))
                if r is None:
                    return False
                if r.status == "failed":
                    return None
        return True

    def finish(job: Job, result: Result) -> None:
        if result.status == "built":
            try:
                _record(Path(job.out_path).parent, result, job.key)
            except OutputError as exc:  # built, but the build cannot remember it
                result = Result(job.slug, job.edition, job.out_path, "failed", error=str(exc))
        done[(job.slug, job.edition)] = result
        results.append(result)
        notify(result.status, result, job)

    def take_ready() -> list[Job]:
        out = []
        for job in list(waiting):
            state = ready(job)
            if state is None:
                waiting.remove(job)
                failure = prepared.get(job.slug)
                if failure is not None:
                    if not any(r is failure for r in results):  # once for the publication, not once per edition
                        results.append(failure)
                        notify("failed", failure, None)
                    reason = "not built: the publication's input is wrong (its error says where)"
                    finish(job, Result(job.slug, job.edition, job.out_path, "skipped", error=reason))
                else:
                    finish(
                        job, Result(job.slug, job.edition, job.out_path, "skipped", error="an edition it needs failed")
                    )
            elif state:
                waiting.remove(job)
                out.append(job)
        return out

    if not scheduler and (workers <= 1 or len(pending) == 1):
        while waiting:
            if unprepared:
                prepare_next()
            for job in take_ready():
                notify("start", None, job)
                finish(job, run_job(job))
        return results
    if scheduler:
        from pipeline.cluster import DaskExecutor

        executor: Executor = DaskExecutor(scheduler, workers, needs_pdf=_needs_pdf(pending))
    else:
        executor = ProcessPool(min(workers, len(pending)), needs_pdf=_needs_pdf(pending))
    try:
        with executor:
            while waiting or executor.busy():
                ready_jobs = take_ready()
                for job in ready_jobs:
                    notify("start", None, job)
                if ready_jobs:
                    executor.submit(ready_jobs)
                if unprepared:
                    prepare_next()  # the main process normalises while the workers render
                    continue
                if not executor.busy():
                    break
                for job, result in executor.wait():
                    finish(job, result)
    except BaseException:
        # Ctrl-C (or a bug here): the executor has stopped its workers. A worker only ever writes a
        # temporary file beside its target (or nothing, on a cluster), so no previous output is damaged.
        for d in {Path(j.out_path).parent for j in pending}:
            sweep(d)
        raise
    return results


def _needs_pdf(jobs: list[Job]) -> bool:
    return any(j.edition in ("brochure", "print", "large-print") for j in jobs)


class Executor(Protocol):
    """Where jobs run in parallel: this machine's process pool, or a Dask cluster (pipeline/cluster.py)."""

    def __enter__(self) -> Executor: ...

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None: ...

    def submit(self, jobs: list[Job]) -> None:
        """Start the jobs that became ready together (an executor may run several as one task)."""
        ...

    def busy(self) -> bool:
        """Whether a submitted job has not been handed back by ``wait`` yet."""
        ...

    def wait(self) -> list[tuple[Job, Result]]:
        """Block until at least one job has finished; those that have, with their results (files written)."""
        ...


class ProcessPool:
    """Worker processes on this machine; each writes its own output atomically."""

    def __init__(self, workers: int, needs_pdf: bool) -> None:
        self.workers = workers
        self.needs_pdf = needs_pdf
        self.running: dict[Future[Result], Job] = {}

    def __enter__(self) -> ProcessPool:
        # Workers leave Ctrl-C to this process, which stops them and cleans up, and die with it when it is killed.
        from concurrent.futures import ProcessPoolExecutor  # here: a no-op build does not pay for it

        self.pool = ProcessPoolExecutor(max_workers=self.workers, initializer=init_worker, initargs=(os.getpid(),))
        self.warm = [self.pool.submit(warm_up, self.needs_pdf) for _ in range(self.workers)]
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if exc_type is None:
            for w in self.warm:
                w.result()
            self.pool.shutdown(wait=True)
            return
        # Stop the workers where they are: a killed worker leaves only a temporary file.
        for process in list(getattr(self.pool, "_processes", {}).values()):
            process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, jobs: list[Job]) -> None:
        for job in jobs:
            self.running[self.pool.submit(run_job, job)] = job

    def busy(self) -> bool:
        return bool(self.running)

    def wait(self) -> list[tuple[Job, Result]]:
        from concurrent.futures import FIRST_COMPLETED, wait

        finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
        out = []
        for fut in finished:
            job = self.running.pop(fut)
            try:
                result = fut.result()
            except Exception as exc:  # a worker died (killed, out of memory)
                result = worker_died(job, exc)
            out.append((job, result))
        return out


def worker_died(job: Job, exc: BaseException) -> Result:
    """The failure of a job whose worker process went away while rendering it."""
    error = f"the worker rendering {job.edition} of {job.slug} died: {type(exc).__name__}: {exc}"
    return Result(job.slug, job.edition, job.out_path, "failed", error=error)
