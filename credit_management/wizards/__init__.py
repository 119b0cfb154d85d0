from . import credit_dunning_send
from . import credit_hold_override
