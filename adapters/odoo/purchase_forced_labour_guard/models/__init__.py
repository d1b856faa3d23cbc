from . import (
    flg_decision_mixin,
    flg_related_company,
    flg_screening,
    purchase_order,
    purchase_order_line,
    res_partner,
)
