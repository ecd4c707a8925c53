"""What the browser edges share: gettext catalogs, the Jinja2 environment, vendored JS, security.

``smokewatch.web`` (the internal dashboard) and ``smokewatch.portal`` (the public tip portal)
sit on the same floor and may not import each other; both build on this kit.
"""

from __future__ import annotations
