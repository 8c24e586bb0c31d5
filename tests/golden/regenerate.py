"""Write the golden outputs the golden tests compare with (tests/test_golden.py).

    python tests/golden/regenerate.py

Run it only when a change of outputs is intended (new data, a new column), then
read the diff: the goldens are what a reviewer and a script see on E4.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from golden_cases import CASES, run  # noqa: E402


def main() -> None:
    out = HERE / "outputs"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    for name, args in CASES.items():
        (out / name).write_bytes(run(args))
        print(name)


if __name__ == "__main__":
    main()
