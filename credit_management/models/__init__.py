# The mixins first: credit.dispute, credit.payment.promise and credit.dunning inherit them.
from . import credit_invoices_mixin
from . import credit_workflow_mixin

# isort: split
from . import account_move
from . import account_move_collection
from . import account_move_line
from . import account_move_prediction
from . import account_partial_reconcile
from . import credit_aged_balance
from . import credit_cash_forecast
from . import credit_collector_desk
from . import credit_dispute
from . import credit_dispute_reason
from . import credit_dunning
from . import credit_dunning_level
from . import credit_dunning_line
from . import credit_dunning_scenario

# isort: split
# The concerns of a reminder, each extending credit.dunning (and its line for late fees).
from . import credit_dunning_bulk
from . import credit_dunning_channel
from . import credit_dunning_email
from . import credit_dunning_group
from . import credit_dunning_handoff
from . import credit_dunning_late_fee
from . import credit_dunning_letter
from . import credit_dunning_phone
from . import credit_dunning_reply
from . import credit_dunning_run
from . import credit_dunning_sms

# isort: split
from . import credit_ecb_rate
from . import credit_kpi_snapshot
from . import credit_move_prediction
from . import credit_open_item
from . import credit_partner_score
from . import credit_payer_profile
from . import credit_payment_promise
from . import credit_prediction_factor
from . import credit_prediction_model
from . import credit_reply
from . import credit_statement_report
from . import credit_worklist
from . import ir_actions_act_window
from . import ir_http
from . import mail_mail
from . import mail_thread
from . import onboarding_onboarding_step
from . import res_company
from . import res_company_lang
from . import res_company_reply
from . import res_company_statement
from . import res_config_settings
from . import res_config_settings_reply
from . import res_config_settings_statement
from . import res_groups
from . import res_partner
from . import res_partner_collection
from . import res_partner_dunning
from . import res_partner_group
from . import res_partner_identifier
from . import res_partner_prediction
from . import res_partner_score
from . import res_partner_statement
from . import sale_order
from . import sms_sms
from . import sms_tracker
