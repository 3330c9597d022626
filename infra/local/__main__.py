"""`python -m infra.local [cdk.out | template.json]`: run the whole system locally (see runner.py)."""

import logging
import os
import sys

from infra.local.runner import main

code = main(sys.argv[1:])
# Everything that holds a resource (servers, the functions' processes, files) is closed by now;
# the interpreter's own teardown of moto's in-memory state would take seconds more of a stop.
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
