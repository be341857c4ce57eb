"""Run every benchmark module in this folder that has a `main()`, one after another.

`python -m benchmarks NAME …` runs only the named ones (module names without .py).
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def discover() -> list[str]:
    return sorted(
        path.stem
        for path in HERE.glob("*.py")
        if not path.stem.startswith("_") and path.stem != "soak"
    )


def run(names: list[str]) -> int:
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        if not hasattr(module, "main"):
            continue
        print(f"== benchmarks/{name}.py", flush=True)
        started = time.perf_counter()
        module.main([])
        print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:] or discover()))
