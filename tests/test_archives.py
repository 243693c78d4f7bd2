"""Whole-legislature open-data exports: one big JSON, zipped or not, streamed one question at a time.

The AN's Questions_ecrites.json.zip may hold one JSON per question (tests/test_sources.py) or one
export of the whole legislature, {"export": {"questionsEcrites": {"question": [...]}}}. These tests
build exports from the hand-made open-data sample; the memory test streams a 24 MB export made on
the fly, without writing it anywhere.
"""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import snapshot
from test_importers import run_import
from test_sources import FONTANEL, OPENDATA
from dossier.errors import DossierError
from dossier.importers import archive, jsonstream
from dossier.model import Question
from dossier.records import read_record

QUESTION = json.loads(OPENDATA.read_text(encoding="utf-8"))["question"]


def question(n: int) -> dict:
    return {**QUESTION, "uid": f"QANR5L15QE{n}", "identifiant": {**QUESTION["identifiant"], "numero": str(n)}}


def export_text(count: int, bad: dict | None = None) -> str:
    items = [question(n) for n in range(1, count + 1)]
    if bad:
        items[1] = {**items[1], **bad}
    return json.dumps({"export": {"@xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                                  "questionsEcrites": {"question": items}}}, ensure_ascii=False, indent=1)


def content_with_registry(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "deputies").mkdir(parents=True)
    (content / "deputies" / "claire-fontanel.md").write_text(FONTANEL, encoding="utf-8")
    return content


def zipped(tmp_path: Path, text: str, name: str = "Questions_ecrites.json") -> Path:
    path = tmp_path / "Questions_ecrites.json.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, text)
    return path


def test_an_archive_holding_one_export_imports_every_question(tmp_path):
    path = zipped(tmp_path, export_text(40))
    content = content_with_registry(tmp_path)
    seen = []
    result, problems = run_import(content, [path], progress=lambda *args: seen.append(args))
    assert problems.errors == [] and problems.warnings == []
    assert len(list((content / "questions").glob("*.md"))) == 40
    q = read_record(content / "questions" / "15-qe-37.md", Question)
    assert (q.numero, q.author.name, q.ministere_attributaire) == (37, "Claire Fontanel", "Numérique")
    assert q.sources[0].file == "sources/Questions_ecrites.json.zip"
    dones = [done for _, done, _ in seen]
    assert dones == sorted(dones) and seen[-1][0] == 40 and seen[-1][1] == seen[-1][2]
    before = snapshot(content)
    _, again = run_import(content, [path])
    assert snapshot(content) == before and again.errors == [] and again.warnings == []


def test_an_unzipped_export_is_recognised_by_its_content_not_its_name(tmp_path):
    path = tmp_path / "telechargement.txt"
    path.write_text(export_text(5), encoding="utf-8")
    content = content_with_registry(tmp_path)
    _, problems = run_import(content, [path])
    assert problems.errors == []
    assert sorted(p.name for p in (content / "questions").iterdir()) == [f"15-qe-{n}.md" for n in range(1, 6)]
    assert (content / "sources" / "telechargement.txt").read_bytes() == path.read_bytes()


def test_a_bad_question_of_an_export_is_reported_and_the_others_import(tmp_path):
    path = zipped(tmp_path, export_text(4, bad={"uid": "QANR5L15QE9"}))
    content = content_with_registry(tmp_path)
    _, problems = run_import(content, [path])
    assert [str(e) for e in problems.errors] == [
        f"{path}:Questions_ecrites.json#QANR5L15QE9: uid QANR5L15QE9 contradicts identifiant/type (15, QE, 2)"]
    assert sorted(p.name for p in (content / "questions").iterdir()) == ["15-qe-1.md", "15-qe-3.md", "15-qe-4.md"]


def test_an_export_cut_short_keeps_what_was_read_and_names_the_line(tmp_path):
    text = export_text(3)
    path = zipped(tmp_path, text[:text.index('"QANR5L15QE3"') + 5])
    content = content_with_registry(tmp_path)
    _, problems = run_import(content, [path])
    line = text[:text.index('"QANR5L15QE3"')].count("\n") + 1
    assert [str(e) for e in problems.errors] == [
        f"{path}:Questions_ecrites.json:{line}: invalid JSON: Unterminated string starting at"]
    assert sorted(p.name for p in (content / "questions").iterdir()) == ["15-qe-1.md", "15-qe-2.md"]


def test_a_member_with_no_question_is_refused(tmp_path):
    path = zipped(tmp_path, json.dumps({"export": {"questionsEcrites": {"question": []}}}))
    _, problems = run_import(content_with_registry(tmp_path), [path])
    assert [e.message for e in problems.errors] == [
        'not an open-data question; looked for: AN open-data JSON: {"question": {"uid": "QANR5L…", …}} '
        "(or a zip archive of them)"]


class LazyExport(io.RawIOBase):
    """A big export produced as it is read, so the test holds no copy of it."""

    def __init__(self, count: int):
        one = json.dumps(question(1), ensure_ascii=False).encode("utf-8")
        self.parts = iter([b'{"export": {"questionsEcrites": {"question": [']
                          + [(b"," if n else b"") + one for n in range(count)] + [b"]}}}"])
        self.size, self.pending = len(one) * count, b""

    def readable(self):
        return True

    def readinto(self, b):
        while len(self.pending) < len(b):
            part = next(self.parts, None)
            if part is None:
                break
            self.pending += part
        n = min(len(b), len(self.pending))
        b[:n], self.pending = self.pending[:n], self.pending[n:]
        return n


def test_memory_stays_bounded_whatever_the_size_of_the_export():
    source = LazyExport(15000)  # about 24 MB of JSON
    assert source.size > 20_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in jsonstream.questions(io.TextIOWrapper(io.BufferedReader(source), encoding="utf-8"),
                                                   "export"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 15000
    assert peak < 12 * jsonstream.CHUNK  # a few chunks of text, never the export: 24 MB would not fit


# ---------------------------------------------------------------- the reader against json.loads

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                     max_leaves=20)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=6), _json, max_size=4), max_size=6), st.integers(1, 40),
       st.sampled_from([0, 1, None]))
def test_streamed_questions_are_those_json_loads_gives(items, chunk, indent):
    text = json.dumps({"export": {"meta": [1, {"a": "]"}], "questionsEcrites": {"question": items}}}, indent=indent)
    old, jsonstream.CHUNK = jsonstream.CHUNK, chunk
    try:
        assert list(jsonstream.questions(io.StringIO(text), "x")) == json.loads(text)["export"]["questionsEcrites"]["question"]
    finally:
        jsonstream.CHUNK = old


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.integers(1, 16))
def test_the_reader_fails_only_with_dossier_error(text, chunk):
    old, jsonstream.CHUNK = jsonstream.CHUNK, chunk
    try:
        list(jsonstream.questions(io.StringIO(text), "x"))
    except DossierError:
        pass
    finally:
        jsonstream.CHUNK = old


@pytest.mark.parametrize("data", [b"PK\x03\x04garbage", b'{"question": [{"uid": "QANR5L15QE1"'])
def test_broken_collections_are_refused_by_name(tmp_path, data):
    path = tmp_path / "collection"
    path.write_bytes(data)
    _, problems = run_import(tmp_path / "content", [path])
    assert len(problems.errors) == 1 and str(problems.errors[0]).startswith(str(path))
    assert archive.is_archive(path)
