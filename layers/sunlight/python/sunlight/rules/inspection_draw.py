"""双随机 draw (随机抽取检查对象、随机选派执法检查人员), as pure functions.

The seed comes from the operating system's random source (`new_seed`, secrets.SystemRandom), so
nobody can choose or predict it; the draw itself is a deterministic function of the seed and the
sizes of the two lists, so the record (seed, lists, picks) lets an inspector recompute it and see
that nobody picked the subjects or the officers by hand.
"""

from __future__ import annotations

import random
import secrets

from ..models.inspection import OFFICERS_PER_SUBJECT, DrawPick

ALGORITHM = "python-random-mt19937-sample-v1"
SEED_BITS = 128


def new_seed() -> str:
    """An unpredictable seed, from the operating system's random source."""
    return f"{secrets.SystemRandom().getrandbits(SEED_BITS):032x}"


def draw(seed: str, subject_count: int, count: int, officer_count: int) -> tuple[DrawPick, ...]:
    """`count` distinct subjects out of `subject_count`, each with OFFICERS_PER_SUBJECT distinct
    officers out of `officer_count`, every subject and pair equally likely."""
    if not 1 <= count <= subject_count:
        raise ValueError("the draw must take between 1 and all of the subjects")
    if officer_count < OFFICERS_PER_SUBJECT:
        raise ValueError("the officer pool needs at least two officers")
    rng = random.Random(int(seed, 16))
    subjects = rng.sample(range(subject_count), count)
    return tuple(
        DrawPick(subject_index=index, officer_indexes=tuple(rng.sample(range(officer_count), OFFICERS_PER_SUBJECT)))
        for index in subjects
    )
