"""The analyser and the static vectors, on their own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import wordllama

from matchmaking.text import CONCEPT, Analyzer, build_lexicon, empty_lexicon
from matchmaking.vectors import default_embeddings


def test_short_forms_are_spelled_out_and_synonyms_share_a_meaning() -> None:
    analyzer = Analyzer()
    soc = set(analyzer("Managed SOC for SMEs"))
    watch = set(analyzer("24/7 monitoring of our network"))
    assert {"secur", "oper", "centr"} <= soc
    assert CONCEPT + "monitor" in soc & watch


def test_other_languages_reach_english_words() -> None:
    analyzer = Analyzer()
    assert "hydrogen" in analyzer("Lieferanten für grünen Wasserstoff")
    assert "leak" in analyzer("Recherche de fuites sur le réseau")
    tokens = analyzer("寻找电池回收合作伙伴")
    assert "batteri" in tokens and "recycl" in tokens
    assert "电池" in tokens  # Chinese text is also compared as character pairs


def test_without_a_lexicon_only_the_words_count() -> None:
    plain = Analyzer(empty_lexicon())
    assert plain("Managed SOC for SMEs") == ["manag", "soc", "smes"]


def test_a_lexicon_is_built_from_plain_data() -> None:
    lexicon = build_lexicon(
        {"abbreviations": {"bess": "battery storage"}, "synonyms": [["grid", "network"]]}
    )
    analyzer = Analyzer(lexicon)
    assert {"batteri", "storag"} <= set(analyzer("BESS for sale"))
    assert CONCEPT + "grid" in analyzer("our network")
    assert analyzer.show(CONCEPT + "grid") == "grid"


def test_vectors_load_from_the_installed_wheel_and_know_paraphrases() -> None:
    vectors = default_embeddings()
    assert Path(wordllama.__file__).parent in Path(vectors.tokenizer_path).parents
    a, b, c = vectors.embed(
        [
            "fall detection for care homes",
            "sensors that notice when a resident falls",
            "sheet metal laser cutting",
        ]
    )
    assert np.isclose(np.linalg.norm(a), 1.0)
    assert float(a @ b) > float(a @ c)
