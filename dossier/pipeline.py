"""The build, stage by stage: config -> records -> site data -> page plan -> HTML -> site/.

Gather, then write: a build with any error leaves the previous site whole. Most builds write the
new site into a folder beside the old one as pages are rendered, and swap it in at the end; a
failed build removes that folder. A build that renders few pages (an edit) renders and checks
everything first, then replaces the changed files of the published site one by one, each whole.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import logging
import multiprocessing
import os
import pickle
import shutil
import time
from collections import ChainMap
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import islice
from pathlib import Path

import jinja2

from .cache import RecordStore
from .config import Config, load_config
from .errors import Problems
from .feeds import site_feeds
from .freshness import InputScan, build_date, build_options, cache_file, is_up_to_date, save_atomically, state_file
from .stats import compute_stats
from .indexes import SiteData, build_site_data, derived_from_text
from .memory import release_freed_memory
from .model import Deputy, Question
from .passages import RelatedIndex
from .opendata import QUESTIONS_JSON, SITE_WIDE, Parts, Spool, Stored, _indented, _json, open_data_files, question_json_output, question_record
from .pagecache import PageCache, page_reads, start_page, structure_digest, tracked
from .records import load_records
from .render import make_environment, page_functions
from .search import index_site
from .session import Session

log = logging.getLogger(__name__)
MARKER = ".dossier-site"  # marks a folder this tool built, so that it may replace it


@dataclass(frozen=True)
class PlannedPage:
    """One HTML page to render: its address, template, the inputs it comes from, its data."""

    url: str
    template: str
    inputs: tuple
    context: dict = field(compare=False)
    absolute_links: bool = False  # for pages served at any address, such as 404.html

    @cached_property
    def output(self) -> str:
        path = self.url.lstrip("/")
        return path + "index.html" if self.url.endswith("/") else path


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    pages: int
    files: int
    timings: dict
    warnings: list
    unchanged: bool = False  # nothing changed since the last build: nothing was written
    changed: int = 0  # files new or different from the previous site's
    rendered: int = 0  # pages rendered (the others were unchanged since the last build: see pagecache.py)


def _sparing_collector(function):
    """Run a build with Python's cyclic garbage collector off while the long-lived objects are made
    (records, views, plan: 1.5 million objects at 10,000 questions), then frozen (gc.freeze) for the
    rest of the build, and as they were at the end.

    Otherwise each full collection walks every object made so far, for no garbage (records and
    views hold no cycles): 0.4 s of a 2 s rebuild after an edit at 10,000 questions. Frozen before
    the rendering processes fork, they are not walked there either, and so not copied into each
    process (a collection writes into every object it walks)."""
    @functools.wraps(function)
    def collecting_sparingly(*args, **kwargs):
        global _COLLECTING
        enabled, frozen = gc.isenabled(), gc.get_freeze_count()
        gc.disable()
        _COLLECTING = enabled
        try:
            return function(*args, **kwargs)
        finally:
            if not frozen:
                gc.unfreeze()
            if enabled:
                gc.enable()
    return collecting_sparingly


_COLLECTING = True  # was the collector on when the build started (see _sparing_collector)


def _long_lived_made() -> None:
    gc.freeze()
    if _COLLECTING:
        gc.enable()


@_sparing_collector
def build(config_path: Path, out_dir: Path | None = None, base_url: str | None = None,
          strict: bool = False, as_of: dt.date | None = None, search: bool = True,
          force: bool = True, read_record=None, environment: jinja2.Environment | None = None,
          jobs: int | None = None, progress=None, cache: bool = True, inputs: InputScan | None = None,
          session: Session | None = None) -> BuildResult:
    """Build the site; raise BuildFailed listing every problem, having written nothing.

    Unless `force`, a build whose inputs are those of the last successful build into the same
    folder does nothing (see freshness.InputScan). The preview passes what it keeps between builds:
    `read_record(path, cls)`, reading one record file through a cache, and a Jinja `environment`
    (it compiles templates again when they change). Pages are rendered by `jobs` processes (default:
    one per available core); `progress(done, total)` hears how rendering goes. With `cache`, what a build
    read and made is kept for the next one in a folder beside the output (.site.cache/ for site/:
    parsed records, input digests, published files, shared passages); the output is the same without.
    `inputs` is a scan of the input files already made (the command line makes one to answer "nothing
    changed" at once). A `session` (the preview's) is left what this build made, so that the next
    save can update it (see session.py).
    """
    timings: dict[str, float] = {}
    root = config_path.parent
    out_dir = out_dir or root / "site"
    as_of = as_of or build_date()
    problems = Problems()
    with _timed("check", timings):
        inputs = inputs or InputScan(config_path, out_dir)
        state = state_file(out_dir)
        if not force and state.is_file() and \
                is_up_to_date(out_dir, inputs.fingerprint(build_options(base_url, strict, as_of, search))):
            return BuildResult(out_dir, 0, 0, timings, [], unchanged=True)
    state.unlink(missing_ok=True)
    with _timed("config", timings):
        config = load_config(config_path, base_url)
    with _timed("records", timings):
        store = RecordStore(cache_file(out_dir, "records"), inputs.digests) if cache and not read_record else None
        for folder, cls in (("questions", Question), ("deputies", Deputy)) if store else ():
            store.parse_ahead(root / "content" / folder, cls, jobs or available_cores(),
                              functools.partial(derived_from_text, config.topics))
        records = load_records(root / "content", problems, read_record or (store and store.read))
        if store:
            inputs.provide({path: digests[0] for path, digests in store.digests.items()})
        problems.raise_if_any(strict)
    with _timed("index", timings):
        related = _related_index(store, out_dir)
        site = build_site_data(config, records, as_of, problems, store.memo if store else None, related,
                               jobs or available_cores())
        if store:
            store.ahead.clear()  # what was derived ahead and not taken (topics of a text the cache held)
        check_out_dir(out_dir, root, problems)  # before anything is written beside it
        problems.raise_if_any(strict)
        if related is not None and session is None:  # not held while pages render: saved aside now
            _save_related(related, out_dir, store.version, staged=True)
            related = None
        release_freed_memory()
    with _timed("plan", timings):
        plan = plan_pages(site, records)
        check_collisions(plan, root / "templates" / "static", problems)
        problems.raise_if_any(strict)
    _long_lived_made()
    with _timed("render", timings):
        pages = _page_cache(store, records, site, out_dir, root, build_options(base_url, strict, as_of, search))
        kept = frozenset(p.output for p in plan if pages and pages.cached(p.output))
        kept_data = frozenset(name for name in [*map(question_json_output, site.questions.values()), *SITE_WIDE]
                              if pages and pages.cached(name))
        # Few pages to render, no search index to make: into the published site, once all is made.
        # Else into a new folder beside it, as files are made (memory holds no more than a batch).
        in_place = bool(pages and pages.files) and not search and (out_dir / MARKER).is_file() \
            and len(plan) - len(kept) <= IN_PLACE_MAX
        writer = None if in_place else StagingWriter(out_dir, pages)
        chunks, published = _published_chunks(pages)
        try:
            question_records = {v.uid: None for v in site.questions.values() if question_json_output(v) in kept_data}
            reads: dict | None = {} if pages else None
            environment = environment or make_environment(root / "templates",
                                                          compiled=_compiled_templates(out_dir, store.version) if store else None)
            files = render_pages(environment,
                                 replace(site, questions=tracked(site.questions)) if pages else site, plan, problems,
                                 question_records, jobs or available_cores(), progress, kept, reads, writer)
            release_freed_memory()
            data, offsets, questions_json = open_data_files(site, question_records, kept_data,
                                                            chunks, writer, session is not None)
            release_freed_memory()
            files.update(data)
            if pages:
                log.debug("pages    %d rendered, %d unchanged since the last build", len(plan) - len(kept), len(kept))
                for output, page_read in reads.items():
                    pages.rendered(output, page_read)
                for v in site.questions.values():
                    pages.rendered(question_json_output(v), (v.uid,))
                for name in SITE_WIDE:
                    pages.rendered(name, ())
                pages.new_chunks = offsets
            for name, data in {**photo_files(site), **static_files(root / "templates" / "static")}.items():
                files[name] = writer(name, data) if writer else data
            problems.raise_if_any(strict)
            with _timed("write", timings):
                kept |= kept_data
                if in_place:
                    changed = publish_in_place(out_dir, files, kept, pages)
                else:
                    changed = writer.finish(files, kept, pages)
            if search and not in_place:
                with _timed("search", timings):
                    index_site(writer.staging)
        except BaseException:
            if writer is not None:
                writer.discard()
            raise
        finally:
            if published is not None:
                published.close()
    timings["render"] -= timings.get("write", 0) + timings.get("search", 0)
    if not in_place:
        swap_in(writer.staging, out_dir)
    result = BuildResult(out_dir, len(plan), len(files) + len(kept), timings, problems.warnings, changed=changed,
                         rendered=len(plan) - len(kept & {p.output for p in plan}))
    if session is not None:
        session.keep(config=config, as_of=as_of, records=records, site=site, plan=plan, store=store, pages=pages,
                     inputs=inputs, questions_json=questions_json, warnings=problems.warnings, related=related,
                     environment=environment)
    # What is saved next is pickled in memory that the views, the plan and the files' list free now
    # (unless the preview keeps them), not in more: the build's memory would peak here.
    site = plan = files = reads = kept = None
    if cache:
        inputs.save()
    if store:
        store.save()
        _save_related(related, out_dir, store.version)
    if pages:
        pages.save()
    if cache and not problems.warnings:  # a build with warnings runs again, so that they are shown again
        fingerprint = inputs.fingerprint(build_options(base_url, strict, as_of, search))
        save_atomically(state, lambda f: f.write(fingerprint.encode("utf-8")))
    return result


def _related_index(store, out_dir: Path) -> RelatedIndex | None:
    """The index of shared passages of the last build (passages.RelatedIndex), kept beside the record cache."""
    if store is None:
        return None
    try:
        with _related_file(out_dir).open("rb") as f:
            version, index = pickle.load(f)
        if version == store.version and isinstance(index, RelatedIndex):
            return index
    except Exception:  # missing or damaged: made afresh
        pass
    return RelatedIndex()


def _related_file(out_dir: Path) -> Path:
    return cache_file(out_dir, "related")


def _save_related(index: RelatedIndex | None, out_dir: Path, version: str, staged: bool = False) -> None:
    """Keep the index for the next build. `staged`: written beside its file, which the next call
    (index None), once the build has succeeded, puts in its place. So the index (~130 MB at 50,000
    questions) is not held in memory while pages render, and a failed build changes nothing."""
    target = _related_file(out_dir)
    aside = target.with_name(target.name + ".new")
    if index is None:
        if aside.is_file():
            os.replace(aside, target)
        return
    save_atomically(aside if staged else target,
                    lambda f: pickle.dump((version, index), f, protocol=pickle.HIGHEST_PROTOCOL))


def _compiled_templates(out_dir: Path, version: str) -> Path:
    """The folder of templates compiled by this very code and Jinja (see make_environment), those of
    other versions removed."""
    folder = cache_file(out_dir, f"templates-{version[:20]}-jinja{jinja2.__version__}")
    for other in folder.parent.glob("templates-*") if folder.parent.is_dir() else ():
        if other != folder:
            shutil.rmtree(other, ignore_errors=True)
    return folder


def _published_chunks(pages) -> tuple[dict, object]:
    """Where each question's record lies in the published data/questions.json (uid -> Stored), and
    that file opened (to be closed once the new one is written), or ({}, None). The records are read
    as they are written out, not held in memory (95 MB at 10,000 questions)."""
    if pages is None or not pages.chunks or not pages.published(QUESTIONS_JSON):
        return {}, None
    published = (pages.out_dir / QUESTIONS_JSON).open("rb")
    return {uid: Stored(published, start, end - start) for uid, (start, end) in pages.chunks.items()}, published


def _page_cache(store, records, site: SiteData, out_dir: Path, root: Path, options: tuple) -> PageCache | None:
    """The cache of rendered pages (pagecache.py), when records were read through the record cache."""
    if store is None:
        return None
    questions = {q.uid: store.digests[str(path)] for q, path in records.questions}
    others = [(str(path), store.digests[str(path)][0]) for _, path in records.deputies]
    others += [(str(path), store.digests[str(path)][0]) for _, path in records.pages.values()]
    structure = structure_digest(site, questions, others, root, store.version, options)
    return PageCache(cache_file(out_dir, "pages"), out_dir, structure, questions)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        return os.cpu_count() or 1


@contextmanager
def _timed(stage: str, timings: dict):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = time.perf_counter() - start
        log.debug("%-8s %.3f s (peak memory so far %d MiB)", stage, timings[stage], _peak_mib())


def _peak_mib() -> int:
    try:
        import resource
    except ImportError:  # not on every system
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


# ---------------------------------------------------------------- plan


def plan_pages(site: SiteData, records) -> list[PlannedPage]:
    """List every page of the site with the inputs it is made from."""
    content_files = {uid: str(path) for uid, path in ((q.uid, p) for q, p in records.questions)}
    deputy_files = {d.slug: str(p) for d, p in records.deputies}
    page_files = {slug: str(p) for slug, (_, p) in records.pages.items()}
    home = site.pages.get("index")
    plan = [
        PlannedPage("/", "home.html", (page_files.get("index", "home"),), {"content": home}),
        PlannedPage("/questions/", "questions.html", ("question index",), {}),
        PlannedPage("/deputes/", "deputies.html", ("deputy index",), {}),
        PlannedPage("/themes/", "topics.html", ("topic index",), {}),
        PlannedPage("/donnees/", "data.html", ("open data page",), {}),
        PlannedPage("/statistiques/", "statistics.html", ("statistics page",), {"stats": compute_stats(site)}),
        PlannedPage("/404.html", "404.html", ("not-found page",), {}, absolute_links=True),
        PlannedPage("/recherche/", "search.html", ("search page",), {}),
    ]
    plan += [PlannedPage(v.url, "question.html", (content_files[uid],), {"q": v}) for uid, v in site.questions.items()]
    photos = deputy_photos(site.config.path.parent / "content")
    plan += [PlannedPage(p.url, "deputy.html", (deputy_files.get(slug, f"author of {', '.join(uids)}"),),
                         {"person": p, "uids": uids, "photo": photos.get(slug) and f"{p.url}photo{photos[slug].suffix}"})
             for slug, (p, uids) in site.deputies.items()]
    for kind, groups in (("ministeres", site.ministries), ("rubriques", site.rubriques)):
        plan.append(PlannedPage(f"/{kind}/", "groups.html", (f"{kind} index",), {"kind": kind, "groups": groups}))
        plan += [PlannedPage(g.url, "group.html", (f"{kind[:-1]} '{g.name}' of the questions",), {"group": g})
                 for g in groups.values()]
    plan += [PlannedPage(t.url, "topic.html", (f"topic '{slug}' in config.yaml",), {"topic": t})
             for slug, t in site.topics.items()]
    plan += [PlannedPage(f"/{slug}/", "page.html", (page_files[slug],), {"content": page})
             for slug, page in site.pages.items() if slug != "index"]
    plan += [PlannedPage(feed.url, "feed.xml", (f"feed of {feed.page_url}",), {"feed": feed})
             for feed in site_feeds(site)]
    plan.append(PlannedPage("/robots.txt", "robots.txt", ("robots.txt",), {}))
    if site.config.base_url:  # a sitemap lists absolute addresses: only with a known base URL
        pages = [p.url for p in plan if p.template.endswith(".html") and p.url != "/404.html"]
        plan.append(PlannedPage("/sitemap.xml", "sitemap.xml", ("sitemap",), {"locations": pages}))
    return plan


def check_collisions(plan: list[PlannedPage], static_dir: Path, problems: Problems) -> None:
    """Report every output file that two inputs would write, naming all of them."""
    outputs = [page.output for page in plan] + list(static_files(static_dir, read=False))
    outputs += ["data/questions.json", "data/questions.csv", "data/deputies.json", "data/topics.json"]
    outputs += [page.output.replace("index.html", "question.json") for page in plan if page.template == "question.html"]
    if len(set(outputs)) == len(outputs):
        return
    claims: dict[str, list[str]] = {}
    for page in plan:
        claims.setdefault(page.output, []).extend(page.inputs)
    for name in static_files(static_dir, read=False):
        claims.setdefault(name, []).append(str(static_dir / name[len("static/"):]))
    for name in ("data/questions.json", "data/questions.csv", "data/deputies.json", "data/topics.json"):
        claims.setdefault(name, []).append("open data")
    for page in plan:
        if page.template == "question.html":
            claims.setdefault(page.output.replace("index.html", "question.json"), []).append("open data")
    for output, inputs in sorted(claims.items()):
        if len(inputs) > 1:
            problems.error(f"several inputs would write site/{output}: {', '.join(inputs)}")


# ---------------------------------------------------------------- render and write


def render_pages(env: jinja2.Environment, site: SiteData, plan: list[PlannedPage], problems: Problems,
                 question_records: dict | None = None, jobs: int = 1, progress=None,
                 skip: frozenset = frozenset(), reads: dict | None = None, sink=None) -> dict:
    """Render every planned page to bytes; a template error is reported with its file and line.

    Returns output -> bytes, or with a `sink` (a StagingWriter), output -> what sink(output, bytes)
    returned, the bytes written away at once. A question's open-data record is made just before its
    page, as JSON bytes, into `question_records` (with a sink: written as its question.json, and
    kept as it goes into data/questions.json: see open_data_files): both then share one conversion
    of its texts. With `jobs` > 1 (and where processes can fork), pages are
    rendered by that many processes, each given batches of consecutive pages; results are put back
    in plan order, so the output is the same bytes whatever the number of processes. `progress(done,
    total)` is called as pages are done. Pages whose output is in `skip` are not rendered (their
    open-data record still is made); with `reads`, what each rendered page read of `site.questions`
    (pagecache.tracked views then) is noted there.
    """
    if jobs > 1 and len(plan) - len(skip) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
        rendered = _render_in_processes(env, site, plan, question_records, jobs, progress, skip, reads is not None,
                                        sink)
        if rendered is not None:
            files, records, batch_reads = rendered
            if question_records is not None:
                question_records.update(records)
            if reads is not None:
                reads.update(batch_reads)
            return files
        # an error somewhere: render again here, so that errors are reported exactly as in one process
    files = {}
    base_path = _base_path(site.config)
    for done, page in enumerate(plan, 1):
        if question_records is not None and page.template == "question.html" \
                and page.context["q"].uid not in question_records:
            view = page.context["q"]
            data = _json(question_record(view))
            # With a sink, its question.json is written at once; its part of data/questions.json is kept.
            question_records[view.uid] = (sink(question_json_output(view), data), sink.keep(_indented(data))) \
                if sink else data
        if page.output in skip:
            continue
        if reads is not None:
            start_page(page.context)
        try:
            data = _rendered(env.get_template(page.template),
                             dict(site=site, page=page, base_path=base_path, **page_functions(site, page, base_path),
                                  **page.context), joined=sink is None)
        except jinja2.TemplateSyntaxError as exc:
            problems.error(f"template error: {exc.message}", exc.filename or page.template, exc.lineno)
            break
        except jinja2.TemplateError as exc:
            problems.error(f"{type(exc).__name__} while rendering {page.url}: {exc}", *_template_location(exc))
            continue
        files[page.output] = sink(page.output, data) if sink else data
        if reads is not None:
            reads[page.output] = page_reads()
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, len(plan))
    return files


def _rendered(template: jinja2.Template, context: dict, joined: bool = True) -> bytes | Parts:
    """The page as UTF-8 bytes, its pieces joined a few thousand at a time. Template.render joins
    them all at once, holding every piece until then: the question index yields 25 pieces
    per question, 1.25 million strings at 50,000 questions in the process rendering it. Unless
    `joined`, a page of several such parts is left as Parts, to be written part after part: joining
    them held the largest pages twice (a topic page of 20 MB at 50,000 questions)."""
    pieces, parts = template.generate(context), []
    while batch := list(islice(pieces, 4096)):  # taken in C: a loop here cost 0.15 ms a question page
        parts.append("".join(batch).encode("utf-8"))
    if len(parts) == 1:
        return parts[0]
    return b"".join(parts) if joined else Parts(parts)


PARALLEL_FROM = 200  # below this, starting processes costs more than it saves
BATCH = 64  # pages per task: large enough to keep messages few, small enough to balance the load
PROGRESS_EVERY = 64
_FORKED: tuple = ()  # what the rendering processes inherit when they fork: (env, site, plan, ..., stop)


def _render_in_processes(env, site, plan, known_records: dict | None, jobs: int, progress, skip: frozenset,
                         track: bool, sink) -> tuple[dict, dict, dict] | None:
    """Render the plan in `jobs` forked processes; None when any page failed (the caller redoes it)."""
    global _FORKED
    context = multiprocessing.get_context("fork")
    stop = context.Event()  # set when a page failed: the batches not begun are skipped
    _FORKED = (env, site, plan, known_records, skip, track, sink, stop)
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        try:  # compiled here once (pages, what they extend or import), not in every process
            env.get_template(name)
        except (jinja2.TemplateError, UnicodeDecodeError, OSError):  # reported, if used, as pages render
            pass
    batches = [(start, min(start + BATCH, len(plan))) for start in range(0, len(plan), BATCH)]
    files: dict = {}
    records: dict = {}
    reads: dict = {}
    try:
        with context.Pool(jobs) as pool:
            # After a failure, every batch is still waited for (those not begun return at once), not
            # the processes stopped: one stopped while it sends its pages back would hold the lock
            # of the results' pipe, and the pool wait for it for ever.
            results = pool.imap(_render_batch, batches)
            try:
                for batch_files, batch_records, batch_reads, failed in results:
                    if failed or stop.is_set():
                        stop.set()
                        continue
                    files.update(batch_files)
                    records.update({uid: (made[0], sink.keep(made[1])) for uid, made in batch_records.items()}
                                   if sink else batch_records)
                    reads.update(batch_reads)
                    if progress:
                        progress(len(files), len(plan) - len(skip))
            except Exception:  # raised here or in a process: the batches still out are waited for too
                stop.set()
                _waited_for(results)
                raise
    finally:
        _FORKED = ()
    return None if stop.is_set() else (files, records, reads)


def _waited_for(results) -> None:
    while True:
        try:
            next(results)
        except StopIteration:
            return
        except Exception:  # that batch's own error: the first is the one raised
            continue


def _render_batch(bounds: tuple[int, int]) -> tuple[list, dict, dict, bool]:
    env, site, plan, known_records, skip, track, sink, stop = _FORKED
    if stop.is_set():
        return [], {}, {}, True
    problems = Problems()
    made: dict = {}
    records = ChainMap(made, known_records) if known_records is not None else None  # new ones go into made
    reads: dict | None = {} if track else None
    files = render_pages(env, site, plan[bounds[0]:bounds[1]], problems, records, skip=skip, reads=reads, sink=sink)
    if problems.errors:
        stop.set()
    return list(files.items()), made, reads or {}, bool(problems.errors)


def _template_location(exc: Exception) -> tuple:
    """Find the template file and line in a rendering error's traceback."""
    tb, found = exc.__traceback__, (None, None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _base_path(config: Config) -> str:
    if not config.base_url:
        return "/"
    return "/" + config.base_url.split("://", 1)[1].partition("/")[2]


PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp")


def deputy_photos(content_dir: Path) -> dict[str, Path]:
    """Deputy photos saved under content/deputies/photos/<slug>.<jpg|png|webp>: published, never hotlinked."""
    folder = content_dir / "deputies" / "photos"
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.iterdir()) if p.suffix.lower() in PHOTO_TYPES}


