"""`python -m voc.tagging.native build [--force] [--strict]`: compile the C engine now (make runs this)."""
import sys

from . import main

sys.exit(main())
