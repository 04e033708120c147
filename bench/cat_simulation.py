"""Adaptive versus fixed-form certification exams, by simulation (issue 5, DESIGN.md target).

    python bench/cat_simulation.py [--examinees 1000] [--bank 300] [--fixed 40] [--seed 7]

A calibrated 3PL bank of ``--bank`` items and ``--examinees`` simulated examinees with abilities drawn
from N(0, 1). Each examinee takes

* the **fixed form** the ECQA rules prescribe: ``--fixed`` items drawn at random (10 per element of a
  four-element unit), passed when the share of correct answers reaches 66 %;
* the **adaptive test** of ``skills4cities.exams.adaptive`` (maximum information with randomesque
  exposure control, EAP estimation, stop at SE ≤ 0.3, when the 95 % interval clears the cut score, or
  at the fixed form's length), passed when the estimate reaches the cut score — the ability whose
  expected share of correct answers over the bank is 66 %.

The truth is the examinee's true ability against that cut score. The last line is
``fixed_items=<n> cat_items=<mean> fixed_accuracy=<a> cat_accuracy=<b>``; the target is
``cat_items ≤ 0.5 × fixed_items`` with ``cat_accuracy ≥ fixed_accuracy − 0.01``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from skills4cities.exams import adaptive

THRESHOLD = 0.66


def calibrated_bank(size: int, rng: np.random.Generator) -> np.ndarray:
    """A bank like a calibrated certification bank: moderate discriminations, difficulties around the
    middle levels, guessing near 1/options for choice items and 0 for ordering and multiple choice."""
    a = rng.lognormal(mean=0.1, sigma=0.25, size=size)
    b = rng.normal(loc=0.0, scale=1.0, size=size)
    c = rng.choice([0.0, 0.2, 0.25, 0.5], p=[0.3, 0.3, 0.3, 0.1], size=size) * rng.uniform(0.6, 1.0, size=size)
    return adaptive.bank_matrix(list(zip(a, b, c, strict=True)))


def answer(theta: float, item: np.ndarray, rng: np.random.Generator) -> bool:
    return bool(rng.random() < adaptive.probability(theta, item[None, :])[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examinees", type=int, default=1000)
    parser.add_argument("--bank", type=int, default=300)
    parser.add_argument("--fixed", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    bank = calibrated_bank(args.bank, rng)
    cut = adaptive.cut_theta(bank, THRESHOLD)
    settings = adaptive.AdaptiveSettings(max_items=args.fixed)
    thetas = rng.normal(size=args.examinees)

    started = time.perf_counter()
    fixed_right = cat_right = 0
    lengths: list[int] = []
    exposure = np.zeros(len(bank))
    errors: list[float] = []
    for theta in thetas:
        truth = theta >= cut
        form = rng.choice(len(bank), size=args.fixed, replace=False)
        score = sum(answer(theta, bank[i], rng) for i in form) / args.fixed
        fixed_right += (score >= THRESHOLD) == truth

        administered: list[int] = []
        responses: list[bool] = []
        found = adaptive.estimate(bank, administered, responses)
        while not adaptive.should_stop(len(administered), found, settings=settings, cut=cut):
            index = adaptive.next_item(bank, administered, found.theta, settings=settings, rng=rng)
            if index is None:
                break
            administered.append(index)
            responses.append(answer(theta, bank[index], rng))
            found = adaptive.estimate(bank, administered, responses)
        exposure[administered] += 1
        lengths.append(len(administered))
        errors.append(found.theta - theta)
        cat_right += (found.theta >= cut) == truth
    elapsed = time.perf_counter() - started

    n = args.examinees
    fixed_accuracy, cat_accuracy, mean_items = fixed_right / n, cat_right / n, float(np.mean(lengths))
    print(f"bank={args.bank} items (3PL), examinees={n}, seed={args.seed}, cut theta={cut:.3f} (66 % expected score)")
    print(
        f"adaptive: mean {mean_items:.1f} items (median {np.median(lengths):.0f}, max {max(lengths)}), "
        f"RMSE of theta {np.sqrt(np.mean(np.square(errors))):.3f}, "
        f"highest item exposure {exposure.max() / n:.1%}, items never used {int((exposure == 0).sum())}"
    )
    print(f"ratio cat/fixed items = {mean_items / args.fixed:.3f} (target ≤ 0.5); simulated in {elapsed:.1f} s")
    print(
        f"fixed_items={args.fixed} cat_items={mean_items:.1f} "
        f"fixed_accuracy={fixed_accuracy:.3f} cat_accuracy={cat_accuracy:.3f}"
    )


if __name__ == "__main__":
    main()
