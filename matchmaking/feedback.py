"""What an event's own answered requests say about whom to recommend.

Once requests are accepted or declined, the event knows something no text shows: people
who asked for X met people who offer Y. A candidate gains when their offers resemble those
of people accepted by requesters whose needs resemble the viewer's, and loses when they
resemble people such requesters declined ("collaborative filtering through content"). The
comparison uses each participant's mean need vector and mean offer vector, so it works for
people with no answered request of their own, and costs two matrix products per block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class RequestOutcome:
    """``requester_id`` asked ``invitee_id`` for a meeting, who accepted or declined."""

    requester_id: str
    invitee_id: str
    accepted: bool


def _unit(rows: FloatArray) -> FloatArray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    unit: FloatArray = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    return unit


@dataclass(frozen=True)
class OutcomeModel:
    """Needs of requesters and offers of invitees of the answered requests."""

    needs: FloatArray  # (participants, d): what each participant asks for
    offers: FloatArray  # (participants, d): what each participant offers or does
    accepted: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]  # requester rows, invitee rows
    declined: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
    threshold: float

    @property
    def is_empty(self) -> bool:
        return not len(self.accepted[0]) and not len(self.declined[0])

    def _evidence(
        self, rows: slice, pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
    ) -> FloatArray:
        requesters, invitees = pairs
        if not len(requesters):
            return np.zeros((rows.stop - rows.start, len(self.offers)), dtype=np.float32)
        scale = 1.0 - self.threshold
        like_viewer = np.maximum(self.needs[rows] @ self.needs[requesters].T - self.threshold, 0)
        like_candidate = np.maximum(self.offers[invitees] @ self.offers.T - self.threshold, 0)
        evidence = (like_viewer / scale) @ (like_candidate / scale)
        clipped: FloatArray = np.clip(evidence, 0.0, 1.0).astype(np.float32)
        return clipped

    def block(self, start: int, stop: int) -> FloatArray:
        """Feedback of rows ``start:stop`` against everybody, in [-1, 1]."""
        rows = slice(start, stop)
        net: FloatArray = self._evidence(rows, self.accepted) - self._evidence(rows, self.declined)
        return net


def build_outcomes(
    outcomes: Sequence[RequestOutcome],
    index: dict[str, int],
    needs: FloatArray,
    offers: FloatArray,
    threshold: float,
) -> OutcomeModel:
    """Outcomes of people still in the event, with their need and offer vectors."""
    accepted: list[tuple[int, int]] = []
    declined: list[tuple[int, int]] = []
    for outcome in outcomes:
        a, b = index.get(outcome.requester_id), index.get(outcome.invitee_id)
        if a is None or b is None or a == b:
            continue
        (accepted if outcome.accepted else declined).append((a, b))

    def split(pairs: list[tuple[int, int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        array = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        return array[:, 0].copy(), array[:, 1].copy()

    return OutcomeModel(_unit(needs), _unit(offers), split(accepted), split(declined), threshold)
