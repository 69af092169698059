"""Words of a profile as the matcher sees them: stems, short forms spelled out, synonyms.

Every text goes through one :class:`Analyzer`: lower case, words (Chinese as character
pairs), stop words dropped, English Snowball stems, and the meanings the shared lexicon
(``matchmaking/data/lexicon.yaml``) adds: "SOC" also means "security operations centre",
"24/7" and "monitoring" share a meaning, "Wasserstoff" is "hydrogen". Both sides of a
comparison are analysed the same way, so a request and an offer meet on what they mean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import Stemmer
import yaml
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Words every request or offer uses; they say nothing about what is asked or offered.
_GENERIC = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "looking look seek seeking need needs needed want wanted wish search searching find "
        "offer offers offering provide provides providing deliver delivers propose "
        "partner partners company companies solution solutions service services "
        "product products new help support able ready interested contact please "
        "year years day days time first based using use used make makes also"
    ).split()
)
# Function words of the other languages profiles are often written in.
_FOREIGN_STOP = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "der die das und für mit von zu den dem ein eine wir sie ist sind auf im in aus bei "
        "nach le la les des du de et pour avec un une nous est sont au aux sur dans par en "
        "el los las del y para con por una unos nosotros es son al il lo gli della delle di "
        "e per noi sono nel w z i na do dla się oraz jest"
    ).split()
)
_STOP = frozenset(ENGLISH_STOP_WORDS) | _GENERIC | _FOREIGN_STOP
# A word: letters or digits, inner hyphens, apostrophes or ampersands kept ("r&d").
_WORD = re.compile(r"[^\W_]+(?:[-&'][^\W_]+)*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Distinct texts whose analysis is kept (an event's items and descriptions fit).
_SEEN_LIMIT = 200_000
# Concept tokens cannot collide with a word: words never contain this character.
CONCEPT = "\u2248"


def _is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@dataclass(frozen=True)
class Lexicon:
    """Meanings a key adds, in plain words; a synonym group's meaning is its first member.

    ``concepts`` holds the keys whose meaning is a synonym group: they add one shared token
    rather than the group's words, so a group counts once however many members match.
    """

    meanings: Mapping[str, tuple[str, ...]]
    concepts: Mapping[str, str]

    @property
    def size(self) -> int:
        return len(self.meanings) + len(self.concepts)


class Analyzer:
    """Turns a text into the tokens compared by the lexical signal (and shown in reasons)."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._stems: dict[str, str] = {}
        self._seen: dict[str, tuple[list[str], str]] = {}
        # token -> a word a person wrote for it, so reasons quote words rather than stems
        self.surface: dict[str, str] = {}
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        # key -> (tokens for the lexical signal, plain words for the embedding signal)
        self._by_stem: dict[str, tuple[list[str], list[str]]] = {}
        self._phrases: dict[str, tuple[list[str], list[str]]] = {}
        self._cjk: dict[str, tuple[list[str], list[str]]] = {}
        # Sorted, so the same lexicon reads the same way whatever the hash seed.
        keys = sorted(set(self.lexicon.meanings) | set(self.lexicon.concepts))
        for key in keys:
            tokens: list[str] = []
            words: list[str] = []
            for meaning in self.lexicon.meanings.get(key, ()):
                tokens.extend(self.words(meaning))
                words.append(meaning)
            concept = self.lexicon.concepts.get(key)
            if concept is not None:
                token = CONCEPT + "_".join(self.words(concept))
                tokens.append(token)
                self.surface.setdefault(token, concept)
                if concept != key:
                    words.append(concept)
            if _is_cjk(key):
                table = self._cjk
            elif _WORD.fullmatch(key) and not {"&", "-", "'"} & set(key):
                table, key = self._by_stem, self.stem(key)
            else:
                table = self._phrases
            entry = table.setdefault(key, ([], []))
            entry[0].extend(tokens)
            entry[1].extend(words)
        # Words met while reading the lexicon are shown only when no profile used the stem.
        self._lexicon_surface = self.surface
        self.surface = {t: w for t, w in self.surface.items() if t.startswith(CONCEPT)}
        phrases = sorted(self._phrases, key=len, reverse=True)
        self._phrase_re = (
            re.compile("(?<![\\w])(" + "|".join(re.escape(p) for p in phrases) + ")(?![\\w])")
            if phrases
            else None
        )
        cjk = sorted(self._cjk, key=len, reverse=True)
        self._cjk_re = re.compile("|".join(re.escape(t) for t in cjk)) if cjk else None

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stemmer.stemWord(word)
            self._stems[word] = stem
            self.surface.setdefault(stem, word)
        return stem

    def has_meaning(self, stem: str) -> bool:
        """Whether the lexicon gives this stem a meaning (a short form, synonym, translation)."""
        return stem in self._by_stem

    def show(self, token: str) -> str:
        """A token as a person would read it."""
        shown = self.surface.get(token) or self._lexicon_surface.get(token)
        return shown or token.lstrip(CONCEPT).replace("_", " ")

    def words(self, text: str) -> list[str]:
        """Stems of the meaningful words, in order (no lexicon meanings)."""
        out: list[str] = []
        has_cjk = _is_cjk(text)
        stems = self._stems
        for word in _WORD.findall(text.lower()):
            if has_cjk and _is_cjk(word):
                for run in _CJK.findall(word):
                    out.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
                continue
            if word in _STOP or len(word) < 2 or word.isdigit():
                continue
            stem = stems.get(word)
            out.append(stem if stem is not None else self.stem(word))
        return out

    def _entries(self, text: str, stems: Iterable[str]) -> Iterable[tuple[list[str], list[str]]]:
        lower = text.lower()
        for stem in stems:
            entry = self._by_stem.get(stem)
            if entry is not None:
                yield entry
        if self._phrase_re is not None:
            for match in self._phrase_re.finditer(lower):
                yield self._phrases[match.group(1)]
        if self._cjk_re is not None and _is_cjk(lower):
            for match in self._cjk_re.finditer(lower):
                yield self._cjk[match.group(0)]

    def meanings(self, text: str, stems: Iterable[str]) -> list[str]:
        """Tokens the lexicon adds: spelled-out short forms, synonym groups, translations."""
        return [token for tokens, _ in self._entries(text, stems) for token in tokens]

    def _analyse(self, text: str) -> tuple[list[str], str]:
        """Tokens and expanded text of ``text``, computed once per distinct text."""
        known = self._seen.get(text)
        if known is not None:
            return known
        stems = self.words(text)
        entries = list(self._entries(text, stems))
        added = [token for tokens, _ in entries for token in tokens]
        # A spelled-out short form joins the synonym groups of its words ("SOC" -> monitoring).
        for token in list(added):
            entry = self._by_stem.get(token)
            if entry is not None:
                added.extend(t for t in entry[0] if t.startswith(CONCEPT))
        plain = [w for _, words in entries for w in words]
        expanded = text if not plain else f"{text} ({', '.join(dict.fromkeys(plain))})"
        result = (stems + added, expanded)
        if len(self._seen) < _SEEN_LIMIT:
            self._seen[text] = result
        return result

    def __call__(self, text: str) -> list[str]:
        return list(self._analyse(text)[0])

    def expanded_text(self, text: str) -> str:
        """The text followed by the plain words the lexicon adds (for the embedding signal)."""
        return self._analyse(text)[1]


def build_lexicon(data: Mapping[str, Any]) -> Lexicon:
    """A lexicon from the YAML structure (``abbreviations``, ``synonyms``, ``translations``)."""
    meanings: dict[str, list[str]] = {}
    concepts: dict[str, str] = {}
    for section in ("abbreviations", "translations"):
        for key, meaning in (data.get(section) or {}).items():
            meanings.setdefault(str(key).strip().lower(), []).append(str(meaning))
    for group in data.get("synonyms") or []:
        members = [str(m).strip().lower() for m in group]
        for member in members:
            concepts.setdefault(member, members[0])
    return Lexicon(
        meanings={k: tuple(dict.fromkeys(v)) for k, v in meanings.items()},
        concepts=concepts,
    )


@cache
def default_lexicon() -> Lexicon:
    raw = resources.files("matchmaking").joinpath("data/lexicon.yaml").read_text("utf-8")
    return build_lexicon(yaml.safe_load(raw))


def empty_lexicon() -> Lexicon:
    return Lexicon(meanings={}, concepts={})
