"""config.yaml: the validated Config first, then one small site per expected failure, asserted verbatim."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import MINIMAL_CONFIG, build_errors, build_site, make_site
from dossier.config import load_config
from dossier.errors import BuildFailed, DossierError

SITE_KEYS = "base_url, description, legislatures, title, topics"
TOPIC_KEYS = "description, keywords, parent, slug, title"


def config_site(tmp_path, minimal_files, text: str):
    return make_site(tmp_path, {**minimal_files, "config.yaml": text})


def test_the_minimal_config(tmp_path, minimal_files):
    root = make_site(tmp_path, minimal_files)
    config = load_config(root / "config.yaml")
    assert (config.title, config.description, config.base_url) == ("Dossier de test", "Un petit site pour les tests.",
                                                                   None)
    leg16, leg17 = config.legislatures
    assert (leg16.number, leg16.start, leg16.end, leg16.end_reason) == (
        16, dt.date(2022, 6, 22), dt.date(2024, 6, 9), "dissolution")
    assert (leg17.number, leg17.start, leg17.end) == (17, dt.date(2024, 7, 18), None)
    assert config.legislature_on(dt.date(2024, 5, 21)) is leg16
    assert config.legislature_on(dt.date(2024, 7, 1)) is None  # between the dissolution and the next one
    assert config.legislature_on(dt.date(2030, 1, 1)) is leg17
    sante, tiers = config.topics
    assert (sante.slug, sante.parent, sante.rules) == ("donnees-sante", None, (("donnees de sante",),))
    assert (tiers.slug, tiers.parent, tiers.rules) == ("tiers-payant", "donnees-sante", (("tiers payant",),))


def test_base_url_gets_a_final_slash(tmp_path, minimal_files):
    root = config_site(tmp_path, minimal_files, MINIMAL_CONFIG + "base_url: https://exemple.org/dossier\n")
    assert load_config(root / "config.yaml").base_url == "https://exemple.org/dossier/"


# Each case: the change made to the minimal config, then the errors expected ({c} is config.yaml's path).
BROKEN_CONFIGS = [
    pytest.param("description: Un petit site pour les tests.\n",
                 "description: Un petit site pour les tests.\ncolour: blue\n",
                 [f"{{c}}:3: unknown configuration key 'colour' (known here: {SITE_KEYS})"], id="unknown-key"),
    pytest.param("    title: Tiers payant\n", "    title: Tiers payant\n    couleur: bleue\n",
                 [f"{{c}}:18: unknown configuration key 'topics.1.couleur' (known here: {TOPIC_KEYS})"],
                 id="unknown-topic-key"),
    pytest.param("    parent: donnees-sante\n", "    parent: nulle-part\n",
                 ["{c}:16: topic 'tiers-payant' has an unknown parent 'nulle-part'"], id="unknown-parent"),
    pytest.param("  - slug: tiers-payant\n", "  - slug: Tiers Payant\n",
                 ["{c}:15: topic slug must be made of a-z, 0-9 and '-': 'Tiers Payant'"], id="bad-topic-slug"),
    pytest.param("  - slug: tiers-payant\n", "  - slug: donnees-sante\n",
                 ["{c}:15: topic 'donnees-sante' is defined twice"], id="topic-defined-twice"),
    pytest.param("title: Dossier de test\n", "", ["{c}:1: missing required key 'title'"], id="missing-title"),
    pytest.param("title: Dossier de test\n", "title: Dossier de test\nbase_url: exemple.org\n",
                 ["{c}:2: 'base_url' must be an absolute http(s) address: 'exemple.org'"], id="bad-base-url"),
    pytest.param("title: Dossier de test\n", "title: [Dossier, de, test]\n",
                 ["{c}:1: 'title' must be non-empty text: ['Dossier', 'de', 'test']"], id="title-not-text"),
    pytest.param("legislatures:\n", "legislatures:\n  quinze: {}\n",
                 ["{c}:4: 'legislatures.quinze' must be a legislature number holding start, end…"],
                 id="legislature-not-a-number"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN_CONFIGS)
def test_broken_config(tmp_path, minimal_files, old, new, expected):
    assert old in MINIMAL_CONFIG
    root = config_site(tmp_path, minimal_files, MINIMAL_CONFIG.replace(old, new, 1))
    c = root / "config.yaml"
    assert build_errors(root) == [e.format(c=c) for e in expected]
    assert not (root / "site").exists()


def test_every_config_problem_is_reported_at_once(tmp_path, minimal_files):
    text = (MINIMAL_CONFIG.replace("description: Un petit site pour les tests.\n",
                                   "description: Un petit site pour les tests.\ncolour: blue\n")
            .replace("    parent: donnees-sante\n", "    parent: nulle-part\n"))
    root = config_site(tmp_path, minimal_files, text)
    c = root / "config.yaml"
    assert build_errors(root) == [
        f"{c}:3: unknown configuration key 'colour' (known here: {SITE_KEYS})",
        f"{c}:17: topic 'tiers-payant' has an unknown parent 'nulle-part'",
    ]


def test_a_duplicate_key_in_the_config_is_located(tmp_path, minimal_files):
    root = config_site(tmp_path, minimal_files, MINIMAL_CONFIG + "title: Encore\n")
    with pytest.raises((BuildFailed, DossierError)) as failed:  # see the xfail test below
        build_site(root)
    errors = failed.value.errors if isinstance(failed.value, BuildFailed) else [failed.value]
    assert [str(e) for e in errors] == [f"{root / 'config.yaml'}:19: duplicate key 'title' (first set on line 1)"]


def test_invalid_yaml_in_the_config_fails_the_build_like_any_problem(tmp_path, minimal_files):
    root = config_site(tmp_path, minimal_files, MINIMAL_CONFIG + "title: Encore\n")
    assert build_errors(root) == [f"{root / 'config.yaml'}:19: duplicate key 'title' (first set on line 1)"]


# ---------------------------------------------------------------- inside a legislature

END_BEFORE_START = MINIMAL_CONFIG.replace("    end: 2024-06-09\n", "    end: 2020-06-09\n")


def test_a_legislature_that_ends_before_it_starts(tmp_path, minimal_files):
    root = config_site(tmp_path, minimal_files, END_BEFORE_START)
    with pytest.raises(BuildFailed) as failed:
        build_site(root)
    [err] = failed.value.errors
    assert (err.path, err.message) == (root / "config.yaml", "legislature 16 ends before it starts")


LINE_BUG = ("dossier/config.py: _Reader.line looks up ('legislatures', 16, ...) with the int key the data holds, "
            "but frontmatter._collect_lines records the YAML scalar text '16': every problem inside a legislature "
            "is located on the 'legislatures:' line")


def test_a_legislature_that_ends_before_it_starts_is_located(tmp_path, minimal_files):
    root = config_site(tmp_path, minimal_files, END_BEFORE_START)
    assert build_errors(root) == [f"{root / 'config.yaml'}:6: legislature 16 ends before it starts"]


def test_an_unknown_key_in_a_legislature_is_located(tmp_path, minimal_files):
    text = MINIMAL_CONFIG.replace("    end_reason: dissolution\n", "    end_reason: dissolution\n    fin: 2024-06-09\n")
    root = config_site(tmp_path, minimal_files, text)
    assert build_errors(root) == [f"{root / 'config.yaml'}:8: unknown configuration key 'legislatures.16.fin' "
                                  "(known here: end, end_reason, groups, start)"]
