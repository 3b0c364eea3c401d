"""``python -m digest``: the same program as the ``digest`` command."""

import sys

from .cli import main

sys.exit(main())
