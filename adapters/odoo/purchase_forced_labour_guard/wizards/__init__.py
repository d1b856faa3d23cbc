from . import flg_acknowledgement_wizard, flg_override_wizard
