"""Core domain model: typed tables, vocabularies, value types and ids.

Pure Python: no I/O beyond reading the package's own data files.
"""

from __future__ import annotations
