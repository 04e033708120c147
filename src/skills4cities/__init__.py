"""Skills4Cities platform: competencies, training, validation and certification for smart-city project roles."""

import os

# numexpr (imported through the IRT libraries) logs "NumExpr defaulting to N threads." on every start unless
# its thread count is set; the platform runs on small machines, so set it quietly (an explicit value wins).
os.environ.setdefault("NUMEXPR_MAX_THREADS", str(min(os.cpu_count() or 1, 8)))

__version__ = "0.1.0"
