"""The live preview, as an editor uses it: `python build.py serve` in a real browser (Debian's Chromium).

The shipped dossier is copied into a temporary folder and served by a subprocess on 127.0.0.1; the
test edits its files the way an editor saves them and watches the open tab.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import snapshot

from dossier.pipeline import build
from dossier.serve import Preview, RebuildingWatcher, decorate

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RECORD = "content/questions/16-qe-17941.md"
QUESTION_PAGE = "/questions/16-qe-17941/"
OVERLAY = ".dossier-preview-error"
WAIT_MS = 15_000


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the shipped dossier, to be edited."""
    root = tmp_path / "dossier"
    root.mkdir()
    shutil.copy(ROOT / "config.yaml", root)
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(root: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "build.py", "serve", "--config", str(root / "config.yaml"),
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def wait_until_serving(proc: subprocess.Popen, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited with {proc.returncode}: {proc.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:  # answering, with the errors of the first build
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing answered at {url}")


def stop(proc: subprocess.Popen) -> tuple[int, str, str]:
    """Interrupt the server as Ctrl-C does; return its status and output."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return proc.returncode, out, err


def stop_after(proc: subprocess.Popen, timeout: float) -> tuple[int, str, str]:
    """Wait for the server to exit by itself; return its status and output."""
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


@contextmanager
def serving(root: Path):
    """Run `python build.py serve` on the project; yield its address; always stop it."""
    port = free_port()
    proc = start_serve(root, port)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(proc, url + "/")
        yield url
    finally:
        stop(proc)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def save(path: Path, text: str) -> None:
    """Save a file as an editor does: whole, in place."""
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- without a browser


def test_the_reload_script_is_added_from_self_and_errors_are_escaped():
    page = b"<html><head><title>t</title></head><body class='x'><p>ok</p></body></html>"
    assert decorate(page, [], 5600) == (b"<html><head><title>t</title><script src=\"/livereload.js?port=5600\" async>"
                                        b"</script></head><body class='x'><p>ok</p></body></html>")
    shown = decorate(page, ["content/questions/a.md:3: bad <script>"], 5600).decode()
    assert "<body class='x'><div class=\"dossier-preview-error\"" in shown
    assert "content/questions/a.md:3: bad &lt;script&gt;" in shown
    assert shown.endswith("<p>ok</p></body></html>")


def test_a_save_renders_the_pages_it_touches_and_the_preview_equals_a_full_build(project, tmp_path):
    preview = Preview(project / "config.yaml", tmp_path / "preview" / "site", "http://127.0.0.1:5500/")
    preview.rebuild()
    everything = preview.rendered
    record = project / RECORD
    save(record, record.read_text(encoding="utf-8").replace("numérique, sur la sécurité",
                                                            "numérique, sur la seule sécurité"))
    preview.rebuild([record])
    assert preview.errors == [] and 0 < preview.rendered < everything
    build(project / "config.yaml", tmp_path / "full", "http://127.0.0.1:5500/", search=False, cache=False)
    assert snapshot(tmp_path / "preview" / "site") == snapshot(tmp_path / "full")


def test_rebuilds_follow_edits_to_a_parent_template(project, tmp_path):
    """The preview keeps its compiled templates between rebuilds; an edit to one they extend still shows."""
    preview = Preview(project / "config.yaml", tmp_path / "preview" / "site", "http://127.0.0.1:5500/")
    preview.rebuild()
    base = project / "templates" / "base.html"
    save(base, base.read_text(encoding="utf-8").replace("Aller au contenu", "Aller au texte"))
    preview.rebuild([base])
    assert preview.errors == []
    assert "Aller au texte" in (tmp_path / "preview" / "site" / QUESTION_PAGE.strip("/") / "index.html").read_text()


def test_a_saved_source_page_costs_one_rebuild_not_two(project, tmp_path):
    """The records the preview's import writes are not taken for an editor's change."""
    source = project / "content" / "sources" / "000_23207a8713ae3daa.txt"
    saved = source.read_bytes()
    source.unlink()
    (project / RECORD).unlink()
    preview = Preview(project / "config.yaml", tmp_path / "preview" / "site", "http://127.0.0.1:5500/")
    preview.rebuild()
    watcher = RebuildingWatcher(preview)
    watcher.watch(str(project / "content" / "**" / "*"), watcher.note)
    watcher.examine()  # takes note of the files as they are
    time.sleep(0.05)
    (project / "content" / "sources" / "saved-page.txt").write_bytes(saved)
    assert watcher.examine()[0] == "*" and preview.generation == 2
    assert (project / RECORD).is_file() and preview.errors == []
    assert watcher.examine()[0] is None and preview.generation == 2  # the new record: already built


def test_a_busy_port_gets_a_clear_message(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, out, err = stop_after(start_serve(project, port), 30)
    assert status == 1
    assert err.strip() == (f"error: cannot serve on 127.0.0.1:{port}: it is already in use; "
                           "choose another port with --port")


def test_ctrl_c_stops_cleanly_and_the_published_site_is_untouched(project):
    port = free_port()
    proc = start_serve(project, port)
    try:
        wait_until_serving(proc, f"http://127.0.0.1:{port}/")
        assert fetch(f"http://127.0.0.1:{port}{QUESTION_PAGE}")[0] == 200
    finally:
        status, out, err = stop(proc)
    assert status == 0
    assert out == f"Serving the preview on http://127.0.0.1:{port}/ (Ctrl-C to stop)\n"
    assert "Traceback" not in err
    assert not (project / "site").exists()  # the preview builds elsewhere


# ---------------------------------------------------------------- in the browser


sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (tests/run.sh installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def tab(browser):
    """A fresh tab that records the console, so CSP violations can be checked."""
    context = browser.new_context()
    page = context.new_page()
    page.messages = []
    page.on("console", lambda m: page.messages.append(m.text))
    yield page
    context.close()


def expect_text(page, selector: str, text: str) -> None:
    sync_api.expect(page.locator(selector)).to_contain_text(text, timeout=WAIT_MS)


def test_edits_reach_the_browser_errors_show_and_mending_recovers(project, tab):
    record = project / RECORD
    good = record.read_text(encoding="utf-8")
    with serving(project) as url:
        tab.goto(url + QUESTION_PAGE)
        tab.evaluate("window.untouched = true")

        save(record, good.replace("numérique, sur la sécurité", "numérique, sur la grande sécurité"))
        expect_text(tab, "main", "sur la grande sécurité")
        assert tab.evaluate("window.untouched === undefined")  # the page really reloaded

        for n in (1, 2, 3):  # quick saves, well within livereload's default 3 s between reloads
            save(record, good.replace("numérique, sur la sécurité", f"numérique, sur la sécurité (version {n})"))
            time.sleep(0.4)
        expect_text(tab, "main", "(version 3)")

        save(record, good.replace("date_question: 2024-05-21", "date_question: 2024-05-32"))
        expect_text(tab, OVERLAY, f"{RECORD}:19: 'date_question' is not a date (YYYY-MM-DD): '2024-05-32'")
        expect_text(tab, "main", "(version 3)")  # over the last good page
        status, body = fetch(url + "/")
        assert status == 200 and RECORD in body  # the server keeps answering, every page shows the error

        save(record, good.replace("numérique, sur la sécurité", "numérique, sur la sécurité (réparée)"))
        expect_text(tab, "main", "(réparée)")
        assert tab.locator(OVERLAY).count() == 0
    assert [m for m in tab.messages if "Content Security Policy" in m] == []


def test_template_and_config_errors_show_with_their_line(project, tab):
    template, config = project / "templates" / "question.html", project / "config.yaml"
    good_template, good_config = template.read_text(encoding="utf-8"), config.read_text(encoding="utf-8")
    with serving(project) as url:
        tab.goto(url + QUESTION_PAGE)
        save(template, good_template.replace("{% block content %}", "{% block content %}{% if %}", 1))
        line = good_template[:good_template.index("{% block content %}")].count("\n") + 1
        expect_text(tab, OVERLAY, f"templates/question.html:{line}: template error: Expected an expression, "
                                  "got 'end of statement block'")
        save(template, good_template)
        sync_api.expect(tab.locator(OVERLAY)).to_have_count(0, timeout=WAIT_MS)

        save(config, good_config.replace("title:", "titel:", 1))
        expect_text(tab, OVERLAY, "config.yaml:3: unknown configuration key 'titel'")
        save(config, good_config.replace("Cybersécurité des données de santé", "Données de santé en danger", 1))
        expect_text(tab, ".site-title", "Données de santé en danger")
        sync_api.expect(tab.locator(OVERLAY)).to_have_count(0, timeout=WAIT_MS)
    assert [m for m in tab.messages if "Content Security Policy" in m] == []


def test_a_dossier_broken_from_the_start_shows_its_errors_then_recovers(project, tab):
    record = project / RECORD
    good = record.read_text(encoding="utf-8")
    save(record, good.replace("type: QE", "type: QX"))
    with serving(project) as url:
        tab.goto(url + QUESTION_PAGE)
        expect_text(tab, OVERLAY, f"{RECORD}:3: 'type' must be one of QE, QOSD, QG: 'QX'")
        save(record, good)
        expect_text(tab, "main", "sur la sécurité des données de santé")
        assert tab.locator(OVERLAY).count() == 0


def test_a_source_page_saved_into_content_is_imported(project, tab):
    source = project / "content" / "sources" / "000_23207a8713ae3daa.txt"
    saved = source.read_bytes()
    source.unlink()
    (project / RECORD).unlink()
    with serving(project) as url:
        tab.goto(url + "/questions/")
        (project / "content" / "sources" / "saved-page.txt").write_bytes(saved)
        expect_text(tab, "main", "17941")  # only a reload brings the new question into the open tab
    assert "sources/saved-page.txt" in (project / RECORD).read_text(encoding="utf-8")
