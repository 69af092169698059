"""An event's taxonomy tags: saving one, looking them up by slug."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from api.exceptions import Conflict, InvalidInput
from api.extensions import db
from api.models import Event, Tag


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


_TAG_COLUMNS = ("slug", "label", "kind")


def save_tag(event: Event, data: dict[str, Any], tag: Tag | None = None) -> Tag:
    """Create a tag (``tag`` None) or change one; the slug is unique within the event."""
    slug = data.get("slug", tag.slug if tag else None)
    clash = db.session.scalar(
        select(Tag.id).where(
            Tag.event_id == event.id, Tag.slug == slug, Tag.id != (tag.id if tag else -1)
        )
    )
    if clash is not None:
        raise Conflict(f"The event already has a tag {slug!r}")
    if tag is None:
        tag = Tag(event_id=event.id)
        db.session.add(tag)
    for column in _TAG_COLUMNS:
        if column in data:
            setattr(tag, column, data[column])
    db.session.flush()
    return tag
