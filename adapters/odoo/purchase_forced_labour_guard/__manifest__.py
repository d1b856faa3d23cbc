{
    "name": "Forced Labour Guard for Purchase",
    "summary": "Screen purchase orders and vendors for links to forced labour in the Uyghur Region "
    "before they are confirmed, with the reasons",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Purchase",
    "license": "LGPL-3",
    "author": "forced_labour_guard contributors",
    "depends": ["purchase", "mail"],
    "external_dependencies": {"python": ["forced_labour_guard"]},
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/ir_config_parameter.xml",
        "data/ir_cron.xml",
        "data/mail_template.xml",
        "views/flg_wizard_views.xml",
        "views/purchase_order_views.xml",
        "views/res_partner_views.xml",
    ],
    "installable": True,
    "application": False,
}
