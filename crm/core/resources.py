"""Where the files beside the Python packages are: ``templates/``, ``static/`` and
``migrations/``.

In a source checkout (and an editable install) they sit next to ``crm/``. A wheel has no
room for top-level folders inside site-packages, so ``setup.cfg`` installs them as data
files under ``<prefix>/share/chaincrm/`` (the offline bundle, ``tools/build_bundle.py``,
installs that way).
"""

from __future__ import annotations

import os
import sys

__all__ = ["DEFAULT_INSTANCE_PATH", "IS_SOURCE_CHECKOUT", "RESOURCE_ROOT", "SOURCE_ROOT"]

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_INSTALLED_ROOT = os.path.join(sys.prefix, "share", "chaincrm")
IS_SOURCE_CHECKOUT = os.path.isdir(os.path.join(SOURCE_ROOT, "templates"))
RESOURCE_ROOT = SOURCE_ROOT if IS_SOURCE_CHECKOUT else _INSTALLED_ROOT
# The SQLite file when no CHAINCRM_INSTANCE_PATH is set: never inside site-packages.
DEFAULT_INSTANCE_PATH = (
    os.path.join(SOURCE_ROOT, "instance")
    if IS_SOURCE_CHECKOUT
    else os.path.join(sys.prefix, "var", "chaincrm")
)
