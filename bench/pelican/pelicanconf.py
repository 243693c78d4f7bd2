"""Pelican side of the benchmark: the same dossier as comparable pages (bench/formats.py writes content/)."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
SITENAME = "Questions au Gouvernement (corpus de test)"
SITEURL = ""
RELATIVE_URLS = True
PATH = os.path.join(HERE, "content")
THEME = os.path.join(HERE, "theme")
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
ARTICLE_PATHS = ["questions"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
DEFAULT_PAGINATION = False

# One page per question, per deputy (author pages), the deputy list, the question list and a home page.
ARTICLE_URL = "questions/{slug}/"
ARTICLE_SAVE_AS = "questions/{slug}/index.html"
AUTHOR_URL = "deputes/{slug}/"
AUTHOR_SAVE_AS = "deputes/{slug}/index.html"
AUTHORS_SAVE_AS = "deputes/index.html"
INDEX_SAVE_AS = "questions/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = ["index", "authors"]
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = TAG_SAVE_AS = TAGS_SAVE_AS = ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

# Pelican's own cache of parsed content: what a user who wants fast rebuilds turns on.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = os.path.join(HERE, "cache")

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def date_fr(value):
    """A date the French way, '21 mai 2024' (as the dossier does, without setlocale)."""
    if isinstance(value, str):
        year, month, day = (int(x) for x in value.split("-"))
    else:
        year, month, day = value.year, value.month, value.day
    return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"


JINJA_FILTERS = {"date_fr": date_fr}
