"""Effectors: kinetic interceptors (kinetic.py) and directed-energy weapons (laser.py)."""
