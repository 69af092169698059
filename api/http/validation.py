"""Field validators shared by the schemas: time zones, countries, slugs, sizes."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date
from functools import cache
from typing import Any

import pycountry
from marshmallow import ValidationError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(f"Unknown IANA time zone: {value!r}.")


def validate_country(value: str) -> None:
    if len(value) != 2 or value.upper() != value or pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(f"Not an ISO 3166-1 alpha-2 country code: {value!r}.")


def validate_slug(value: str) -> None:
    if not SLUG_RE.match(value):
        raise ValidationError("Use lower-case letters, digits and single hyphens.")


# Size limits (issue 17.5): whatever anyone may store is bounded, so nothing stored can
# grow the answers everyone reads without limit.
MAX_LONG_TEXT = 20_000  # descriptions of events and sessions
MAX_TAGS = 50  # interests, sectors, an opportunity's tags
MAX_LIST = 200  # meeting blocks, rule pairs, speakers and similar lists
MAX_SLUG = 80


def slug_list(value: Any) -> list[str]:
    """A JSON list of tag slugs, checked for type and length (for ``fields.Function``)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("A list of tag slugs (strings).")
    if len(value) > MAX_TAGS:
        raise ValidationError(f"At most {MAX_TAGS} tags.")
    if any(not 1 <= len(item) <= MAX_SLUG for item in value):
        raise ValidationError(f"Tag slugs have 1 to {MAX_SLUG} characters.")
    return list(value)


SLUG_LIST_DOC = {"type": "array", "items": {"type": "string"}, "maxItems": MAX_TAGS}


# Dates the software can compute with: slots, grids and time zone conversions of an
# event in year 9999 overflow (issue 17.7).
MIN_YEAR, MAX_YEAR = 2000, 2100


def validate_year(value: date) -> None:
    """For Date and AwareDateTime fields (a datetime is a date)."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(f"Give a date between the years {MIN_YEAR} and {MAX_YEAR}.")


def validate_not_blank(value: str) -> None:
    """Names must say something: a name of spaces was stored empty (issue 17.11)."""
    if not value.strip():
        raise ValidationError("May not be blank.")
