from . import test_i18n
from . import test_risk_access
from . import test_risk_bodacc_provider
from . import test_risk_daily_job
from . import test_risk_rating_score
from . import test_risk_ratings
from . import test_risk_register
