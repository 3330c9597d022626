"""`python -m infra.local [template.json]`: run the whole system locally (see runner.py)."""

import sys

from infra.local.runner import main

sys.exit(main(sys.argv[1:]))
