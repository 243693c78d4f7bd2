#!/usr/bin/env python3
"""Benchmark the dossier build against Hugo and Pelican on one generated corpus, side by side.

    python bench/run.py --questions N [--tools dossier,hugo,pelican] [--runs K] [--json FILE] [--seed S]

Each tool builds its own copy of the same corpus. In each of K rounds, every tool in turn does a
cold build (inputs only: no output, no cache), a no-op rebuild, and a rebuild after one question's
text changed; then the dossier's output folder is copied (the floor: writing the files and nothing
else). Each figure is the median over the rounds; peak memory is the largest resident set of the
build's process tree (getrusage of the child, as the kernel reports it on exit).
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus  # noqa: E402
from bench.tools import TOOLS, dossier_search_command, edit_question, ensure_installed, environment  # noqa: E402

log = logging.getLogger("bench")
MEASURES = ("cold", "noop", "edit")
GOALS = {"cold_s": 0.8, "noop_s": 0.1, "edit_s": 0.1, "peak_mib": 0.25}  # issue 6, as a fraction of Hugo's


class Graveyard:
    """Where the benchmark puts the folders it is done with, to delete them once every build is timed.

    On a file system without a journal, as here (ext4), the kernel that allocates an inode skips,
    one by one, those freed in the last minute (five while their table is not yet written back).
    Creating 40,000 files took 0.9 s in a fresh state and 14.5 s right after 80,000 were deleted:
    a cold build timed just after the previous round's output was deleted measured those deletions,
    more for the tool writing more files. Moving a folder aside (a rename) frees no inode.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def __call__(self, path: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path.rename(self.folder / f"{os.getpid()}-{self.count}")  # the corpus is made in another process

    def empty(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)


class BuildError(RuntimeError):
    """A build under test failed: the benchmark stops rather than time a broken build."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--questions", type=int, required=True, metavar="N", help="questions in the corpus")
    p.add_argument("--tools", default="dossier,hugo,pelican", help="comma-separated, among " + ", ".join(TOOLS))
    p.add_argument("--runs", type=int, default=1, metavar="K", help="rounds; each figure is the median (default 1)")
    p.add_argument("--json", type=Path, metavar="FILE", help="write the results there as JSON")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    p.add_argument("--deputies", type=int, default=corpus.DEPUTIES, help="deputies in the corpus (default 600)")
    p.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "work",
                   help="folder for the generated sites and their output (default bench/work/)")
    args = p.parse_args(argv)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in args.tools if t not in TOOLS]
    if unknown or not args.tools:
        p.error(f"unknown tool(s) {', '.join(unknown) or '(none given)'}; choose among {', '.join(TOOLS)}")
    if args.questions < 1 or args.runs < 1:
        p.error("--questions and --runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, build it with each tool, print the table, write the JSON."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s", stream=sys.stderr)
    ensure_installed(args.tools)
    # The corpus is made in a child process. This process stays small: each build is started from
    # it with vfork, and the kernel counts the peak memory of the process a build replaces (this
    # one) in the build's own peak (ru_maxrss): 300 MiB of corpus at 50,000 questions would show
    # as the peak of every no-op build.
    graveyard = Graveyard(args.work / "discarded")
    graveyard.empty()  # what an interrupted run left
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)) as pool:
        folders = pool.submit(prepare, args, graveyard).result()
    try:
        results = measure(args, folders, graveyard)
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        graveyard.empty()
    print(report(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def prepare(args, graveyard: Graveyard) -> dict:
    """Generate the corpus and write it once per tool, each in a fresh folder (a previous run's goes
    to the graveyard)."""
    start = time.perf_counter()
    generated = corpus.generate(args.questions, args.seed, args.deputies)
    root = args.work / f"q{args.questions}-s{args.seed}"
    folders = {}
    for name in args.tools:
        folder = root / name
        if folder.exists():
            graveyard(folder)
        folder.mkdir(parents=True)
        TOOLS[name].write(generated, folder)
        folders[name] = folder
    middle = sorted(corpus.question_key(q) for q in generated.questions)[len(generated.questions) // 2]
    folders["_edited"] = middle
    log.info("corpus of %d questions, %d deputies written for %s in %.1f s", len(generated.questions),
             len(generated.deputies), ", ".join(args.tools), time.perf_counter() - start)
    return folders


def measure(args, folders: dict, graveyard: Graveyard) -> dict:
    """Run K rounds of cold, no-op and edit builds, tools side by side; return medians and raw runs."""
    env = environment()
    runs = {name: {f"{m}_{unit}": [] for m in MEASURES for unit in ("s", "mib")} for name in args.tools}
    copies: list[float] = []
    searches: list[float] = []
    floor_of = "dossier" if "dossier" in args.tools else args.tools[0]
    for round_ in range(args.runs):
        for measure_ in MEASURES:
            for name in args.tools:
                tool, folder = TOOLS[name], folders[name]
                if measure_ == "cold":
                    tool.clean(folder, graveyard)
                elif measure_ == "edit":
                    edit_question(folder, folders["_edited"], round_)
                seconds, mib = timed_build(tool.command(folder), folder, env, f"{name} {measure_}")
                runs[name][f"{measure_}_s"].append(seconds)
                runs[name][f"{measure_}_mib"].append(mib)
                log.info("round %d/%d  %-8s %-5s %8.2f s %8.0f MiB", round_ + 1, args.runs, name, measure_,
                         seconds, mib)
        if "dossier" in args.tools:  # search indexing, timed apart; its output is removed again
            seconds, _ = timed_build(dossier_search_command(folders["dossier"]), folders["dossier"], env,
                                     "dossier search")
            graveyard(folders["dossier"] / TOOLS["dossier"].output / "pagefind")
            searches.append(seconds)
            log.info("round %d/%d  dossier  search %7.2f s", round_ + 1, args.runs, seconds)
        copies.append(copy_output(folders[floor_of] / TOOLS[floor_of].output, graveyard))
    tools = {}
    for name in args.tools:
        r = runs[name]
        out = folders[name] / TOOLS[name].output
        tools[name] = {"cold_s": _median(r["cold_s"]), "noop_s": _median(r["noop_s"]),
                       "edit_s": _median(r["edit_s"]), "peak_mib": _median(r["cold_mib"]),
                       "noop_peak_mib": _median(r["noop_mib"]), "edit_peak_mib": _median(r["edit_mib"]),
                       **output_size(out), "runs": r}
        if name == "dossier":
            tools[name]["search_s"] = _median(searches)
        if "hugo" in runs:
            tools[name]["ratio_to_hugo"] = ratios_to_hugo(r, runs["hugo"])
    return {"questions": args.questions, "tools": tools,
            "floor": {"copy_s": _median(copies), "of": floor_of, "runs": copies},
            "runs": args.runs, "seed": args.seed, "deputies": args.deputies, "cores": os.cpu_count(),
            "load_average": list(os.getloadavg()), "python": sys.version.split()[0]}


def ratios_to_hugo(runs: dict, hugo: dict) -> dict:
    """Each figure over Hugo's of the same round (no-op and edit over Hugo's cold build), median of rounds.

    On a shared machine the load drifts between rounds; a ratio within one round cancels most of it.
    """
    basis = {"cold_s": "cold_s", "noop_s": "cold_s", "edit_s": "cold_s", "peak_mib": "cold_mib"}
    mine = {"cold_s": "cold_s", "noop_s": "noop_s", "edit_s": "edit_s", "peak_mib": "cold_mib"}
    return {key: _median([a / b for a, b in zip(runs[mine[key]], hugo[basis[key]])]) for key in GOALS}


def timed_build(command: list, folder: Path, env: dict, what: str) -> tuple[float, float]:
    """Run one build in a fresh process; return its wall time and the peak RSS of its process tree."""
    log_path = folder.parent / f"{folder.name}.log"
    with log_path.open("ab") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=folder)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise BuildError(f"{what} build failed (exit {proc.returncode}); its output is in {log_path}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def copy_output(out: Path, graveyard: Graveyard) -> float:
    """Time a plain copy of a built site: the floor no build can go under."""
    target = out.with_name(out.name + ".copy")
    if target.exists():
        graveyard(target)
    start = time.perf_counter()
    shutil.copytree(out, target)
    seconds = time.perf_counter() - start
    graveyard(target)
    return seconds


def output_size(out: Path) -> dict:
    files = size = 0
    for dirpath, _, names in os.walk(out):
        files += len(names)
        size += sum(os.path.getsize(os.path.join(dirpath, n)) for n in names)
    return {"files": files, "output_mib": round(size / 2**20, 1)}


def _median(values: list) -> float:
    return round(statistics.median(values), 3)


def report(results: dict) -> str:
    """The results as a text table, with each figure's ratio to Hugo's and the goals of issue 6."""
    tools, floor = results["tools"], results["floor"]
    lines = [f"{results['questions']:,} questions, {results['deputies']} deputies; median of {results['runs']} "
             f"round(s); {results['cores']} cores, load average {results['load_average'][0]:.1f}", "",
             f"{'tool':<9}{'cold s':>9}{'no-op s':>9}{'edit s':>9}{'peak MiB':>10}{'files':>8}{'out MiB':>9}"]
    for name, t in tools.items():
        lines.append(f"{name:<9}{t['cold_s']:>9.2f}{t['noop_s']:>9.2f}{t['edit_s']:>9.2f}{t['peak_mib']:>10.0f}"
                     f"{t['files']:>8}{t['output_mib']:>9.1f}")
    lines.append(f"floor: copying the {floor['of']} output takes {floor['copy_s']:.2f} s")
    if "search_s" in tools.get("dossier", {}):
        lines.append(f"search: indexing the dossier's site with Pagefind takes {tools['dossier']['search_s']:.2f} s "
                     "(not in the figures above)")
    hugo = tools.get("hugo")
    if hugo:
        lines += ["", "ratios to Hugo, within each round, median of rounds (no-op and edit: to Hugo's cold build,",
                  "as issue 6 states its goal)",
                  f"{'tool':<9}{'cold':>9}{'no-op':>9}{'edit':>9}{'peak':>10}"]
        for name, t in tools.items():
            ratios = [t["ratio_to_hugo"][k] for k in GOALS]
            lines.append(f"{name:<9}" + "".join(f"{r:>9.2f}" if i < 3 else f"{r:>10.2f}" for i, r in enumerate(ratios)))
        lines.append(f"{'goal':<9}" + "".join(f"{'≤' + str(g):>9}" if i < 3 else f"{'≤' + str(g):>10}"
                                               for i, g in enumerate(GOALS.values())))
        lines.append(f"{'floor':<9}{floor['copy_s'] / hugo['cold_s']:>9.2f}" if hugo["cold_s"] else "")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
