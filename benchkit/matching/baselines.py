"""Simple rankers the recommender must beat, computed on the same event in the same run.

- ``tfidf``: TF-IDF cosine of a participant's request text against each candidate's offer
  text (English stop words, no stemming, no lexicon), what a plain search box would do;
- ``vectors``: cosine of the mean static word vectors (WordLlama, as shipped) of the same
  two texts.

Both skip candidates of the participant's own organisation, as the recommender does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matchmaking.profiles import OpportunityKind, ParticipantProfile
from matchmaking.vectors import default_embeddings

FloatArray = npt.NDArray[np.float32]


def _texts(profiles: Sequence[ParticipantProfile], *kinds: OpportunityKind) -> list[str]:
    return [" ".join(item.text for item in p.items_of(*kinds)) for p in profiles]


def _top(similarity: FloatArray, profiles: Sequence[ParticipantProfile], k: int) -> list[list[int]]:
    organisations = np.array([p.organisation_id for p in profiles])
    result: list[list[int]] = []
    step = 500
    for start in range(0, len(profiles), step):
        block = np.array(similarity[start : start + step], dtype=np.float32, copy=True)
        block[organisations[start : start + step, None] == organisations[None, :]] = -np.inf
        top = np.argpartition(-block, min(k, block.shape[1] - 1), axis=1)[:, :k]
        values = np.take_along_axis(block, top, axis=1)
        order = np.argsort(-values, axis=1, kind="stable")
        result.extend(np.take_along_axis(top, order, axis=1).tolist())
    return result


def tfidf_top(profiles: Sequence[ParticipantProfile], k: int) -> list[list[int]]:
    requests = _texts(profiles, OpportunityKind.REQUEST)
    offers = _texts(profiles, OpportunityKind.OFFER, OpportunityKind.INVESTMENT)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float32)
    vectorizer.fit(requests + offers)
    similarity = (vectorizer.transform(requests) @ vectorizer.transform(offers).T).toarray()
    return _top(np.asarray(similarity, dtype=np.float32), profiles, k)


def vectors_top(profiles: Sequence[ParticipantProfile], k: int) -> list[list[int]]:
    embeddings = default_embeddings()
    requests = embeddings.embed(_texts(profiles, OpportunityKind.REQUEST))
    offers = embeddings.embed(_texts(profiles, OpportunityKind.OFFER, OpportunityKind.INVESTMENT))
    similarity = normalize(requests) @ normalize(offers).T
    return _top(np.asarray(similarity, dtype=np.float32), profiles, k)
