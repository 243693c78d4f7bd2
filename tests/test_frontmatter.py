"""Front matter: the line reader of the records' own YAML form reads what YAML reads, or gives up.

The build reads most records without YAML (frontmatter._simple_yaml); whatever it accepts must give
the data, the types and the key lines that YAML gives, and whatever YAML refuses it must leave to
YAML, whose error messages the records' tests check word for word.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import bench.corpus
from dossier import frontmatter
from dossier.errors import DossierError

ROOT = Path(__file__).resolve().parent.parent


def through_yaml(text: str):
    try:
        return frontmatter._load(frontmatter.StrictLoader, text, None, 1)
    except DossierError:
        return "error"


def agrees(text: str) -> bool:
    """True if read line by line; then data, types and key lines are YAML's. False if left to YAML."""
    simple = frontmatter._simple_yaml(text, 1)
    if simple is None:
        return False
    yaml_read = through_yaml(text)
    assert yaml_read != "error", text
    assert simple == yaml_read and repr(simple) == repr(yaml_read), text
    return True


def fronts(paths) -> list[str]:
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        if text.startswith("---\n"):
            found.append(text[4:].split("\n---\n", 1)[0])
    return found


def test_the_records_the_tool_writes_are_read_line_by_line_as_yaml_reads_them(tmp_path):
    shipped = fronts(sorted((ROOT / "content").rglob("*.md")) + sorted((ROOT / "tests").rglob("*.md")))
    written = [frontmatter.dump(frontmatter.split(f"---\n{front}\n---\n").data, "")[4:-5] for front in shipped]
    bench.corpus.write_dossier(bench.corpus.generate(60), tmp_path)
    generated = fronts(sorted(tmp_path.rglob("*.md")))
    assert len(shipped) >= 10 and len(generated) >= 60
    assert all(agrees(front) for front in shipped + written)
    assert sum(map(agrees, generated)) >= 0.9 * len(generated)  # but for escapes in double quotes


@pytest.mark.parametrize("text", [
    "a: 1\n# a comment", "a: x #not a comment?", "a: x\n  #continued", "a: x:\n  y", "a: 'x'\n  y", "a: 'x\n  y'", "a: \"x\\ty\"",
    "a: 1.5", "a: .inf", "a: &anchor x", "b: *anchor", "a: !tag x", "a: |\n  block", "a: >\n  folded",
    "a: [x, y]", "a: {b: 1}", "a: b: c", "a: b:", "a:  ", "a:\tb", "a: x\n\nb: y", "<<: x", "a: <<", "a: =",
    "a: 1\na: 2", "null: x", "True: x", "clé: x", "a b: x", "'a': x", "  a: 1", 
    "a:\n- - x", "a:\n-   x", "a:\n  b: 1\n c: 2", "a: x\u2028b: y", "a: -x", "a: -", "a: ?x", "a: @x",
    "a: %x", "a: `x", "a: 'it's'", "a: \"say \"hi\"\"",
])
def test_anything_else_is_left_to_yaml(text):
    assert frontmatter._simple_yaml(text, 1) is None


def test_what_yaml_refuses_or_cannot_nest_is_left_to_it():
    long_key = "k" * 1030
    for text in (f"{long_key}: 1", f"a:\n- {long_key}: 1", f"extra:\n  {long_key}: 1"):
        assert frontmatter._simple_yaml(text, 1) is None and through_yaml(text) == "error"
    deep = "\n".join(f"{' ' * level}k{level}:" for level in range(60)) + " 1"
    assert frontmatter._simple_yaml(deep, 1) is None


@pytest.mark.parametrize(("text", "data"), [
    ("a: x\nb:\nc: []\nd: {}", {"a": "x", "b": None, "c": [], "d": {}}),
    ("n: 012\nm: -0\np: +5\nt: true\nf: FALSE\ny: yes\nz: ~\nd: 2024-02-31", {
        "n": "012", "m": 0, "p": 5, "t": True, "f": False, "y": "yes", "z": None, "d": "2024-02-31"}),
    ("a:\n- x\n- kind: k\n  url: \"https://a.b/c?d=e&f\"\nb: 'l''État'", {
        "a": ["x", {"kind": "k", "url": "https://a.b/c?d=e&f"}], "b": "l'État"}),
    ("t: Les questions sur la protection\n  des données de santé\na:\n- x\n  - y", {  # folded as dump() folds
        "t": "Les questions sur la protection des données de santé", "a": ["x - y"]}),
])
def test_the_records_own_form(text, data):
    assert agrees(text) and frontmatter._simple_yaml(text, 1)[0] == data


def test_random_front_matter_is_read_as_yaml_reads_it_or_left_to_it():
    values = ["x", "Hélène Muller", "a:b", "a#b", "a: b", "a #b", "#c", "-5", "+5", "05", "0", "-0", "1.5", "1e3",
              "12:30", "2024-05-21", "null", "~", "true", "False", "yes", "[]", "{}", "[a]", "''", '""', "'it''s'",
              "'a'b'", '"a\\"b"', '"plain"', "&a x", "*a", "<<", "=", "? x", ":x", "x,y", "x]", "é", "\u00a0x",
              "l’État « x »", "50 %", "...", "---", "https://a.b/c?d=e&f", "- x", "-x", ".inf", "0x1A", "a:"]
    keys = ["a", "b", "c", "title", "name", "null", "true", "y", "on", "_k", "k1", "clé", "a b", "<<", "a-b"]
    rng = random.Random(7)

    def mapping(depth: int, indent: int) -> list[str]:
        lines = []
        for _ in range(rng.randint(1, 4)):
            pad, key, shape = " " * indent, rng.choice(keys), rng.random()
            if shape < 0.55 or depth > 2:
                lines.append(f"{pad}{key}{rng.choice([': ', ':  ', ':'])}{rng.choice(values)}")
            elif shape < 0.8:
                lines.append(f"{pad}{key}:")
                at = indent + rng.choice([0, 0, 2, 4, 1])
                for _ in range(rng.randint(0, 3)):
                    if rng.random() < 0.6:
                        lines.append(f"{' ' * at}- {rng.choice(values)}")
                    else:
                        inner = mapping(depth + 1, at + 2)
                        lines += [f"{' ' * at}- {inner[0].lstrip(' ')}", *inner[1:]]
            else:
                lines.append(f"{pad}{key}:")
                lines += mapping(depth + 1, indent + rng.choice([2, 2, 4, 1]))
            if rng.random() < 0.15:  # a value folded over lines, or a deeper line where none can be
                lines.append(f"{pad}{' ' * rng.choice([1, 2, 4])}{rng.choice(values)}")
            if rng.random() < 0.02:
                lines.append(rng.choice(["# comment", "", f"{pad}#comment"]))
        return lines

    read = 0
    for _ in range(4000):
        text = "\n".join(mapping(0, 0))
        read += agrees(text)
    assert read > 150  # enough of them read line by line for the comparison to mean something
