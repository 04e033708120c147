"""Skills4Cities platform: competencies, training, validation and certification for smart-city project roles."""

__version__ = "0.1.0"
