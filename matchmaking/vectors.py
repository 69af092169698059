"""Static word embeddings shipped inside the ``wordllama`` wheel, loaded without a network.

WordLlama's own loader looks for its tokenizer in a ``tokenizer/`` folder while the wheel
ships it in ``tokenizers/`` and then falls back to a download; this module opens the two
files the wheel ships directly and never downloads anything. A text's vector is the mean
of its token vectors, L2-normalised, so a dot product is a cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matchmaking.errors import MatchmakingError

FloatArray = npt.NDArray[np.float32]

_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


class StaticEmbeddings:
    """Token vectors and the tokenizer they belong to."""

    def __init__(self, weights: Path, tokenizer: Path) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        with safe_open(str(weights), framework="np", device="cpu") as handle:
            table = handle.get_tensor("embedding.weight")
        self.table: FloatArray = np.ascontiguousarray(table, dtype=np.float32)
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer_path = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.dimension = int(self.table.shape[1])

    def token_counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """How often each token of the vocabulary occurs in each text."""
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        indptr = np.zeros(len(encodings) + 1, dtype=np.int64)
        ids: list[int] = []
        for row, encoding in enumerate(encodings):
            ids.extend(encoding.ids)
            indptr[row + 1] = len(ids)
        columns = np.clip(np.array(ids, dtype=np.int64), 0, self.table.shape[0] - 1)
        return sparse.csr_matrix(
            (np.ones(len(columns), dtype=np.float32), columns, indptr),
            shape=(len(encodings), self.table.shape[0]),
        )

    def pool(
        self, counts: sparse.csr_matrix, token_weights: FloatArray | None = None
    ) -> FloatArray:
        """Weighted mean of the token vectors of each row of ``counts``, as unit vectors."""
        if token_weights is not None:
            counts = sparse.csr_matrix(counts.multiply(token_weights[None, :]))
        vectors = np.asarray(counts @ self.table, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: FloatArray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        return unit

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """One unit vector per text: the plain mean of its token vectors (zeros if none)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.pool(self.token_counts(texts))


def frequency_weights(counts: sparse.csr_matrix, smoothing: float = 1e-3) -> FloatArray:
    """``a / (a + p(token))`` from a corpus's token counts (Arora et al., 2017): frequent
    tokens ("the", "we", "solutions") weigh little, rare ones carry the meaning."""
    totals = np.asarray(counts.sum(axis=0), dtype=np.float64).ravel()
    probability = totals / max(1.0, float(totals.sum()))
    weights: FloatArray = (smoothing / (smoothing + probability)).astype(np.float32)
    return weights


@cache
def default_embeddings() -> StaticEmbeddings:
    """The wheel's 256-dimension WordLlama vectors, loaded once per process."""
    try:
        root = resources.files("wordllama")
    except ModuleNotFoundError as exc:  # pragma: no cover - a declared dependency
        raise MatchmakingError("the wordllama package is not installed") from exc
    weights, tokenizer = Path(str(root / _WEIGHTS)), Path(str(root / _TOKENIZER))
    for path in (weights, tokenizer):
        if not path.is_file():
            raise MatchmakingError(f"wordllama ships no {path.name}; reinstall the wheel")
    return StaticEmbeddings(weights, tokenizer)
