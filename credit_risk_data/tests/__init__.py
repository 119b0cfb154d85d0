from . import test_risk_bodacc_provider
from . import test_risk_daily_job
