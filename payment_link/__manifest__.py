{
    "name": "Payment Links in Reminders",
    "summary": "A secure, expiring link to pay several invoices online, in every reminder "
    "(email, SMS, letter QR codes), with receipts",
    "version": "1.1.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/credit-management/credit-management",
    "author": "Credit Management contributors",
    "license": "AGPL-3",
    "depends": ["credit_management", "account_payment", "account_qr_code_sepa"],
    "data": [
        "security/payment_link_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/sms_template_data.xml",
        "views/credit_payment_link_views.xml",
        "views/credit_dunning_views.xml",
        "views/credit_kpi_snapshot_views.xml",
        "views/res_config_settings_views.xml",
        "views/payment_link_templates.xml",
        "views/mail_templates.xml",
        "report/credit_dunning_report.xml",
        "wizards/credit_payment_link_send_views.xml",
        "views/payment_link_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "payment_link/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
