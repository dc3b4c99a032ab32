"""An anchors variant in five lines: Cotra (2020) with a faster hardware-price halving time.

The file says what it extends and gives only what changes, with its own citation; every other
parameter keeps Cotra's value and citation. The same change from Python (or from the command
line, `bioanchors timelines --set affordability.hardware_halving_time_years=1.5`) gives the
same numbers; `bioanchors timelines --compare-anchors fast-hardware.toml` shows both.
Run: python examples/anchor_variant.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bioanchors.timelines import compare_brains, timelines_table
from bioanchors.timelines.cotra import default_anchors_path, load_anchors_file

VARIANT = """\
extends = "cotra-2020"
name = "fast-hardware"
[affordability]
hardware_halving_time_years = { value = 1.5, who = "Me", where = "examples/anchor_variant.py", page = "my assumption: the 2010s' pace, not Cotra's 2.5 years" }
"""  # noqa: E501 (one line of TOML, as a user writes it)

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "fast-hardware.toml"
    path.write_text(VARIANT, encoding="utf-8")
    from_file = compare_brains(["kokotajlod-2021:claimed"], anchors=path, n=20_000)

changed = load_anchors_file(default_anchors_path()).with_values(
    {"affordability.hardware_halving_time_years": 1.5}
)
from_python = compare_brains(["kokotajlod-2021:claimed"], anchors=changed, n=20_000)
default = compare_brains(["kokotajlod-2021:claimed"], n=20_000)

print(timelines_table(from_file))
print(
    f"\nCotra's brain input: median TAI year {default[0].median_year:.0f} with her anchors, "
    f"{from_file[0].median_year:.0f} with a 1.5-year hardware halving time."
)
assert from_python[0].percentiles == from_file[0].percentiles  # the same numbers, bit for bit
print(f"The same change from Python ({changed.name!r}) gives the same numbers.")
