from . import test_i18n
from . import test_risk_insurer_alert
