"""Claims that look like the same claim: the checks most like a new one, and unlinked pairs in the archive.

The figure is rapidfuzz's ``token_sort_ratio`` (0-100) on normalised claim text: lower case, letters
and digits only, common words dropped, plurals folded, so that word order, quotes, punctuation and
"the"/"a" do not count. Finding pairs among ten thousand claims by comparing each with each would take
minutes, so candidates come first from MinHash signatures of the claims' word sets (locality-sensitive
hashing: claims that share most of their words land in the same bucket of at least one band); only
candidates are scored. The threshold and the bands were tuned on the labelled pairs of
``bench/similar_labels.py`` (README.md gives precision and recall).
"""

from __future__ import annotations

import random
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

THRESHOLD = 75.0
"""A pair at or above this figure looks like the same claim (``check --similar``)."""
BANDS, ROWS = 40, 5
"""MinHash bands and rows per band: a pair becomes a candidate when one band of its signatures agrees."""

_STOP = "a an and are as at be been by for from has have he her his i in is it its of on or our she that the their them"
STOP_WORDS = frozenset(
    [*_STOP.split(), "they", "this", "to", "was", "we", "were", "will", "with", "would", "said", "says"]
)
"""Words that say nothing about which claim it is."""
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words that identify a claim: lower case, accents and punctuation gone, common words dropped,
    a plural ``s`` folded ('Putin's sanctions' → ['putin', 'sanction'])."""
    folded = text.casefold()
    if not folded.isascii():
        folded = "".join(char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char))
    folded = folded.replace("'s", "").replace("\u2019s", "")
    found = []
    for word in _WORD.findall(folded):
        if word in STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.append(word)
    return found


def normalise(text: str) -> str:
    """The text the figure compares: ``words`` joined by spaces."""
    return " ".join(words(text))


def score(one: str, other: str) -> float:
    """How alike two claim texts are, 0-100."""
    from rapidfuzz import fuzz  # not imported by a build, which keeps the index (``normalise``) only

    return float(fuzz.token_sort_ratio(normalise(one), normalise(other)))


@dataclass(frozen=True, slots=True)
class Known:
    """A checked claim as the similarity needs it."""

    slug: str
    claim: str
    speaker: str
    claim_date: date
    verdict: str
    """The verdict's label."""
    path: str
    """Shown path of its file."""
    line: int
    """The line of its ``claim`` field."""
    text: str = ""
    """Its claim normalised (``normalise``), if already known."""


@dataclass(frozen=True, slots=True)
class Match:
    """A checked claim like the one asked about, and how alike (0-100)."""

    known: Known
    similarity: float


def most_similar(text: str, known: Sequence[Known], limit: int = 5, cutoff: float = 0.0) -> list[Match]:
    """The checked claims most like ``text``, most alike first (then the most recent)."""
    query = normalise(text)
    if not query or not known:
        return []
    from rapidfuzz import fuzz, process

    choices = [k.text or normalise(k.claim) for k in known]
    found = process.extract(
        query, choices, scorer=fuzz.token_sort_ratio, processor=None, limit=None, score_cutoff=cutoff or None
    )
    ranked = sorted(found, key=lambda hit: (-hit[1], -known[hit[2]].claim_date.toordinal(), known[hit[2]].slug))
    return [Match(known[index], float(figure)) for _, figure, index in ranked[:limit] if figure > 0]


@dataclass(frozen=True, slots=True)
class Pair:
    """Two checks that look like the same claim: ``later`` is the one made last (the warning's place)."""

    earlier: Known
    later: Known
    similarity: float


def _signature_hashes(count: int) -> list[tuple[int, int]]:
    rng = random.Random(20241106)  # fixed: the same content always gives the same pairs
    return [(rng.randrange(1, 1 << 61) | 1, rng.randrange(1 << 61)) for _ in range(count)]


_PRIME = (1 << 61) - 1
_SALTS = _signature_hashes(BANDS * ROWS)


EVERY_PAIR_UP_TO = 500
"""Up to this many claims, every pair is scored: exact, and quick enough."""


def _candidates(texts: Sequence[str]) -> set[tuple[int, int]]:
    """Index pairs (i < j) whose word sets agree on at least one band of their MinHash signatures
    (every pair, for a small archive)."""
    if len(texts) <= EVERY_PAIR_UP_TO:
        return {(a, b) for a in range(len(texts)) for b in range(a + 1, len(texts))}
    per_word: dict[str, tuple[int, ...]] = {}
    first: dict[tuple[int, ...], int] = {}  # each bucket (band, its rows of the signature) → its first claim
    others: dict[tuple[int, ...], list[int]] = defaultdict(list)  # the rest, if any: most buckets hold one claim
    for index, text in enumerate(texts):
        distinct = set(text.split())
        if not distinct:
            continue
        columns = []
        for word in distinct:
            hashed = per_word.get(word)
            if hashed is None:
                base = zlib.crc32(word.encode())
                hashed = per_word[word] = tuple((a * base + b) % _PRIME for a, b in _SALTS)
            columns.append(hashed)
        signature = tuple(map(min, zip(*columns, strict=True)))
        for bucket in zip(range(BANDS), *(signature[row::ROWS] for row in range(ROWS)), strict=True):
            if first.setdefault(bucket, index) != index:
                others[bucket].append(index)
    pairs: set[tuple[int, int]] = set()
    for bucket, rest in others.items():
        members = [first[bucket], *rest]
        pairs.update((a, b) for position, a in enumerate(members) for b in members[position + 1 :])
    return pairs


def similar_pairs(
    known: Sequence[Known], linked: Mapping[str, Iterable[str]], threshold: float = THRESHOLD
) -> list[Pair]:
    """Pairs of checks at or above ``threshold`` that no link joins, most alike first.

    ``linked`` gives, for each slug, the slugs it is linked to (either way) by repeats, related or
    contradicts.
    """
    from rapidfuzz import fuzz

    texts = [k.text or normalise(k.claim) for k in known]
    links = {slug: set(others) for slug, others in linked.items()}
    pairs = []
    for a, b in _candidates(texts):
        one, other = known[a], known[b]
        if other.slug in links.get(one.slug, ()) or one.slug in links.get(other.slug, ()):
            continue
        figure = float(fuzz.token_sort_ratio(texts[a], texts[b], score_cutoff=threshold))
        if figure >= threshold:
            earlier, later = sorted((one, other), key=lambda k: (k.claim_date, k.slug))
            pairs.append(Pair(earlier, later, figure))
    return sorted(pairs, key=lambda p: (-p.similarity, p.later.path, p.earlier.slug))
