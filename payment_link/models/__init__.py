from . import account_move
from . import credit_dunning
from . import credit_payment_link
from . import credit_payment_link_attempt
from . import payment_transaction
from . import res_company
from . import res_config_settings
from . import res_partner
