"""finans: joint financing of family interventions across municipal departments."""

__version__ = "0.1.0"
