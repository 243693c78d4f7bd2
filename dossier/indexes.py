"""Derive what the site shows from the records, as pure functions: status, authors, topics, related.

Nothing here reads or writes files. `build_site_data` is the one entry point; it returns frozen
views that the page plan, the templates and the open data all share.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .config import Config, Topic
from .errors import Problems
from .events import question_events
from .passages import RelatedIndex, find_related, sampled_in_processes, sampled_shingles
from .model import Deputy, Question
from .records import Records, author_slug
from .text import add_months, circonscription_label, fold, folded_words, slugify

END_OF_MANDATE = "Fin de mandat"
STATUSES = ("en_attente", "repondue", "retiree")


@dataclass(frozen=True)
class Status:
    """Where a question stands as of the build date, and how long the Government took."""

    code: str  # en_attente, repondue or retiree
    inferred: bool  # derived from the legislature calendar, not read from a source
    motif: str | None
    date_cloture: dt.date | None
    lapsed_on: dt.date | None  # end of the legislature, when the status is inferred
    lapse_reason: str | None  # e.g. "dissolution"
    deadline: dt.date | None  # two months after publication (article 135 of the Règlement)
    delay_days: int | None  # to the answer, the closing, or the build date
    late: bool | None  # no answer within the two months


@dataclass(frozen=True)
class Person:
    """A deputy as the site shows them: the question's facts completed by the deputy record."""

    slug: str
    name: str
    civility: str | None
    id_an: str | None
    group: str | None
    group_abbr: str | None
    departement: str | None
    circonscription: str | None
    url_an: str | None
    url_nosdeputes: str | None
    body: str

    @property
    def url(self) -> str:
        return f"/deputes/{self.slug}/"


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A question with everything derived: status, resolved author, topics, related questions.

    Slots, not a __dict__: there is one per question, in the build and in every rendering process
    (a __dict__, made by the first cached attribute, is ~400 bytes more each: 20 MB at 50,000)."""

    record: Question
    author: Person
    status: Status
    topics: tuple  # topic slugs
    related: tuple  # uids
    url: str = field(init=False, repr=False, compare=False)
    _events: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "url", f"/questions/{self.record.key}/")

    @property
    def uid(self) -> str:
        return self.record.uid

    @property
    def title(self) -> str:
        q = self.record
        return q.title or f"Question {_TYPE_TITLES[q.type]} n° {q.numero}"

    @property
    def events(self) -> tuple:
        """The question's timeline, oldest first (found when first asked for)."""
        if self._events is None:
            object.__setattr__(self, "_events", question_events(self))
        return self._events


_TYPE_TITLES = {"QE": "écrite", "QOSD": "orale sans débat", "QG": "au Gouvernement"}


@dataclass(frozen=True)
class TopicView:
    topic: Topic
    questions: tuple  # uids, newest first
    children: tuple  # slugs of subtopics

    @property
    def url(self) -> str:
        return f"/themes/{self.topic.slug}/"


@dataclass(frozen=True)
class Group:
    """Questions sharing a ministry or a rubrique, with the page that lists them."""

    kind: str  # "ministeres" or "rubriques"
    slug: str
    name: str
    asked: tuple  # uids: questions put to this ministry, or filed under this rubrique
    answering: tuple = ()  # uids: questions this ministry is in charge of answering

    @property
    def url(self) -> str:
        return f"/{self.kind}/{self.slug}/"

    @property
    def questions(self) -> tuple:
        return self.asked + tuple(uid for uid in self.answering if uid not in self.asked)

    def asked_besides(self, excluded, limit: int) -> list:
        """The first `limit` of `asked` that are not in `excluded` (a question page's "same rubrique"
        list: filtering the whole rubrique in the template cost more than the rest of the page)."""
        return list(itertools.islice((uid for uid in self.asked if uid not in excluded), limit))


@dataclass(frozen=True)
class SiteData:
    """Everything the pages and the open data are made from."""

    config: Config
    as_of: dt.date
    questions: dict  # uid -> QuestionView, newest first
    deputies: dict  # slug -> (Person, tuple of uids newest first), by name
    topics: dict  # slug -> TopicView, config order
    pages: dict  # slug -> Page
    ministries: dict  # slug -> Group, by name
    rubriques: dict  # slug -> Group, by name

    def by_status(self, uids) -> dict:
        """Group question uids by status code, in STATUSES order, keeping their order."""
        groups: dict = {code: [] for code in STATUSES}
        for uid in uids:
            groups[self.questions[uid].status.code].append(uid)
        return groups


