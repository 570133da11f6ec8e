"""The classification core: the afwegingskader applied to an intake, as pure code.

Imports nothing from Rasa, the database or the network. Entry point: `classify(intake, policy)`.
"""

from .model import Draft, Intake
from .policy import DEFAULT_POLICY, Policy, PolicyError, cached_policy, load_policy
from .regels import classify

__all__ = ["classify", "Draft", "Intake", "Policy", "PolicyError", "load_policy", "cached_policy", "DEFAULT_POLICY"]
