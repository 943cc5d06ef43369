"""`make bench` runs this file: `python bench/run.py` (the benchmark itself is the bench package)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ itself first on sys.path, where its modules (config, server, ...)
# would shadow top-level names: the repository root (for `bench` and `clinic_site`) takes its place.
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import bench  # noqa: E402

if __name__ == "__main__":
    bench.main()