def build_site_data(config: Config, records: Records, as_of: dt.date, problems: Problems, memo=None,
                    related_index: RelatedIndex | None = None, jobs: int = 1) -> SiteData:
    """Derive every view of the site from the records.

    `memo(kind, key, compute)`, when given (cache.RecordStore.memo), keeps what is derived from each
    text alone between builds: its sampled passages and the topics its words match. A `related_index`
    kept from the last build is updated for the texts that changed (see passages.RelatedIndex); the
    texts new to it are sampled by `jobs` processes."""
    deputy_records = {d.slug: d for d, _ in records.deputies}
    people = _people(config, records, deputy_records)
    ordered = sorted(records.questions, key=lambda qp: (qp[0].date_question or dt.date.min, qp[0].uid),
                     reverse=True)
    related = related_questions([q.uid for q, _ in ordered], [q.question_text for q, _ in ordered], memo, related_index,
                                jobs)
    topic_of = {q.uid: match_topics(config.topics, q, problems, path, memo) for q, path in ordered}
    questions = {
        q.uid: QuestionView(q, people[author_slug(q.author)][0], question_status(q, config, as_of, problems, path),
                            topic_of[q.uid], related.get(q.uid, ()))
        for q, path in ordered
    }
    for uid, view in questions.items():
        people[view.author.slug][1].append(uid)
    deputies = {slug: (person, tuple(uids)) for slug, (person, uids) in
                sorted(people.items(), key=lambda kv: (fold(kv[1][0].name), kv[0]))}
    return SiteData(config, as_of, questions, deputies, _topic_views(config, questions),
                    {slug: page for slug, (page, _) in records.pages.items()},
                    _groups("ministeres", questions, lambda q: q.ministere_interroge, lambda q: q.ministere_attributaire),
                    _groups("rubriques", questions, lambda q: q.rubrique))


def related_questions(uids: list, texts: list, memo=None, index: RelatedIndex | None = None, jobs: int = 1) -> dict:
    """uid -> uids of the questions sharing passages with it (passages.find_related): through `index`
    when given, which keeps each text's sampled passages (those it lacks sampled by `jobs`
    processes); else through `memo`."""
    if index is None:
        return find_related(uids, texts, memo)
    if len(_TEXT_KEYS) > 2 * len(texts) + 64:
        _TEXT_KEYS.clear()
    keys = [_TEXT_KEYS.get(text) or _text_key(text) for text in texts]
    made = sampled_in_processes(texts, [i for i, key in enumerate(keys) if not index.holds(key)], jobs)
    return index.related(uids, keys, lambda i: made.pop(i, None) or sampled_shingles(texts[i]))  # the index keeps them


_TEXT_KEYS: dict[str, bytes] = {}  # text -> digest: a preview's next save hashes only the texts it changed


def _text_key(text: str) -> bytes:
    key = _TEXT_KEYS[text] = _text_digest(text)
    return key


def _text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest()


def derived_from_text(topics: tuple, record) -> list[tuple]:
    """What the index derives from a question's text alone, as (kind, key, value) for
    cache.RecordStore.memo: the topics its words match. Made ahead, in the processes that parse
    records (cache.RecordStore.parse_ahead); nothing for other records. (A text's sampled passages
    are not: their bytes, freed among the records once the index took them, kept 15 MB more in the
    build's process at 10,000 questions, and in every rendering process forked from it.)"""
    if not isinstance(record, Question):
        return []
    return [("topics", _topics_key(topics, record), _matched_rules(topics, _topic_words(record)))]


def _groups(kind: str, questions: dict, asked, answering=lambda q: None) -> dict:
    """Group question uids by a named fact (ministry, rubrique); names that fold alike are one group."""
    names: dict[str, str] = {}
    members: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for uid, view in questions.items():
        for column, name in enumerate((asked(view.record), answering(view.record))):
            if name:
                slug = slugify(name)
                names.setdefault(slug, name)
                members[slug][column].append(uid)
    return {slug: Group(kind, slug, names[slug], tuple(members[slug][0]), tuple(members[slug][1]))
            for slug in sorted(names, key=lambda sl: (fold(names[sl]), sl))}


# ---------------------------------------------------------------- status


def question_status(q: Question, config: Config, as_of: dt.date, problems: Problems, path=None) -> Status:
    """Compute a question's status; a question pending when its legislature ended has lapsed."""
    deadline = add_months(q.date_question, 2) if q.date_question else None
    inferred, lapsed_on, reason = False, None, None
    if q.date_reponse or q.answer_text:
        code, motif, end = "repondue", q.motif_cloture, q.date_reponse
    elif q.date_cloture or q.motif_cloture:
        code, motif, end = "retiree", q.motif_cloture, q.date_cloture
    else:
        leg = config.legislature(q.legislature)
        if leg is None:
            problems.warn(f"legislature {q.legislature} is not in the calendar of {config.path}: "
                          "a lapse at its end cannot be inferred", path)
        if leg is not None and leg.end is not None and leg.end < as_of:
            code, motif, end, inferred, lapsed_on, reason = "retiree", END_OF_MANDATE, leg.end, True, leg.end, leg.end_reason
        else:
            code, motif, end = "en_attente", None, as_of
    delay = (end - q.date_question).days if end and q.date_question else None
    late = None if deadline is None or end is None else end > deadline
    return Status(code, inferred, motif, q.date_cloture, lapsed_on, reason, deadline, delay, late)


# ---------------------------------------------------------------- people


