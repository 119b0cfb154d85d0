{
    "name": "Credit Management",
    "summary": "Credit limits, live exposure and credit holds on sales orders",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/credit-management/credit-management",
    "author": "Credit Management contributors",
    "license": "AGPL-3",
    "application": True,
    "depends": ["account", "sale", "sms", "portal"],
    "external_dependencies": {"python": ["python-stdnum"]},
    "data": [
        "security/credit_management_security.xml",
        "security/ir.model.access.csv",
        "data/credit_payer_profile_data.xml",
        "views/credit_payer_profile_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/credit_hold_override_views.xml",
        "views/credit_management_menus.xml",
    ],
    "demo": [
        "demo/credit_management_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "credit_management/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
