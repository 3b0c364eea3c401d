"""Labelled pairs of claim texts (the same claim or not) for tuning and measuring digest/similar.py.

    python -m bench.similar_labels [--pairs 2000]

Three sources, all deterministic:

- tests/data/similar-labels.tsv: our content's claims against repeats worded by hand (1) and different
  claims on the same subject (0);
- every pair of our content's own claims (0: none of them is a repeat of another);
- claims of the synthetic corpus (bench/corpus.py's sentences, seed 7): each against a paraphrase made
  by dropping, swapping, inflecting or prefixing words (1), against a claim that shares about half of
  its words (0, the hard case) and against a random other claim (0).

Prints precision, recall and F1 of ``digest.similar`` at several thresholds, for each source and all.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
from pathlib import Path

from digest.similar import THRESHOLD, score

from .corpus import WORDS, _sentence

ROOT = Path(__file__).resolve().parent.parent
HAND = ROOT / "tests/data/similar-labels.tsv"
LEAD_INS = ("He said that", "According to officials,", "She claimed", "Officials repeated that", "Again:")

Labelled = tuple[str, str, int]


def hand_pairs() -> list[Labelled]:
    """The hand-labelled pairs."""
    pairs = []
    for line in HAND.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            one, other, label = line.split("\t")
            pairs.append((one, other, int(label)))
    return pairs


def content_pairs(content: Path = ROOT / "content") -> list[Labelled]:
    """Every pair of our content's claims, none the same claim."""
    texts = []
    for path in sorted((content / "claims").rglob("*.md")):
        if "." in path.stem:
            continue  # a translation (<slug>.uk.md) is the same claim as its original
        found = re.search(r'^claim: "(.*)"$', path.read_text(encoding="utf-8"), re.MULTILINE)
        if found:
            texts.append(found.group(1))
    return [(one, other, 0) for one, other in itertools.combinations(texts, 2)]


def paraphrase(rng: random.Random, text: str) -> str:
    """The claim worded again: one to three small changes that keep its meaning."""
    words = text.rstrip(".").split()
    for _ in range(rng.randint(1, 3)):
        change = rng.randrange(4)
        if change == 0 and len(words) > 4:
            del words[rng.randrange(len(words))]
        elif change == 1:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif change == 2:
            i = rng.randrange(len(words))
            words[i] = words[i] + "s" if not words[i].endswith("s") else words[i][:-1]
        else:
            words.insert(0, rng.choice(LEAD_INS))
    return " ".join(words).capitalize() + "."


def half_shared(rng: random.Random, text: str) -> str:
    """A different claim that shares about half of the words of ``text``."""
    words = text.rstrip(".").split()
    for i in rng.sample(range(len(words)), len(words) // 2):
        words[i] = rng.choice(WORDS)
    return " ".join(words).capitalize() + "."


def corpus_pairs(count: int, seed: int = 7) -> list[Labelled]:
    """``count`` synthetic claims, each in one positive and two negative pairs."""
    rng = random.Random(seed)
    claims = [_sentence(rng, 14) for _ in range(count)]
    pairs: list[Labelled] = []
    for index, claim in enumerate(claims):
        pairs.append((claim, paraphrase(rng, claim), 1))
        pairs.append((claim, half_shared(rng, claim), 0))
        pairs.append((claim, claims[(index + 1 + rng.randrange(count - 1)) % count], 0))
    return pairs


def measure(pairs: list[Labelled], threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of ``score >= threshold`` as the prediction of the label."""
    predicted = [(score(one, other) >= threshold, label == 1) for one, other, label in pairs]
    hits = sum(1 for guess, truth in predicted if guess and truth)
    guesses = sum(1 for guess, _ in predicted if guess)
    truths = sum(1 for _, truth in predicted if truth)
    precision = hits / guesses if guesses else 1.0
    recall = hits / truths if truths else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "pairs": len(pairs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000, help="synthetic claims (3 pairs each)")
    args = parser.parse_args()
    sources = {"hand": hand_pairs(), "content": content_pairs(), "corpus": corpus_pairs(args.pairs)}
    sources["all"] = [pair for pairs in sources.values() for pair in pairs]
    print(f"{'threshold':>9}  " + "  ".join(f"{name:>22}" for name in sources))
    for threshold in (60, 65, 70, 75, 80, 85, 90):
        cells = []
        for pairs in sources.values():
            found = measure(pairs, threshold)
            cells.append(f"P {found['precision']:.2f} R {found['recall']:.2f} F {found['f1']:.2f}")
        mark = " *" if threshold == THRESHOLD else ""
        print(f"{threshold:>9}  " + "  ".join(f"{cell:>22}" for cell in cells) + mark)
    print("(* the threshold digest uses; pairs: " + ", ".join(f"{k} {len(v)}" for k, v in sources.items()) + ")")


if __name__ == "__main__":
    main()
