"""The dated events of a question's life (publication, signalement, answer, closing…): its timeline.

Events feed the question page's timeline, the home page's latest events and every Atom feed.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass

from .text import format_french_date

# kind -> what happened, as the page says it
KINDS = {
    "publication": "Question publiée au Journal officiel",
    "signalement": "Question signalée au Gouvernement",
    "renouvellement": "Question renouvelée",
    "attribution": "Changement de ministère attributaire",
    "reponse": "Réponse publiée au Journal officiel",
    "retrait": "Question retirée",
    "caducite": "Question devenue caduque à la fin de la législature",
}


@dataclass(frozen=True)
class Event:
    """One dated step of a question: what happened, when, and on which JO page."""

    date: dt.date
    kind: str  # a key of KINDS
    uid: str
    page: int | None = None  # JO page, when known
    detail: str | None = None  # e.g. the closing reason, the new ministry

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def sentence(self) -> str:
        """The event as one French sentence, for feeds."""
        text = f"{self.label} le {format_french_date(self.date)}"
        if self.page:
            text += f", page {self.page}"
        if self.detail:
            text += f" ({self.detail})"
        return text + "."


def question_events(view) -> tuple[Event, ...]:
    """List a question's events, oldest first (same-day events in the order they happen)."""
    q, s, uid = view.record, view.status, view.uid
    events = []
    if q.date_question:
        events.append(Event(q.date_question, "publication", uid, q.page_question))
    if q.date_signalement:
        events.append(Event(q.date_signalement, "signalement", uid))
    events += [Event(d, "renouvellement", uid) for d in q.dates_renouvellement]
    if q.date_changement_attribution:
        events.append(Event(q.date_changement_attribution, "attribution", uid, detail=q.ministere_attributaire))
    if q.date_reponse:
        events.append(Event(q.date_reponse, "reponse", uid, q.page_reponse))
    if s.code == "retiree" and q.date_cloture:
        events.append(Event(q.date_cloture, "retrait", uid, detail=s.motif))
    if s.inferred and s.lapsed_on:
        events.append(Event(s.lapsed_on, "caducite", uid,
                            detail=f"{s.lapse_reason} ; statut déduit" if s.lapse_reason else "statut déduit"))
    return tuple(sorted(events, key=lambda e: (e.date, _ORDER[e.kind])))


_ORDER = {kind: i for i, kind in enumerate(KINDS)}


def latest_events(views, limit: int | None = None) -> list[Event]:
    """Return the events of many questions, newest first."""
    found = (e for v in views for e in v.events)
    key = lambda e: (e.date, _ORDER[e.kind], e.uid)  # noqa: E731
    return heapq.nlargest(limit, found, key=key) if limit else sorted(found, key=key, reverse=True)
