"""A child for the race's protocol (``maxsat.main``) that proves a bound every ``GAP``
seconds, ``COUNT`` times, then answers: ``python -m tests.scheduler.meetings.steady_child
SECONDS COUNT GAP``. It tells how a contender reads a child that goes long without a
bound, which a real search cannot do on a schedule."""

from __future__ import annotations

import json
import sys
import time


def main(argv: list[str]) -> int:
    count, gap = int(argv[1]), float(argv[2])
    sys.stdin.read()  # the instance, as a real child reads it
    for bound in range(1, count + 1):
        time.sleep(gap)
        print(json.dumps({"bound": bound}), flush=True)
    time.sleep(gap)
    answer: dict[str, object] = {
        "status": "infeasible",
        "slots": {},
        "bound": None,
        "detail": "steady",
    }
    print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
