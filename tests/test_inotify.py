"""The preview hears saves from the kernel where it can (dossier/inotify.py)."""

from __future__ import annotations

import os
import time

import pytest

from dossier.inotify import Inotify


@pytest.fixture
def inotify():
    watcher = Inotify.open()
    if watcher is None:
        pytest.skip("no inotify on this system: the preview polls")
    yield watcher
    watcher.close()


def _wait(watcher, timeout=2.0) -> list:
    heard, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = watcher.read()
        assert got is not None
        heard += got
        if heard:
            time.sleep(0.05)  # the rest of the same change
            return heard + watcher.read()
        time.sleep(0.01)
    return heard


def test_a_save_a_new_folder_and_a_rename_are_heard_not_a_half_written_file(inotify, tmp_path):
    (tmp_path / "questions").mkdir()
    record = tmp_path / "questions" / "a.md"
    record.write_text("un", encoding="utf-8")
    assert inotify.watch_tree(str(tmp_path)) == [str(record)]
    assert inotify.read() == []

    with record.open("a", encoding="utf-8") as f:
        f.write(" deux")
        f.flush()
        assert inotify.read() == []  # still being written: nothing yet
    assert str(record) in _wait(inotify)

    photos = tmp_path / "photos"
    photos.mkdir()
    assert str(photos) in _wait(inotify)
    (photos / "x.jpg").write_bytes(b"jpeg")
    assert str(photos / "x.jpg") in _wait(inotify)  # the new folder is watched too

    partial = tmp_path / "questions" / ".a.md.tmp"
    partial.write_text("trois", encoding="utf-8")
    _wait(inotify)
    os.replace(partial, record)  # how many editors save
    assert str(record) in _wait(inotify)
