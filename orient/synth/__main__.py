"""``python -m orient.synth [DIR]``: (re)write the committed sample companies (``make data``)."""

import sys

from orient.synth.samples import make_samples

if __name__ == "__main__":  # pragma: no cover - `make data`
    target = sys.argv[1] if len(sys.argv) > 1 else "data/companies"
    for slug in make_samples(target):
        print(f"wrote {target}/{slug}")
