"""Atom feeds (the static way to follow a question, a deputy or a topic), the sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from .events import Event, latest_events
from .indexes import SiteData

FEED_SIZE = 50  # entries in the site, topic and deputy feeds; a question's feed has all its events
_NAMESPACE = uuid.UUID("6f1d2a4e-2b9c-5d1e-9a57-3c0d5e7f8a91")  # fixed: ids stay when the site moves


@dataclass(frozen=True)
class Feed:
    """One Atom feed: what it follows, its page, and its entries newest first.

    The entries are found when the feed is rendered, not when the site is planned: most builds
    after an edit render no feed (what a feed shows is the site's structure, see pagecache.py), and
    a full build finds them in the rendering processes."""

    title: str
    subtitle: str
    page_url: str  # the HTML page the feed follows
    find_events: Callable[[], tuple] = field(repr=False, compare=False)

    @cached_property
    def events(self) -> tuple:
        return tuple(self.find_events())

    @property
    def url(self) -> str:
        return self.page_url + "feed.xml"

    @property
    def id(self) -> str:
        return f"urn:uuid:{_uuid5('feed:' + self.page_url)}"

    def updated(self, fallback: dt.date) -> str:
        return atom_date(self.events[0].date if self.events else fallback)


def entry_id(event: Event) -> str:
    """A stable id for an event: the same in every feed that carries it."""
    return f"urn:uuid:{_uuid5(f'{event.uid}:{event.kind}:{event.date}')}"


def _uuid5(name: str) -> str:
    """str(uuid.uuid5(_NAMESPACE, name)), without making a UUID object (a fifth of a feed's rendering)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE.bytes + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def atom_date(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def site_feeds(site: SiteData) -> list[Feed]:
    """Every feed of the site: the whole dossier, each topic, each deputy, each question."""
    views = site.questions

    def latest(uids) -> Callable[[], list]:
        return lambda: latest_events(map(views.__getitem__, uids), FEED_SIZE)

    feeds = [Feed(site.config.title, "Les dernières étapes des questions du dossier.", "/", latest(views))]
    feeds += [Feed(f"{t.topic.title} — {site.config.title}", t.topic.description or t.topic.title, t.url,
                   latest(t.questions)) for t in site.topics.values()]
    feeds += [Feed(f"{p.name} — {site.config.title}", f"Les questions de {p.name} et leurs suites.", p.url,
                   latest(uids)) for p, uids in site.deputies.values()]
    feeds += [Feed(v.title + (f" ({v.record.type} n° {v.record.numero})" if v.record.title else ""),
                   "Les étapes de cette question : réponse, retrait, renouvellement…", v.url,
                   lambda v=v: reversed(v.events)) for v in views.values()]
    return feeds
