"""Field validators shared by the schemas: time zones, countries, slugs."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

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
