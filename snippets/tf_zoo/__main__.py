"""``python -m snippets.tf_zoo``: see ``snippets/tf_zoo/cli.py``."""

import sys

from snippets.tf_zoo.cli import main

sys.exit(main())
