"""Property tests: no input crashes any importer with anything but DossierError.

Every importer of the registry has seed sources (a test checks it, so a new importer cannot be
left out); inputs are random text and the seeds cut, spliced, with lines dropped or repeated. Each
input goes through every importer whose detection accepts it, as the import does. For a deeper
search than the suite's, raise the number of examples per importer:

    PROPERTY_EXAMPLES=500 python -m pytest tests/test_importer_properties.py
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_an_text import DYN_TEXT, FICHE_TEXT, LEGACY_TEXT
from test_importers import AN_PAGE, DEPUTIES_JSON, NOSDEPUTES_PAGE
from test_nosdeputes import ND_HTML, ND_JSON, ND_XML
from test_sources import DYN, FICHE, LEGACY, OPENDATA, XML_QE, XML_QOSD
from dossier.errors import DossierError
from dossier.importers import (IMPORTERS, an_dyn, an_legacy, an_markdown, an_opendata, an_text, an_xml, find_importer,
                               nosdeputes_api, nosdeputes_deputes, nosdeputes_html, nosdeputes_text)


EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "30"))


def _read(path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _few_deputies() -> str:
    data = json.loads(DEPUTIES_JSON.read_text(encoding="utf-8"))
    return json.dumps({"deputes": data["deputes"][:3]}, ensure_ascii=False, indent=1)


SEEDS = {
    an_markdown: [_read(AN_PAGE)], an_dyn: [_read(DYN)], an_legacy: [_read(LEGACY), _read(FICHE)],
    nosdeputes_html: [_read(ND_HTML)], nosdeputes_text: [_read(NOSDEPUTES_PAGE)],
    an_text: [_read(DYN_TEXT), _read(LEGACY_TEXT), _read(FICHE_TEXT)], an_xml: [_read(XML_QE), _read(XML_QOSD)],
    an_opendata: [_read(OPENDATA)], nosdeputes_api: [_read(ND_JSON), _read(ND_XML)],
    nosdeputes_deputes: [_few_deputies()],
}


def test_every_importer_has_seeds_it_recognises():
    assert set(SEEDS) == set(IMPORTERS)
    for importer, seeds in SEEDS.items():
        for seed in seeds:
            assert find_importer(seed) is importer, importer.KIND


def _mutated(seeds: list[str]):
    def splice(seed, at, length, insert):
        at = at % (len(seed) + 1)
        return seed[:at] + insert + seed[at + length:]

    def lines(seed, at, length, repeat):
        items = seed.split("\n")
        at = at % (len(items) + 1)
        return "\n".join(items[:at] + items[at:at + length] * repeat + items[at + length:])

    seed = st.sampled_from(seeds)
    return st.one_of(
        st.builds(splice, seed, st.integers(0, 300000), st.integers(0, 200), st.text(max_size=40)),
        st.builds(lines, seed, st.integers(0, 3000), st.integers(1, 40), st.integers(0, 2)),
    )


def _no_crash(text: str) -> None:
    for importer in IMPORTERS:
        try:
            if importer.detect(text):
                importer.parse("sources/x", text)
        except DossierError:
            pass


@pytest.mark.parametrize("importer", list(SEEDS), ids=lambda imp: imp.__name__.rsplit(".", 1)[-1])
def test_no_mutated_source_crashes_an_importer(importer):
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(_mutated(SEEDS[importer]))
    def check(text):
        _no_crash(text)
    check()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_no_random_text_crashes_an_importer(text):
    _no_crash(text)
