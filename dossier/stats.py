"""Statistics of the dossier: counts by status, answer delays, the two-month rule, by ministry and deputy."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .indexes import STATUSES, SiteData
from .text import slugify

# Delay buckets in days, for the distribution of answer delays (upper bound included).
DELAY_BUCKETS = ((31, "un mois ou moins"), (62, "un à deux mois"), (92, "deux à trois mois"),
                 (183, "trois à six mois"), (365, "six mois à un an"), (None, "plus d’un an"))


@dataclass(frozen=True)
class Row:
    """Figures for one set of questions (the whole dossier, a ministry, a deputy)."""

    label: str
    url: str | None
    total: int
    by_status: dict  # status code -> count
    due: int  # questions whose two-month deadline has come (answered or not)
    on_time: int  # answered within two months
    median_delay: float | None  # days, over answered questions

    @property
    def share_on_time(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class Stats:
    overall: Row
    delays: tuple  # (label, count) per DELAY_BUCKETS
    by_ministry: tuple  # of Row, most questions first
    by_deputy: tuple  # of Row, most questions first


def compute_stats(site: SiteData) -> Stats:
    """Compute every figure of the statistics page."""
    views = site.questions
    answered = [v.status.delay_days for v in views.values()
                if v.status.code == "repondue" and v.status.delay_days is not None]
    in_charge: dict[str, list] = {}  # each question counts once: ministry answering, else ministry asked
    for uid, v in views.items():
        name = v.record.ministere_attributaire or v.record.ministere_interroge
        if name:
            in_charge.setdefault(slugify(name), []).append(uid)
    ministries = [(site.ministries[slug].name, site.ministries[slug].url, uids) for slug, uids in in_charge.items()]
    deputies = [(p.name, p.url, uids) for p, uids in site.deputies.values() if uids]
    return Stats(
        overall=_row(site, "Ensemble du dossier", None, tuple(views)),
        delays=tuple((label, sum(1 for d in answered if _bucket(d) == label)) for _, label in DELAY_BUCKETS),
        by_ministry=_rows(site, ministries),
        by_deputy=_rows(site, deputies),
    )


def _rows(site: SiteData, groups) -> tuple:
    rows = [_row(site, name, url, uids) for name, url, uids in groups]
    return tuple(sorted(rows, key=lambda r: (-r.total, r.label)))


def _row(site: SiteData, label: str, url: str | None, uids) -> Row:
    views = [site.questions[u] for u in uids]
    counts = {code: sum(1 for v in views if v.status.code == code) for code in STATUSES}
    due = [v for v in views if v.status.late is not None and (v.status.code == "repondue" or v.status.late)]
    delays = [v.status.delay_days for v in views if v.status.code == "repondue" and v.status.delay_days is not None]
    return Row(label, url, len(views), counts, len(due), sum(1 for v in due if not v.status.late),
               statistics.median(delays) if delays else None)


def _bucket(days: int) -> str:
    for limit, label in DELAY_BUCKETS:
        if limit is None or days <= limit:
            return label
    raise AssertionError("unreachable")
