from . import credit_insurance_alert
from . import credit_risk_event
from . import res_partner_suggested_limit