def photo_files(site: SiteData) -> dict[str, bytes]:
    return {f"deputes/{slug}/photo{path.suffix}": path.read_bytes()
            for slug, path in deputy_photos(site.config.path.parent / "content").items() if slug in site.deputies}


def static_files(static_dir: Path, read: bool = True) -> dict[str, bytes | None]:
    """The self-hosted assets (CSS, fonts, images) beside the templates (their names alone unless `read`)."""
    if not static_dir.is_dir():
        return {}
    return {f"static/{p.relative_to(static_dir).as_posix()}": p.read_bytes() if read else None
            for p in sorted(static_dir.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def check_out_dir(out_dir: Path, root: Path, problems: Problems) -> None:
    """Refuse to replace a folder this tool did not build, or one that holds the project."""
    out, project = out_dir.resolve(), root.resolve()
    if out == project or project.is_relative_to(out) or out.is_relative_to(project / "content") \
            or out.is_relative_to(project / "templates"):
        problems.error(f"refusing to build into {out_dir}: it holds the project's own files")
    elif out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        problems.error(f"refusing to replace {out_dir}: it exists and was not built by this tool "
                       f"(no {MARKER} file); remove it or choose another --out")


IN_PLACE_MAX = 2000  # pages to render above which a build makes a new folder rather than write in place


class StagingWriter:
    """Write the new site, file by file as they are made, into a fresh folder beside out_dir.

    A file whose bytes are those of the current site is linked, not written again: it keeps its
    modification time, so that a deployment by size and time (rsync, most hosts' uploaders) sends
    only what changed. Calls return (digest, size, mtime_ns, written) and work in forked rendering
    processes too. finish() adds the files kept unread; swap_in() then puts the folder in place.
    """

    def __init__(self, out_dir: Path, pages: PageCache | None):
        self.out_dir, self.staging = out_dir, out_dir.with_name(f".{out_dir.name}.new")
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        self.known = pages.files if pages else {}
        self._published_site = out_dir.exists()  # else no file can be linked from it
        self.published = pages.published if pages else None
        self._made: set[Path] = set()
        self._spool: Spool | None = None
        self._owner = os.getpid()

    def keep(self, data: bytes) -> bytes | Stored:
        """Set bytes aside until they are written as part of a file (write_parts): in a spool beside
        the output. In a forked rendering process, the bytes are returned as they are: they go back to
        the main process, which keeps them in turn."""
        if os.getpid() != self._owner:
            return data
        if self._spool is None:
            self._spool = Spool(self.staging.parent)
        return self._spool.add(data)

    def __call__(self, name: str, data: bytes | Parts) -> tuple:
        target = self._target(name)
        digest = _file_digest(data)
        known = self.known.get(name)
        if known is not None:  # the published file's digest is on record: linked unread if the same
            linked = known[0] == digest and self.published(name) and _link(self.out_dir / name, target)
        else:
            linked = self._published_site and _link_if_same(self.out_dir / name, target, data)
        stat = os.stat(target) if linked else _write_new(target, data)
        return digest, stat.st_size, stat.st_mtime_ns, not linked

    def write_parts(self, name: str, parts: list[bytes]) -> tuple:
        """Write a file made of parts (data/questions.json: 95 MB at 10,000 questions) without joining them."""
        return self(name, Parts(parts))

    def _target(self, name: str) -> Path:
        target = self.staging / name
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        return target

    def finish(self, files: dict, kept: frozenset, pages: PageCache | None) -> int:
        """Link the files kept as published, record what was written; return how many files are new or changed."""
        changed = 0
        for name in sorted(kept):
            os.link(self.out_dir / name, self._target(name))
            pages.new_files[name] = pages.files[name]
        for name, entry in files.items():
            if pages is not None:
                pages.new_files[name] = entry[:3]
            changed += entry[3]
        (self.staging / MARKER).write_text("Built by build.py; this folder is replaced at each build.\n",
                                           encoding="utf-8")
        self._close()
        return changed

    def discard(self) -> None:
        self._close()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None


def _link(old: Path, new: Path) -> bool:
    try:
        os.link(old, new)
        return True
    except OSError:
        return False


def _link_if_same(old: Path, new: Path, data: bytes | Parts) -> bool:
    """Link the published file as the new one if it holds these bytes (read part by part, never whole)."""
    parts = data if isinstance(data, Parts) else (data,)
    if any(isinstance(part, Stored) for part in parts):
        return False  # data/questions.json: not read back to be compared
    try:
        if old.stat().st_size != sum(map(len, parts)):
            return False
        with old.open("rb") as f:
            if any(f.read(len(part)) != part for part in parts):
                return False
        os.link(old, new)
        return True
    except OSError:  # no such file, or links not possible here: write it
        return False


def _write_new(target: Path, data: bytes | Parts) -> os.stat_result:
    """Write a file that does not exist yet (in the staging folder, which no reader sees), never
    into one that does (it could be linked to the published site); return its stat. Writing aside
    and renaming, as into the published site, cost a rename per file. A file made already (pages
    rendered again after an error in a rendering process) is replaced whole."""
    try:
        f = target.open("xb")
    except FileExistsError:
        _write_whole(target, data)
        return os.stat(target)
    with f:
        f.writelines(data.pieces()) if isinstance(data, Parts) else f.write(data)
        f.flush()
        return os.fstat(f.fileno())


def _write_whole(target: Path, data: bytes | Parts) -> None:
    """Write a file aside, then rename it over the target: readers see the old bytes or the new."""
    os.replace(_written_aside(target, data)[0], target)


def _written_aside(target: Path, data: bytes | Parts, hashed: bool = False) -> tuple[Path, bytes | None]:
    """Write the bytes into a file beside the target (to be renamed over it); return that file and,
    if `hashed`, the bytes' digest (as _file_digest), made as they are written."""
    partial = target.with_name(f".{target.name}.partial")
    digest = hashlib.blake2b(digest_size=20) if hashed else None
    try:
        with partial.open("wb") as f:
            for piece in data.pieces() if isinstance(data, Parts) else (data,):
                f.write(piece)
                if digest is not None:
                    digest.update(piece)
    except BaseException:  # a full disk: nothing left behind
        partial.unlink(missing_ok=True)
        raise
    return partial, digest and digest.digest()


def _file_digest(data: bytes | Parts) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    for part in data.pieces() if isinstance(data, Parts) else (data,):
        digest.update(part)
    return digest.digest()


def publish_in_place(out_dir: Path, files: dict[str, bytes], kept: frozenset, pages: PageCache) -> int:
    """Publish into the current site: write only the files whose bytes changed, remove those no longer made.

    Used when the last build recorded every file it published (pages.files) and no search index is
    to be made. Everything is rendered and checked before this runs, so bad input still writes
    nothing; each file is replaced whole (written aside, then renamed). Until this is done, the
    record of the published files is removed: a build stopped midway is followed by a full one.
    Returns how many files were written.
    """
    pages.forget()
    old, new = pages.files, pages.new_files
    changed = _write_changed(out_dir, files, old, new, pages.published)
    for name in kept:
        new[name] = old[name]
    for name in sorted(old.keys() - new.keys(), reverse=True):
        gone = out_dir / name
        gone.unlink(missing_ok=True)
        for folder in gone.parents:
            if folder == out_dir or any(folder.iterdir()):
                break
            folder.rmdir()
    shutil.rmtree(out_dir / "pagefind", ignore_errors=True)  # a search index of an earlier build
    return changed


def publish_files(out_dir: Path, files: dict[str, bytes], pages: PageCache, certainly_changed=frozenset()) -> int:
    """Write these files into the published site where their bytes changed, the others left as they are
    (the preview's updates, see session.py); return how many were written. Files `certainly_changed`
    are written without computing their digest (recorded as unknown: the next build writes them)."""
    pages.forget()
    current = pages.new_files
    return _write_changed(out_dir, files, current, current, lambda name: pages.published(name, current),
                          certainly_changed)


def _write_changed(out_dir: Path, files: dict[str, bytes], old: dict, new: dict, published,
                   certainly_changed=frozenset()) -> int:
    changed = 0
    for name in sorted(files):
        data, known, target = files[name], old.get(name), out_dir / name
        certain = name in certainly_changed or (isinstance(data, Parts) and data.changed)
        if isinstance(data, Parts) and not certain:
            # Large (data/questions.json: 95 MB at 10,000 questions), and changed after most edits:
            # hashed as it is written aside, its parts read once (0.05 s less than hashing first).
            target.parent.mkdir(parents=True, exist_ok=True)
            partial, digest = _written_aside(target, data, hashed=True)
            if known is not None and known[0] == digest and published(name):
                partial.unlink()
                new[name] = known
                continue
            os.replace(partial, target)
        else:
            digest = None if certain else _file_digest(data)  # a file certainly changed: not hashed
            if digest is not None and known is not None and known[0] == digest and published(name):
                new[name] = known
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_whole(target, data)
        stat = os.stat(target)
        new[name] = (digest, stat.st_size, stat.st_mtime_ns)
        changed += 1
    return changed


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by the staging folder (the old site stays whole until this moment)."""
    retired = out_dir.with_name(f".{out_dir.name}.old")
    if retired.exists():
        shutil.rmtree(retired)
    if out_dir.exists():
        out_dir.rename(retired)
    staging.rename(out_dir)
    if retired.exists():
        shutil.rmtree(retired)
