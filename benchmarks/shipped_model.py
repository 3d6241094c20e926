"""Learn again the model shipped with rfl (rfl/default_model.json), from synthetic data only.

    python -m benchmarks.shipped_model            # rewrites rfl/default_model.json
    python -m benchmarks.shipped_model -o FILE    # writes it elsewhere, to compare first

The service scores with that model, and `rfl link` falls back to it when its files are too
small to learn from, so it must change whenever the comparisons or how they are weighed
change. It is learnt as `rfl link` learns (EM, no labels) on `rfl generate --enquiries 2000
--seed 11`, a seed no benchmark measures on, and its training record says so.
"""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from benchmarks.engine import engine_inputs
from benchmarks.generate import generate
from matching.linker import Linker

ENQUIRIES, SEED = 2000, 11


def learn():
    """The model `rfl link` learns from the generated files (left side: enquiries)."""
    data = generate(ENQUIRIES, seed=SEED)
    fields, left, right = engine_inputs(data.enquiries, data.found)
    linker = Linker(fields)
    linker.link(left, right)
    model = linker.model
    model.training["data"] = (f"synthetic: rfl generate --enquiries {ENQUIRIES} --seed {SEED} "
                              f"({len(data.found):,} found records), linked by EM")
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path,
                        default=Path(str(resources.files("rfl").joinpath("default_model.json"))))
    args = parser.parse_args()
    learn().to_json(args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