def _people(config: Config, records: Records, deputy_records: dict) -> dict:
    """One Person per deputy slug: from deputy records, and from question authors without one. The
    facts an author's questions give are those of the last in file order (one Person made per
    deputy, not per question: 50,000 of them at 50,000 questions)."""
    last = {}
    for q, _ in records.questions:
        last[author_slug(q.author)] = q
    people = {slug: [_person(config, None, d), []] for slug, d in deputy_records.items()}
    for slug, q in last.items():
        people[slug] = [_person(config, q, deputy_records.get(slug)), []]
    return people


def _person(config: Config, q: Question | None, d: Deputy | None) -> Person:
    a = q.author if q else None
    leg = config.legislature(q.legislature if q else d.legislature) if (q or d.legislature) else None
    groups = leg.groups if leg else {}
    abbr = (a and a.group_abbr) or (d and d.group_abbr) or _abbr_of(groups, a and a.group)
    circo = d and d.departement and d.num_circonscription and circonscription_label(d.departement, d.num_circonscription)
    return Person(
        slug=author_slug(a) if a else d.slug,
        name=(d and d.name) or a.name,
        civility=(a and a.civility) or (d and d.civility),
        id_an=d and d.id_an,
        group=(a and a.group) or (d and d.group) or groups.get(abbr),
        group_abbr=abbr,
        departement=(a and a.departement) or (d and d.departement),
        circonscription=(a and a.circonscription) or circo or None,
        url_an=d and d.url_an,
        url_nosdeputes=d and d.url_nosdeputes,
        body=d.body if d else "",
    )


def _abbr_of(groups: dict, name: str | None) -> str | None:
    return next((abbr for abbr, full in groups.items() if name and fold(full) == fold(name)), None)


# ---------------------------------------------------------------- topics


def match_topics(topics: tuple, q: Question, problems: Problems, path=None, memo=None) -> tuple:
    """Return the slugs of the topics a question belongs to: keyword rules, tags, and parents."""
    known = {t.slug: t for t in topics}
    if memo is None:
        found = set(_matched_rules(topics, _topic_words(q)))
    else:
        found = set(memo("topics", _topics_key(topics, q), lambda: _matched_rules(topics, _topic_words(q))))
    for tag in q.tags:
        if tag in known:
            found.add(tag)
        else:
            problems.warn(f"tag '{tag}' is not a topic of the configuration", path)
    for slug in list(found):
        parent = known[slug].parent
        while parent and parent not in found:
            found.add(parent)
            parent = known[parent].parent
    return tuple(t.slug for t in topics if t.slug in found)


def _topic_words(q: Question) -> str:
    return f"{q.title or ''}\n{q.question_text}"


def _topics_key(topics: tuple, q: Question) -> bytes:
    """What the topics of a question's words are kept under: the rules, its title and its text. The
    text goes in by its digest, which the index of shared passages has made already in a build
    (related_questions runs first): each text is hashed once a build, not twice (0.2 s at 50,000
    questions)."""
    title = (q.title or "").encode("utf-8")
    text = _TEXT_KEYS.get(q.question_text) or _text_digest(q.question_text)
    return hashlib.blake2b(_rules_digest(topics) + len(title).to_bytes(8, "big") + title + text,
                           digest_size=20).digest()


def _rules_digest(topics: tuple) -> bytes:
    """The digest of the topics' rules, made again only for another tuple of topics (a build has one:
    the config's). Looked up by identity: a cache keyed by the tuple hashed every Topic at each call,
    for each question (0.1 s at 50,000 questions)."""
    if _RULES[0] is not topics:
        _RULES[:] = [topics, hashlib.blake2b(repr(tuple((t.slug, t.rules) for t in topics)).encode("utf-8"),
                                             digest_size=20).digest()]
    return _RULES[1]


_RULES: list = [None, b""]  # the topics _rules_digest was last given, and their digest


def _matched_rules(topics: tuple, words: str) -> tuple:
    """The topics whose keyword rules the words match (a rule: terms that must all be there)."""
    text = _searchable(words)
    return tuple(t.slug for t in topics if any(all(_has_term(text, term) for term in rule) for rule in t.rules))


def _searchable(text: str) -> str:
    """Folded words (and '*') separated by single spaces, with a space at each end. Hyphens and
    apostrophes separate words: "d'optique", "tiers-payant"."""
    return " " + " ".join(folded_words(text, "*")) + " "


@lru_cache(maxsize=None)
def _needle(term: str) -> str:
    """What to look for: ' phrase ' for a whole phrase, ' prefix' for a term ending in '*'."""
    words = _searchable(term).strip()
    return " " + words[:-1] if words.endswith("*") else " " + words + " "


def _has_term(text: str, term: str) -> bool:
    return _needle(term) in text


def _topic_views(config: Config, questions: dict) -> dict:
    return {
        t.slug: TopicView(t, tuple(uid for uid, v in questions.items() if t.slug in v.topics),
                          tuple(c.slug for c in config.topics if c.parent == t.slug))
        for t in config.topics
    }
