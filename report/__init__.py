from . import dunning_recovery_report
from . import dunning_promise_report
from . import dunning_ageing_report
from . import report_recovery_summary
