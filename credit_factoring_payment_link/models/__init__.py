from . import credit_dunning
from . import credit_payment_link
from . import res_partner_statement
