from . import credit_factoring_demo
