"""``python -m dedup`` runs the command line."""

from __future__ import annotations

import sys

from dedup.cli import main

sys.exit(main())
