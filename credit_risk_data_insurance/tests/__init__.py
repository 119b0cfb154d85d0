from . import test_i18n
from . import test_risk_insurer_alert
from . import test_risk_suggested_limit
