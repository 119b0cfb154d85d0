from . import test_payment_link
from . import test_payment_link_kpi
from . import test_payment_link_page
from . import test_payment_link_reminder
from . import test_payment_link_tour
from . import test_statement_link
