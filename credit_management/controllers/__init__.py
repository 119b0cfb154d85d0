from . import aged_balance_export
from . import portal
