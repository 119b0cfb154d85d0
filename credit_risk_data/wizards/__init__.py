from . import credit_risk_rating_import
from . import credit_risk_register_search
