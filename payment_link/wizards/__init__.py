from . import credit_payment_link_send
