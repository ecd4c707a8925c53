"""``python -m smokewatch.cli``: the same as the ``smokewatch`` script."""

from __future__ import annotations

from smokewatch.cli.main import main

if __name__ == "__main__":
    main()
