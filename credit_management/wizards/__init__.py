from . import account_move_reversal
from . import credit_aged_balance_as_of
from . import credit_dispute_reject
from . import credit_dso_simulator
from . import credit_dunning_preview
from . import credit_dunning_send
from . import credit_hold_override
from . import credit_statement_send
