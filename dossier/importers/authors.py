"""Resolve question authors through the deputies registry (the PA id the AN gives, e.g. PA266808)."""

from __future__ import annotations

import dataclasses

from ..errors import DossierError
from ..model import Deputy, Question


def registry(deputies) -> dict[str, Deputy]:
    """Index deputies by their AN PA id (deputies without one are left out)."""
    return {d.id_an: d for d in deputies if d.id_an}


def resolve_author(question: Question, by_id: dict[str, Deputy], path) -> Question:
    """Fill the author's name, civility and slug from the registry; refuse a name-less unknown author.

    A name the source gave is kept; the registry only fills what the source left out, so an
    author is never invented: a question whose source names nobody and whose PA id the registry
    does not know is refused.
    """
    author = question.author
    deputy = by_id.get(author.id_an) if author.id_an else None
    if deputy is None:
        if not author.name:
            raise DossierError(f"author {author.id_an} of {question.uid} is not in the deputies registry "
                               "(content/deputies/ or a deputies file imported alongside)", path)
        return question
    same_mandate = deputy.legislature in (None, question.legislature)
    filled = dataclasses.replace(
        author,
        name=author.name or deputy.name,
        civility=author.civility or deputy.civility,
        slug=author.slug or deputy.slug,
        departement=author.departement or (deputy.departement if same_mandate else None),
    )
    return dataclasses.replace(question, author=filled)
