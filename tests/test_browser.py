"""In a real browser (Debian's Chromium driven by Playwright): accessibility and the CSP.

Every template is checked with axe-core (WCAG 2.1 A and AA rules) at desktop and phone widths.
Set SCREENSHOTS=DIR to keep a screenshot of each page at each width, to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from dossier.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
EPOCH = "1779408000"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = {  # one page per template
    "home": "/", "questions": "/questions/", "question": "/questions/16-qe-17941/",
    "question-answered-or-withdrawn": "/questions/16-qe-17939/", "deputies": "/deputes/",
    "deputy": "/deputes/julie-delpech/", "topics": "/themes/", "topic": "/themes/cybersecurite-donnees-sante/",
    "data": "/donnees/", "not-found": "/404.html", "statistics": "/statistiques/", "search": "/recherche/",
    "ministries": "/ministeres/", "ministry": "/ministeres/sante-et-prevention/", "rubriques": "/rubriques/",
    "rubrique": "/rubriques/numerique/",
}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api")
axe_js = Path(pytest.importorskip("axe_playwright_python").__file__).parent / "axe.min.js"


def _need_chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: tests/run.sh installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (tests/run.sh installs it)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    site = tmp_path_factory.mktemp("browser") / "site"
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(ROOT / "config.yaml", site)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(browser, server, name, width):
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width])), bypass_csp=True)
    page = context.new_page()
    page.goto(server + PAGES[name])
    page.evaluate(axe_js.read_text(encoding="utf-8"))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
    shots = os.environ.get("SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)
    context.close()
    problems = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"]]
    assert result["passes"], "axe ran no rule"
    assert problems == []


def test_pages_work_under_their_content_security_policy(browser, server):
    """The CSP meta is enforced, the self-hosted stylesheet still applies, nothing is blocked."""
    context = browser.new_context()
    page = context.new_page()
    messages, requests = [], []
    page.on("console", lambda m: messages.append(m.text))
    page.on("request", lambda r: requests.append(r.url))
    for path in PAGES.values():
        page.goto(server + path)
        background = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        assert background == "rgb(11, 79, 138)", path  # style.css applied
    context.close()
    assert [m for m in messages if "Content Security Policy" in m] == []
    assert [u for u in requests if not u.startswith(server)] == []  # no third party


def test_skip_link_moves_focus_to_the_content(browser, server):
    page = browser.new_page()
    page.goto(server + "/questions/16-qe-17939/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    page.close()




@pytest.mark.parametrize("query, expected", [
    ("donnees de sante", {"Protection des données personnelles de santé dans le cadre des cyber-attaques",
                          "Question écrite n°\u00a017941"}),  # accents optional
    ("blockchain", {"Protection des données personnelles de santé dans le cadre des cyber-attaques"}),
    ("opticiens", {"Protection des données personnelles de santé dans le cadre des cyber-attaques",
                   "Question écrite n°\u00a017941"}),
    ("Delpech", {"Question écrite n°\u00a017941"}),
])
def test_search_finds_questions(browser, server, query, expected):
    """Pagefind's index, built with the site, answers in the browser under the site's CSP."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/recherche/")
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
    page.wait_for_timeout(500)
    titles = set(page.evaluate("""() => [...document.querySelectorAll('.pagefind-ui__result-link')]
        .filter(a => !a.closest('.pagefind-ui__result-nested')).map(a => a.textContent.trim())"""))
    page.close()
    assert titles == expected
    assert errors == []
