"""Unit tests of the pure core: no Odoo, no database.

The addon's folder is put on the path so that ``import engine`` loads the core alone, without
the addon's ``__init__`` (which needs Odoo).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
