"""Place names: words that say where someone is, not what they need or offer.

Two profiles that both mention "Gorenjska" or "Bavaria" are neighbours, not complements.
The matcher down-weights these words in the lexical signal and never quotes them as a
matched phrase ("both mention gorenjska"). The names come from:

- every country's name (pycountry, English) and its name in the event's common languages
  (Babel's CLDR territory names: German, French, Spanish, Italian, Polish, Portuguese,
  Dutch, Slovenian), so "Germany", "Deutschland" and "Allemagne" all count;
- the top-level subdivisions of the event's own countries (pycountry: German Länder,
  French regions, Spanish autonomous communities...);
- the ``region`` each participant gives.

Words that are also ordinary vocabulary ("north", "centre", "capital", "new", "island"...)
and words the matching lexicon gives a meaning are never treated as place names.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pycountry
from babel import Locale

from matchmaking.text import Analyzer

# Languages whose country names are read as place names (CLDR, shipped with Babel).
_LANGUAGES = ("en", "de", "fr", "es", "it", "pl", "pt", "nl", "sl")
# A country with more top-level subdivisions lists municipalities; they are left out.
_MAX_SUBDIVISIONS = 50
# Parts of place names that are ordinary words in a profile.
_ORDINARY = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "north south east west northern southern eastern western central centre center "
        "middle upper lower greater grand great little new old saint st san santa sankt "
        "capital city cities region regions regional country district province county state "
        "states land lands island islands isle isles coast coastal valley lake lakes river "
        "mountain mountains sea seas bay gulf highlands lowlands plain plains republic "
        "kingdom federal federation democratic united union people peoples plurinational "
        "territory territories autonomous community communities metropolitan outlying "
        "minor administrative special zone area overseas french british dutch "
        "american american-samoa holy see heard mcdonald jersey turkey chad man guinea "
        "jordan georgia china niger panama cook christmas norfolk reunion virgin "
        "sovereign order military mali togo distant remote cape costa coco dell ana deg dol "
        "bloke brit ill march real mare saga vas uri mie pest olt vall vila satu paí heve "
        "región região région comunidad principado foral autónoma gewest cidade ciudad città "
        "cité capo cabo arab remota remoto alejada afgelegen daleki "
        "south-west north-west north-east south-east"
    ).split()
)


# Parts of place names that are never quoted as a matched word either ("both mention
# north" is no more a reason than "both mention Brabant"), though they keep their weight.
_UNQUOTED = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "north south east west northern southern eastern western north-west north-east "
        "south-west south-east northwest northeast southwest southeast county counties "
        "district districts province provinces region regions upper lower great greater "
        "midland midlands british plain plains"
    ).split()
)


def unquoted_tokens(analyzer: Analyzer) -> frozenset[str]:
    """Analysed tokens of the direction and district words of place names."""
    return frozenset(token for word in _UNQUOTED for token in analyzer.words(word))


@cache
def _country_names() -> tuple[str, ...]:
    names: list[str] = []
    codes = {country.alpha_2 for country in pycountry.countries}
    for country in pycountry.countries:
        names.append(country.name)
        common = getattr(country, "common_name", None)
        if common:
            names.append(common)
    for language in _LANGUAGES:
        territories = Locale.parse(language).territories
        names.extend(name for code, name in territories.items() if code in codes)
    return tuple(names)


@cache
def _top_subdivisions() -> dict[str, tuple[str, ...]]:
    """Top-level subdivision names by country code, for countries with few of them
    (regions, not municipalities: Slovenia's 212 communes hold too many ordinary words)."""
    found: dict[str, list[str]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) is None:
            found.setdefault(str(sub.country_code), []).append(str(sub.name))
    return {code: tuple(names) for code, names in found.items() if len(names) <= _MAX_SUBDIVISIONS}


def place_tokens(
    analyzer: Analyzer, countries: Iterable[str] = (), regions: Iterable[str] = ()
) -> frozenset[str]:
    """Analysed tokens of place names: all countries, the subdivisions of ``countries``
    (ISO alpha-2 codes) and the free-text ``regions``, less ordinary words and words
    the lexicon gives a meaning."""
    names: list[str] = list(_country_names())
    for code in set(countries):
        if len(code) == 2:
            names.extend(_top_subdivisions().get(code.upper(), ()))
    names.extend(r for r in set(regions) if r.strip())
    ordinary = {analyzer.stem(word) for word in _ORDINARY}
    tokens: set[str] = set()
    for name in names:
        for token in analyzer.words(name):
            if len(token) > 2 and token not in ordinary and not analyzer.has_meaning(token):
                tokens.add(token)
    return frozenset(tokens)
