"""Looking up an event's taxonomy tags by slug."""

from __future__ import annotations

from sqlalchemy import select

from api.exceptions import InvalidInput
from api.extensions import db
from api.models import Tag


def resolve_tags(event_id: int, slugs: list[str], field: str) -> list[Tag]:
    """The tags for ``slugs``; unknown slugs are a 422 naming ``field``."""
    if not slugs:
        return []
    wanted = list(dict.fromkeys(slugs))
    found = {
        tag.slug: tag
        for tag in db.session.scalars(
            select(Tag).where(Tag.event_id == event_id, Tag.slug.in_(wanted))
        )
    }
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise InvalidInput({field: [f"Unknown tag(s) for this event: {', '.join(unknown)}."]})
    return [found[slug] for slug in wanted]
