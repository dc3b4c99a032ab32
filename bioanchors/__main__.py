"""``python -m bioanchors``: the same as the ``bioanchors`` command."""

from bioanchors.cli import main

raise SystemExit(main())
