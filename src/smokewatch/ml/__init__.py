"""Model plumbing shared by every trained model: safe artefact folders, manifests, cards.

No pickle anywhere: arrays are ``.npz`` read with ``allow_pickle=False``, everything else is
JSON, and the manifest records the sha256 of every file so a changed artefact is refused.
"""

from __future__ import annotations
