# The mixin first: the models that inherit it are built after it.
from . import credit_risk_customer_mixin

# isort: split
from . import credit_partner_score
from . import credit_risk_claim
from . import credit_risk_event
from . import credit_risk_event_action
from . import credit_risk_event_effects
from . import credit_risk_exchange
from . import credit_risk_notice
from . import credit_risk_provider
from . import credit_risk_provider_bodacc
from . import credit_risk_provider_http
from . import credit_risk_provider_register
from . import credit_risk_rating
from . import res_company
from . import res_config_settings
from . import res_partner
