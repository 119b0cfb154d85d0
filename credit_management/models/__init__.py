from . import account_move
from . import account_move_line
from . import credit_demo
from . import credit_payer_profile
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
