"""Would a costlier neuron lengthen or shorten AI timelines? The calculation kokotajlod asked for.

kokotajlod (EA Forum, 2021), after turning Beniaguev, Segev & London's (2021) neuron surrogate
into brain FLOP/s: "It's unclear whether this would lengthen or shorten timelines, I'd like to
see the calculations for that." Here each brain-compute estimate is swapped into Cotra's (2020)
biological-anchors model in place of her own brain input (log10 FLOP/s ~ Normal(15, 1.5)),
everything else held fixed, and the TAI timelines are compared.
Run: python examples/tai_timelines.py
"""

from __future__ import annotations

import math

from bioanchors.estimate import format_number
from bioanchors.forecast import compare_brains, timelines_table

BRAINS = [
    "carlsmith-2020-mechanistic",  # Cotra's brain input came from Carlsmith (2020)
    "michaelstjules-2021-10x",  # "10x is a reasonable guess"
    "kokotajlod-2021:claimed",  # his 1e17 FLOP/s, as written
    "kokotajlod-2021",  # his steps recomputed: 1e8 x 1e11 = 1e19 FLOP/s
    "elm-2023",  # the far smaller Branch-ELM surrogate
    "beniaguev-2021-tcn",  # the paper's own 7x128x153 network on every neuron
]

rows = compare_brains(BRAINS, n=20_000, seed=0)
print(timelines_table(rows))

cotra = rows[0]
by_name = {row.brain: row for row in rows}
print(f"\nCotra's own brain input: median TAI year {cotra.median_year:.0f}.")
for name in ("kokotajlod-2021:claimed", "kokotajlod-2021", "beniaguev-2021-tcn"):
    row = by_name[name]
    when = f"{row.median_year:.0f}" if math.isfinite(row.median_year) else "after 2200"
    print(
        f"{name}: {format_number(row.brain_median_flops)} FLOP/s -> median {when}; "
        f"P(TAI by 2050) {row.prob_by(2050):.0%} instead of {cotra.prob_by(2050):.0%}."
    )
claimed, recomputed = by_name["kokotajlod-2021:claimed"], by_name["kokotajlod-2021"]
verdict = "longer" if claimed.median_year > cotra.median_year else "shorter"
print(
    f"\nAnswer: {verdict}. His claimed 1e17 FLOP/s moves Cotra's median by "
    f"{claimed.median_year - cotra.median_year:+.0f} years; the recomputed 1e19 by "
    f"{recomputed.median_year - cotra.median_year:+.0f}.\nIn her model the brain's FLOP/s sets"
    " the transformative model's compute per subjective second,\nand each extra order of"
    " magnitude adds ~1.8 orders to the neural-network anchors' training\ncompute (one for the"
    " model's size, ~0.8 for the data it needs)."
)
