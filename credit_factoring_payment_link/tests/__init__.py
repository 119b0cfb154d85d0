from . import test_factoring_payment_link
