from . import dunning_promise_wizard
from . import dunning_dispute_wizard
from . import dunning_print_wizard
from . import injonction_wizard
from . import penalty_invoice_wizard
from . import dunning_send_wizard
from . import dunning_run_wizard
from . import route_advisor_wizard
